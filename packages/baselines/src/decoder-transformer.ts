import {
  assertFinite,
  assertInteger,
  createRng,
  InvalidOptionError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { NamedWeight } from "./named-weight.js";
import { type Batch, TensorDataset } from "./tensor-dataset.js";
import { seededNormal, seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul, linearMap } from "./tfjs-matmul.js";
import type { Evaluation, Trainable } from "./trainable.js";

/**
 * The attention of a decoder block: `"softmax"` (standard causal multi-head attention with
 * bias-free Q/K/V/O and scores scaled by `1/√(d/h)`) or `"simplex"` (each head's attention
 * matrix is a learned, input-independent row-stochastic matrix: a causally masked softmax
 * over free logits, initialized at zero; the relaxation (4) inside the network; bias-free
 * V/O).
 */
export type AttentionKind = "softmax" | "simplex";

/** Options of {@link DecoderTransformer}. */
export interface DecoderTransformerOptions {
  /** Vocabulary size (`p + 2` for the modular-arithmetic task of E2). */
  readonly vocabSize: number;
  /** Tokens per sequence `n` (4 for `[x, op, y, =]`). */
  readonly sequenceLength: number;
  /** Model width `d`. */
  readonly width: number;
  /** Heads `h`; must divide `width`. */
  readonly heads: number;
  /** Number of blocks. */
  readonly layers: number;
  /** Attention kind (default `"softmax"`). */
  readonly attention?: AttentionKind;
  /** MLP hidden width as a multiple of `d` (default 4). */
  readonly mlpRatio?: number;
  /** LayerNorm `ε` (default 1e-5). */
  readonly layerNormEpsilon?: number;
  /** Initialization seed (default 0). */
  readonly seed?: number;
}

const KINDS: readonly AttentionKind[] = ["softmax", "simplex"];
const EVAL_CHUNK = 4096;

/**
 * The decoder-only transformer of experiment E2: token + learned position embeddings,
 * pre-LayerNorm blocks `x ← x + Attn(LN(x))`, `x ← x + MLP(LN(x))` with a causal mask, an
 * MLP `d → 4d → d` with ReLU and biases, a final LayerNorm, and a bias-free linear readout
 * of the last position to all `vocabSize` tokens. Initialization as PyTorch's defaults:
 * linear weights and biases uniform in `±1/√fan_in`, token embeddings `N(0, 1)`, position
 * embeddings `N(0, 0.02²)`, simplex logits 0, LayerNorm gain 1 and bias 0 (seeded).
 *
 * The training loss is the mean cross-entropy of the batch (no regularizer: train with
 * AdamW's decoupled weight decay, applied to all parameters); {@link DecoderTransformer.evaluate}
 * reports the mean cross-entropy and the accuracy of the arg-max prediction.
 *
 * Weight layout ({@link DecoderTransformer.exportWeights}): linear maps are stored
 * `in × out` (`y = x W + b`, the transpose of PyTorch's `Linear.weight`): `tokenEmbedding`
 * `[V, d]`, `positionEmbedding` `[n, d]`; per block `l`: `blocks.l.ln1.gain|bias` `[d]`,
 * `blocks.l.attn.WQ|WK|WV|WO` `[d, d]` (softmax; head `j` = columns `j·d/h …`) or
 * `blocks.l.attn.logits` `[h, n, n]` with `blocks.l.attn.WV|WO` (simplex),
 * `blocks.l.ln2.gain|bias`, `blocks.l.mlp.W1` `[d, 4d]`, `blocks.l.mlp.b1` `[4d]`,
 * `blocks.l.mlp.W2` `[4d, d]`, `blocks.l.mlp.b2` `[d]`; `lnFinal.gain|bias`; `readout` `[d, V]`.
 *
 * @example
 * ```ts
 * import { DecoderTransformer, train } from "@convexformer/baselines";
 * const model = new DecoderTransformer({ vocabSize: 7, sequenceLength: 4, width: 32, heads: 4, layers: 1 });
 * const tokens = new Int32Array([0, 5, 1, 6, 2, 5, 3, 6]); // two sequences [x, +, y, =]
 * const data = model.dataset(tokens, new Int32Array([1, 0]));
 * train(model, data, { optimizer: "adamw", learningRate: 1e-3, betas: [0.9, 0.98], weightDecay: 1, warmupSteps: 10, steps: 20 });
 * data.dispose(); model.dispose();
 * ```
 */
export class DecoderTransformer implements Trainable {
  /** Vocabulary size `V`. */
  readonly vocabSize: number;
  /** Sequence length `n`. */
  readonly sequenceLength: number;
  /** Width `d`. */
  readonly width: number;
  /** Heads `h`. */
  readonly heads: number;
  /** Number of blocks. */
  readonly layers: number;
  /** Attention kind. */
  readonly attention: AttentionKind;
  /** MLP hidden width. */
  readonly hidden: number;
  /** LayerNorm `ε`. */
  readonly layerNormEpsilon: number;
  private readonly params = new Map<string, tf.Variable>();
  private readonly mask: tf.Tensor;
  private disposed = false;

  /**
   * @throws `InvalidOptionError` when `width` is not divisible by `heads`, the attention
   * kind is unknown, or a size is not a positive integer
   */
  constructor(options: DecoderTransformerOptions) {
    if (typeof options !== "object" || options === null) {
      throw new InvalidOptionError("options", options, "must be an object");
    }
    assertInteger("vocabSize", options.vocabSize, 1);
    assertInteger("sequenceLength", options.sequenceLength, 1);
    assertInteger("width", options.width, 1);
    assertInteger("heads", options.heads, 1);
    assertInteger("layers", options.layers, 1);
    if (options.width % options.heads !== 0) {
      throw new InvalidOptionError(
        "heads",
        options.heads,
        `width (${options.width}) must be divisible by heads`,
      );
    }
    const attention = options.attention ?? "softmax";
    if (!KINDS.includes(attention)) {
      throw new InvalidOptionError(
        "attention",
        attention,
        'unknown attention kind; must be "softmax" or "simplex"',
      );
    }
    const ratio = options.mlpRatio ?? 4;
    assertInteger("mlpRatio", ratio, 1);
    const eps = options.layerNormEpsilon ?? 1e-5;
    if (!(eps > 0 && Number.isFinite(eps)))
      throw new InvalidOptionError("layerNormEpsilon", eps, "must be > 0");
    const seed = options.seed ?? 0;
    assertInteger("seed", seed, 0);
    this.vocabSize = options.vocabSize;
    this.sequenceLength = options.sequenceLength;
    this.width = options.width;
    this.heads = options.heads;
    this.layers = options.layers;
    this.attention = attention;
    this.hidden = ratio * options.width;
    this.layerNormEpsilon = eps;

    const V = this.vocabSize;
    const n = this.sequenceLength;
    const d = this.width;
    const h = this.heads;
    const H = this.hidden;
    const rng = createRng(seed);
    const lin = (fanIn: number, shape: number[]): tf.Tensor =>
      seededUniform(rng, shape, 1 / Math.sqrt(fanIn));
    this.add("tokenEmbedding", seededNormal(rng, [V, d], 1));
    this.add("positionEmbedding", seededNormal(rng, [n, d], 0.02));
    for (let l = 0; l < this.layers; l++) {
      const p = `blocks.${l}`;
      this.add(`${p}.ln1.gain`, tf.ones([d]));
      this.add(`${p}.ln1.bias`, tf.zeros([d]));
      if (attention === "softmax") {
        this.add(`${p}.attn.WQ`, lin(d, [d, d]));
        this.add(`${p}.attn.WK`, lin(d, [d, d]));
      } else {
        this.add(`${p}.attn.logits`, tf.zeros([h, n, n]));
      }
      this.add(`${p}.attn.WV`, lin(d, [d, d]));
      this.add(`${p}.attn.WO`, lin(d, [d, d]));
      this.add(`${p}.ln2.gain`, tf.ones([d]));
      this.add(`${p}.ln2.bias`, tf.zeros([d]));
      this.add(`${p}.mlp.W1`, lin(d, [d, H]));
      this.add(`${p}.mlp.b1`, lin(d, [H]));
      this.add(`${p}.mlp.W2`, lin(H, [H, d]));
      this.add(`${p}.mlp.b2`, lin(H, [d]));
    }
    this.add("lnFinal.gain", tf.ones([d]));
    this.add("lnFinal.bias", tf.zeros([d]));
    this.add("readout", lin(d, [d, V]));
    const m = new Float32Array(n * n);
    for (let r = 0; r < n; r++) for (let k = r + 1; k < n; k++) m[r * n + k] = -1e9;
    this.mask = tf.tensor(m, [n, n], "float32");
  }

  private add(name: string, initial: tf.Tensor): void {
    this.params.set(name, tf.variable(initial, true));
    initial.dispose();
  }

  private p(name: string): tf.Variable {
    return this.params.get(name) as tf.Variable;
  }

  /** The variables the optimizer updates (all parameters). */
  get trainableVariables(): readonly tf.Variable[] {
    return [...this.params.values()];
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    let s = 0;
    for (const v of this.params.values()) s += v.size;
    return s;
  }

  private layerNorm(x: tf.Tensor, prefix: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.layerNormEpsilon)));
    return tf.add(tf.mul(normed, this.p(`${prefix}.gain`)), this.p(`${prefix}.bias`));
  }

  /** `[b·h, n, dk]` from `[b, n, d]`. */
  private split(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const dk = this.width / this.heads;
    return tf
      .transpose(t.reshape([b, n, this.heads, dk]), [0, 2, 1, 3])
      .reshape([b * this.heads, n, dk]);
  }

  private attend(x: tf.Tensor, l: number, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const d = this.width;
    const h = this.heads;
    const dk = d / h;
    const p = `blocks.${l}.attn`;
    let merged: tf.Tensor;
    if (this.attention === "softmax") {
      const wqkv = tf.concat([this.p(`${p}.WQ`), this.p(`${p}.WK`), this.p(`${p}.WV`)], 1);
      const qkv = linearMap(x, wqkv); // [b, n, 3d]
      const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const scores = tf.add(
        tf.mul(fastMatMul(this.split(q, b), this.split(k, b), false, true), 1 / Math.sqrt(dk)),
        this.mask,
      );
      const o = fastMatMul(tf.softmax(scores, -1), this.split(v, b)); // [b·h, n, dk]
      merged = tf.transpose(o.reshape([b, h, n, dk]), [0, 2, 1, 3]).reshape([b, n, d]);
    } else {
      const a = tf.softmax(tf.add(this.p(`${p}.logits`), this.mask), -1); // [h, n, n]
      const v = linearMap(x, this.p(`${p}.WV`)).reshape([b, n, h, dk]);
      const stacked = tf.transpose(v, [2, 1, 0, 3]).reshape([h, n, b * dk]);
      const o = fastMatMul(a, stacked).reshape([h, n, b, dk]);
      merged = tf.transpose(o, [2, 1, 0, 3]).reshape([b, n, d]);
    }
    return linearMap(merged, this.p(`${p}.WO`));
  }

  /** Attention output of the last position only, `[b, d]` (the last block needs nothing else). */
  private attendLast(x: tf.Tensor, l: number, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const d = this.width;
    const h = this.heads;
    const dk = d / h;
    const p = `blocks.${l}.attn`;
    let merged: tf.Tensor;
    if (this.attention === "softmax") {
      const kv = linearMap(x, tf.concat([this.p(`${p}.WK`), this.p(`${p}.WV`)], 1)); // [b, n, 2d]
      const [k, v] = tf.split(kv, 2, 2) as [tf.Tensor, tf.Tensor];
      const xLast = tf.slice(x, [0, n - 1, 0], [b, 1, d]).reshape([b, d]);
      const q = fastMatMul(xLast, this.p(`${p}.WQ`)).reshape([b * h, 1, dk]);
      // the last row of the causal mask is all zeros: the last position sees every token
      const scores = tf.mul(fastMatMul(q, this.split(k, b), false, true), 1 / Math.sqrt(dk));
      merged = fastMatMul(tf.softmax(scores, -1), this.split(v, b)).reshape([b, d]); // [b·h, 1, dk]
    } else {
      const a = tf.softmax(tf.add(this.p(`${p}.logits`), this.mask), -1); // [h, n, n]
      const aLast = tf.slice(a, [0, n - 1, 0], [h, 1, n]).reshape([h, n]);
      const v = linearMap(x, this.p(`${p}.WV`)).reshape([b, n, h, dk]);
      const o = tf.sum(tf.mul(v, tf.transpose(aLast).reshape([1, n, h, 1])), 1); // [b, h, dk]
      merged = o.reshape([b, d]);
    }
    return fastMatMul(merged, this.p(`${p}.WO`));
  }

  private mlp(x: tf.Tensor, prefix: string): tf.Tensor {
    const hidden = tf.relu(
      tf.add(
        linearMap(this.layerNorm(x, `${prefix}.ln2`), this.p(`${prefix}.mlp.W1`)),
        this.p(`${prefix}.mlp.b1`),
      ),
    );
    return tf.add(linearMap(hidden, this.p(`${prefix}.mlp.W2`)), this.p(`${prefix}.mlp.b2`));
  }

  /**
   * Logits `[b, V]` at the last position for int32 token ids `[b, n]`. Only the last
   * position is read out, so the last block computes keys and values for every position
   * but queries, attention output and MLP for the last position only (same function, less
   * work).
   */
  private forward(tokens: tf.Tensor): tf.Tensor {
    const b = tokens.shape[0] as number;
    const n = this.sequenceLength;
    const d = this.width;
    const onehot = tf.oneHot(tokens.reshape([b * n]), this.vocabSize).toFloat();
    let x = tf.add(
      fastMatMul(onehot, this.p("tokenEmbedding")).reshape([b, n, d]),
      this.p("positionEmbedding"),
    );
    for (let l = 0; l < this.layers - 1; l++) {
      const pre = `blocks.${l}`;
      x = tf.add(x, this.attend(this.layerNorm(x, `${pre}.ln1`), l, b));
      x = tf.add(x, this.mlp(x, pre));
    }
    const l = this.layers - 1;
    const pre = `blocks.${l}`;
    let last = tf.slice(x, [0, n - 1, 0], [b, 1, d]).reshape([b, d]);
    last = tf.add(last, this.attendLast(this.layerNorm(x, `${pre}.ln1`), l, b));
    last = tf.add(last, this.mlp(last, pre));
    return fastMatMul(this.layerNorm(last, "lnFinal"), this.p("readout"));
  }

  /**
   * A data set of token sequences (`Int32Array`, `N × n`, ids in `[0, V)`) and next-token
   * labels (`Int32Array`, `N`).
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
   * const data = m.dataset(new Int32Array([0, 1, 2, 3]), new Int32Array([4, 0]));
   * data.dispose(); m.dispose();
   * ```
   */
  dataset(tokens: Int32Array, labels: Int32Array): TensorDataset {
    const n = this.sequenceLength;
    if (!(tokens instanceof Int32Array))
      throw new InvalidOptionError("tokens", typeof tokens, "must be an Int32Array");
    if (!(labels instanceof Int32Array))
      throw new InvalidOptionError("labels", typeof labels, "must be an Int32Array");
    if (tokens.length !== labels.length * n) {
      throw new ShapeMismatchError(
        "tokens",
        `expected ${labels.length} x ${n} = ${labels.length * n} ids, got ${tokens.length}`,
      );
    }
    this.checkIds("tokens", tokens);
    this.checkIds("labels", labels);
    return new TensorDataset(
      tf.tensor2d(tokens, [labels.length, n], "int32"),
      tf.tensor1d(labels, "int32"),
    );
  }

  private checkIds(argument: string, ids: Int32Array): void {
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i] as number;
      if (t < 0 || t >= this.vocabSize)
        throw new InvalidOptionError(
          `${argument}[${i}]`,
          t,
          `must be a token id in [0, ${this.vocabSize})`,
        );
    }
  }

  /** Mean cross-entropy of the batch (see {@link Trainable.batchLoss}; `datasetSize` is not used: the loss is a mean). */
  batchLoss(batch: Batch, _datasetSize: number): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.forward(batch.inputs);
      const onehot = tf.oneHot(batch.targets, this.vocabSize).toFloat();
      return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
    });
  }

  /** No constraint to restore: a no-op. */
  afterStep(): void {}

  /**
   * Mean cross-entropy (`objective` and `loss`) and accuracy on a whole data set.
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
   * const data = m.dataset(new Int32Array([0, 1, 2, 3]), new Int32Array([4, 0]));
   * m.evaluate(data).accuracy; // in [0, 1]
   * ```
   */
  evaluate(data: TensorDataset): Evaluation {
    let total = 0;
    let correct = 0;
    for (let start = 0; start < data.size; start += EVAL_CHUNK) {
      const end = Math.min(data.size, start + EVAL_CHUNK);
      const out = tf.tidy(() => {
        const batch = data.slice(start, end);
        const logits = this.forward(batch.inputs);
        const onehot = tf.oneHot(batch.targets, this.vocabSize).toFloat();
        const ce = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits))));
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), batch.targets), "float32"));
        return tf.stack([ce, hits]);
      });
      const [ce, hits] = out.dataSync() as Float32Array;
      out.dispose();
      total += ce as number;
      correct += hits as number;
    }
    const loss = total / data.size;
    return { objective: loss, loss, accuracy: correct / data.size };
  }

  /**
   * Logits at the last position, float64 `N × V`, for token ids `N × n`.
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
   * m.logits(new Int32Array([0, 1])).length; // 5
   * ```
   */
  logits(tokens: Int32Array): Float64Array {
    const n = this.sequenceLength;
    if (!(tokens instanceof Int32Array) || tokens.length % n !== 0) {
      throw new ShapeMismatchError("tokens", `expected an Int32Array of N x ${n} ids`);
    }
    this.checkIds("tokens", tokens);
    const t = tf.tensor2d(tokens, [tokens.length / n, n], "int32");
    const y = tf.tidy(() => this.forward(t));
    t.dispose();
    const out = tensorToFloat64(y);
    y.dispose();
    return out;
  }

  /**
   * Every parameter as a float64 array with its shape, by name (layout in the class docs).
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
   * m.exportWeights().readout.shape; // [8, 5]
   * ```
   */
  exportWeights(): Record<string, NamedWeight> {
    const out: Record<string, NamedWeight> = {};
    for (const [name, v] of this.params)
      out[name] = { shape: [...v.shape], data: tensorToFloat64(v) };
    return out;
  }

  /**
   * Overwrites parameters from {@link DecoderTransformer.exportWeights}'s layout. Every
   * parameter of the model must be present with its exact shape; unknown names are errors.
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const a = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1, seed: 1 });
   * const b = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1, seed: 2 });
   * b.loadWeights(a.exportWeights());
   * ```
   */
  loadWeights(weights: Record<string, NamedWeight>): void {
    for (const name of Object.keys(weights)) {
      if (!this.params.has(name))
        throw new InvalidOptionError(`weights.${name}`, name, "unknown parameter");
    }
    for (const [name, v] of this.params) {
      const w = weights[name];
      if (w === undefined) throw new ShapeMismatchError(`weights.${name}`, "missing");
      if (
        w.shape.length !== v.rank ||
        w.shape.some((s, i) => s !== v.shape[i]) ||
        w.data.length !== v.size
      ) {
        throw new ShapeMismatchError(
          `weights.${name}`,
          `expected shape [${v.shape}], got [${w.shape}] with ${w.data.length} entries`,
        );
      }
      assertFinite(`weights.${name}`, w.data);
    }
    for (const [name, v] of this.params) {
      const w = weights[name] as NamedWeight;
      tf.tidy(() => v.assign(tf.tensor(Float32Array.from(w.data), v.shape, "float32")));
    }
  }

  /**
   * Frees every tensor of the model.
   *
   * @example
   * ```ts
   * import { DecoderTransformer } from "@convexformer/baselines";
   * new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 }).dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
    this.mask.dispose();
  }
}
