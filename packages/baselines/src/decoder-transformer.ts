import {
  assertFinite,
  assertInteger,
  createRng,
  InvalidOptionError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import {
  columnSum,
  inputGradient,
  type LayerNormCache,
  layerNormBackward,
  layerNormForward,
  softmaxBackward,
  weightGradient,
} from "./internal/backprop-ops.js";
import type { NamedWeight } from "./named-weight.js";
import { type Batch, TensorDataset } from "./tensor-dataset.js";
import { seededNormal, seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul } from "./tfjs-matmul.js";
import type { Evaluation, LossAndGradients, Trainable } from "./trainable.js";

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

/** How the forward pass takes products and embeds tokens (see `DecoderTransformer.forward`). */
interface ForwardOps {
  /** 2-D product `a · b`. */
  mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** Batched product `op(a) · op(b)` (rank 3). */
  bmm(a: tf.Tensor, b: tf.Tensor, transposeA?: boolean, transposeB?: boolean): tf.Tensor;
  /** Rows `ids` (`[R]`, int32) of `table`. */
  embed(table: tf.Tensor, ids: tf.Tensor): tf.Tensor;
}

/** Differentiable by tfjs's tape: products through {@link fastMatMul}. */
const TAPE_OPS: ForwardOps = {
  mm: (a, b) => fastMatMul(a, b),
  bmm: fastMatMul,
  embed: (table, ids) => fastMatMul(tf.oneHot(ids, table.shape[0] as number).toFloat(), table),
};

/**
 * Plain kernels (same values as {@link TAPE_OPS}), for inference and the hand-written
 * backward pass. Embedding rows are taken by a one-hot product, as on the tape: the wasm
 * `GatherV2` kernel is several times slower than the product.
 */
const PLAIN_OPS: ForwardOps = {
  mm: (a, b) => tf.matMul(a, b),
  bmm: (a, b, transposeA = false, transposeB = false) => tf.matMul(a, b, transposeA, transposeB),
  embed: (table, ids) => tf.matMul(tf.oneHot(ids, table.shape[0] as number).toFloat(), table),
};

/** What the forward pass of one attention keeps for the backward pass. */
type AttentionCache =
  | {
      readonly kind: "softmax";
      readonly y: tf.Tensor;
      readonly qh: tf.Tensor;
      readonly kh: tf.Tensor;
      readonly vh: tf.Tensor;
      readonly a: tf.Tensor;
      readonly merged: tf.Tensor;
      readonly scale: number;
    }
  | {
      readonly kind: "simplex";
      readonly y: tf.Tensor;
      readonly a: tf.Tensor;
      readonly stacked: tf.Tensor;
      readonly merged: tf.Tensor;
    }
  | {
      readonly kind: "simplex-last";
      readonly y: tf.Tensor;
      readonly a: tf.Tensor;
      readonly v4: tf.Tensor;
      readonly weights: tf.Tensor;
      readonly merged: tf.Tensor;
    };

interface MlpCache {
  readonly ln: LayerNormCache;
  readonly z: tf.Tensor;
  readonly hidden: tf.Tensor;
}

interface BlockCache {
  readonly ln1: LayerNormCache;
  readonly attention: AttentionCache;
  readonly mlp: MlpCache;
}

interface ForwardCache {
  readonly ids: tf.Tensor;
  readonly blocks: readonly BlockCache[];
  readonly lnFinal: LayerNormCache;
  readonly features: tf.Tensor;
}

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

  /** `[R, d]` rows `(sample, position)` → `[b·h, n, dk]` per-head blocks. */
  private splitHeads(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const dk = this.width / this.heads;
    return tf
      .transpose(t.reshape([b, n, this.heads, dk]), [0, 2, 1, 3])
      .reshape([b * this.heads, n, dk]);
  }

  /** Inverse of {@link DecoderTransformer.splitHeads}: `[b·h, n, dk]` → `[R, d]`. */
  private mergeHeads(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const dk = this.width / this.heads;
    return tf
      .transpose(t.reshape([b, this.heads, n, dk]), [0, 2, 1, 3])
      .reshape([b * n, this.width]);
  }

  private layerNorm(x: tf.Tensor, prefix: string): { y: tf.Tensor; cache: LayerNormCache } {
    return layerNormForward(
      x,
      this.p(`${prefix}.gain`),
      this.p(`${prefix}.bias`),
      this.layerNormEpsilon,
    );
  }

  /** The last position of each sequence: `[R, d]` → `[b, d]`. */
  private lastRows(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const d = t.shape[1] as number;
    return tf.slice(t.reshape([b, n, d]), [0, n - 1, 0], [b, 1, d]).reshape([b, d]);
  }

  /** Adjoint of {@link DecoderTransformer.lastRows}: `[b, d]` → `[R, d]`, zero elsewhere. */
  private padLastRows(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.sequenceLength;
    const d = t.shape[1] as number;
    return tf
      .pad(t.reshape([b, 1, d]), [
        [0, 0],
        [n - 1, 0],
        [0, 0],
      ])
      .reshape([b * n, d]);
  }

  /**
   * Attention of block `l` (output projection included) from its LayerNorm output `y`
   * `[R, d]`: every position (`last = false`, output `[R, d]`) or the last position only
   * (`last = true`, output `[b, d]`; keys and values still cover every position).
   */
  private attentionForward(
    y: tf.Tensor,
    l: number,
    b: number,
    last: boolean,
    ops: ForwardOps,
  ): { out: tf.Tensor; cache: AttentionCache } {
    const n = this.sequenceLength;
    const d = this.width;
    const h = this.heads;
    const dk = d / h;
    const p = `blocks.${l}.attn`;
    const v = ops.mm(y, this.p(`${p}.WV`)); // [R, d]
    let merged: tf.Tensor;
    let cache: AttentionCache;
    if (this.attention === "softmax") {
      const kh = this.splitHeads(ops.mm(y, this.p(`${p}.WK`)), b); // [b·h, n, dk]
      const vh = this.splitHeads(v, b);
      const scale = 1 / Math.sqrt(dk);
      let qh: tf.Tensor;
      let a: tf.Tensor;
      if (last) {
        // one query per sequence; the last row of the causal mask is all zeros
        qh = ops.mm(this.lastRows(y, b), this.p(`${p}.WQ`)).reshape([b * h, 1, dk]);
        a = tf.softmax(tf.mul(ops.bmm(qh, kh, false, true), scale), -1); // [b·h, 1, n]
        merged = ops.bmm(a, vh).reshape([b, d]);
      } else {
        qh = this.splitHeads(ops.mm(y, this.p(`${p}.WQ`)), b);
        a = tf.softmax(tf.add(tf.mul(ops.bmm(qh, kh, false, true), scale), this.mask), -1);
        merged = this.mergeHeads(ops.bmm(a, vh), b);
      }
      cache = { kind: "softmax", y, qh, kh, vh, a, merged, scale };
    } else {
      const a = tf.softmax(tf.add(this.p(`${p}.logits`), this.mask), -1); // [h, n, n]
      const v4 = v.reshape([b, n, h, dk]);
      if (last) {
        const aLast = tf.transpose(tf.slice(a, [0, n - 1, 0], [h, 1, n]).reshape([h, n]));
        const weights = aLast.reshape([1, n, h, 1]); // [1, n, h, 1]
        merged = tf.sum(tf.mul(v4, weights), 1).reshape([b, d]);
        cache = { kind: "simplex-last", y, a, v4, weights, merged };
      } else {
        const stacked = tf.transpose(v4, [2, 1, 0, 3]).reshape([h, n, b * dk]);
        const o = ops.bmm(a, stacked).reshape([h, n, b, dk]);
        merged = tf.transpose(o, [2, 1, 0, 3]).reshape([b * n, d]);
        cache = { kind: "simplex", y, a, stacked, merged };
      }
    }
    return { out: ops.mm(merged, this.p(`${p}.WO`)), cache };
  }

  /**
   * Backward of {@link DecoderTransformer.attentionForward}: the gradient of its input `y`
   * (`[R, d]`) for the output gradient `dout`; parameter gradients go into `grads`.
   */
  private attentionBackward(
    dout: tf.Tensor,
    c: AttentionCache,
    l: number,
    b: number,
    grads: Map<string, tf.Tensor>,
  ): tf.Tensor {
    const n = this.sequenceLength;
    const d = this.width;
    const h = this.heads;
    const dk = d / h;
    const p = `blocks.${l}.attn`;
    grads.set(`${p}.WO`, weightGradient(c.merged, dout));
    const dmerged = inputGradient(dout, this.p(`${p}.WO`));
    const yT = tf.transpose(c.y); // [d, R], shared by the weight gradients
    let dv: tf.Tensor;
    let dy: tf.Tensor;
    if (c.kind === "softmax") {
      const single = c.qh.shape[1] === 1;
      const dO = single ? dmerged.reshape([b * h, 1, dk]) : this.splitHeads(dmerged, b);
      const da = tf.matMul(dO, c.vh, false, true);
      const ds = tf.mul(softmaxBackward(c.a, da), c.scale);
      const dqh = tf.matMul(ds, c.kh);
      // with a single query the products aᵀ·dO and dsᵀ·q are outer products: a broadcast
      // multiply is about three times faster than the batched product
      const dvh = single ? tf.mul(c.a.reshape([b * h, n, 1]), dO) : tf.matMul(c.a, dO, true, false);
      const dkh = single
        ? tf.mul(ds.reshape([b * h, n, 1]), c.qh)
        : tf.matMul(ds, c.qh, true, false);
      dv = this.mergeHeads(dvh, b);
      const dk_ = this.mergeHeads(dkh, b);
      grads.set(`${p}.WK`, tf.matMul(yT, dk_));
      dy = tf.add(inputGradient(dk_, this.p(`${p}.WK`)), inputGradient(dv, this.p(`${p}.WV`)));
      if (single) {
        const dq = dqh.reshape([b, d]);
        const yLast = this.lastRows(c.y, b);
        grads.set(`${p}.WQ`, weightGradient(yLast, dq));
        dy = tf.add(dy, this.padLastRows(inputGradient(dq, this.p(`${p}.WQ`)), b));
      } else {
        const dq = this.mergeHeads(dqh, b);
        grads.set(`${p}.WQ`, tf.matMul(yT, dq));
        dy = tf.add(dy, inputGradient(dq, this.p(`${p}.WQ`)));
      }
    } else if (c.kind === "simplex") {
      const dO = tf.transpose(dmerged.reshape([b, n, h, dk]), [2, 1, 0, 3]).reshape([h, n, b * dk]);
      const da = tf.matMul(dO, c.stacked, false, true); // [h, n, n]
      const dstacked = tf.matMul(c.a, dO, true, false); // [h, n, b·dk]
      grads.set(`${p}.logits`, softmaxBackward(c.a, da));
      dv = tf.transpose(dstacked.reshape([h, n, b, dk]), [2, 1, 0, 3]).reshape([b * n, d]);
      dy = inputGradient(dv, this.p(`${p}.WV`));
    } else {
      const dO = dmerged.reshape([b, 1, h, dk]);
      dv = tf.mul(dO, c.weights).reshape([b * n, d]); // [b, n, h, dk]
      const dWeights = tf.sum(tf.mul(c.v4, dO), [0, 3]); // [n, h]
      const daLast = tf.transpose(dWeights).reshape([h, 1, n]);
      const da = tf.pad(daLast, [
        [0, 0],
        [n - 1, 0],
        [0, 0],
      ]);
      grads.set(`${p}.logits`, softmaxBackward(c.a, da));
      dy = inputGradient(dv, this.p(`${p}.WV`));
    }
    grads.set(`${p}.WV`, tf.matMul(yT, dv));
    return dy;
  }

  private mlpForward(
    x: tf.Tensor,
    prefix: string,
    ops: ForwardOps,
  ): { out: tf.Tensor; cache: MlpCache } {
    const ln = this.layerNorm(x, `${prefix}.ln2`);
    const hidden = tf.relu(
      tf.add(ops.mm(ln.y, this.p(`${prefix}.mlp.W1`)), this.p(`${prefix}.mlp.b1`)),
    );
    const out = tf.add(ops.mm(hidden, this.p(`${prefix}.mlp.W2`)), this.p(`${prefix}.mlp.b2`));
    return { out, cache: { ln: ln.cache, z: ln.y, hidden } };
  }

  /** Backward of {@link DecoderTransformer.mlpForward}: the gradient of its input. */
  private mlpBackward(
    dout: tf.Tensor,
    c: MlpCache,
    prefix: string,
    grads: Map<string, tf.Tensor>,
  ): tf.Tensor {
    const m = `${prefix}.mlp`;
    grads.set(`${m}.b2`, columnSum(dout));
    grads.set(`${m}.W2`, weightGradient(c.hidden, dout));
    const du = tf.mul(inputGradient(dout, this.p(`${m}.W2`)), tf.step(c.hidden));
    grads.set(`${m}.b1`, columnSum(du));
    grads.set(`${m}.W1`, weightGradient(c.z, du));
    const dz = inputGradient(du, this.p(`${m}.W1`));
    const ln = layerNormBackward(dz, c.ln, this.p(`${prefix}.ln2.gain`));
    grads.set(`${prefix}.ln2.gain`, ln.dgain);
    grads.set(`${prefix}.ln2.bias`, ln.dbias);
    return ln.dx;
  }

  /**
   * Logits `[b, V]` at the last position for int32 token ids `[b, n]`, and what the
   * hand-written backward pass needs. Only the last position is read out, so the last
   * block computes keys and values for every position but queries, attention output and
   * MLP for the last position only (same function, less work). `ops` decides how products
   * are taken: through the custom-gradient {@link fastMatMul} when tfjs's tape records
   * (`batchLoss` under `tf.variableGrads`), or as plain `matMul` for the hand-written
   * backward pass; the values are the same.
   */
  private forward(tokens: tf.Tensor, ops: ForwardOps): { logits: tf.Tensor; cache: ForwardCache } {
    const b = tokens.shape[0] as number;
    const n = this.sequenceLength;
    const d = this.width;
    const ids = tokens.reshape([b * n]);
    let x = tf
      .add(ops.embed(this.p("tokenEmbedding"), ids).reshape([b, n, d]), this.p("positionEmbedding"))
      .reshape([b * n, d]);
    const blocks: BlockCache[] = [];
    for (let l = 0; l < this.layers; l++) {
      const pre = `blocks.${l}`;
      const last = l === this.layers - 1;
      const ln1 = this.layerNorm(x, `${pre}.ln1`);
      const attn = this.attentionForward(ln1.y, l, b, last, ops);
      const x1 = tf.add(last ? this.lastRows(x, b) : x, attn.out);
      const mlp = this.mlpForward(x1, pre, ops);
      x = tf.add(x1, mlp.out);
      blocks.push({ ln1: ln1.cache, attention: attn.cache, mlp: mlp.cache });
    }
    const lnFinal = this.layerNorm(x, "lnFinal");
    const logits = ops.mm(lnFinal.y, this.p("readout"));
    return { logits, cache: { ids, blocks, lnFinal: lnFinal.cache, features: lnFinal.y } };
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
      const { logits } = this.forward(batch.inputs, TAPE_OPS);
      const onehot = tf.oneHot(batch.targets, this.vocabSize).toFloat();
      return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
    });
  }

  /**
   * The mean cross-entropy of the batch and its gradient for every parameter, by a
   * hand-written backward pass (see {@link Trainable.lossAndGradients}): the same values as
   * `tf.variableGrads` of {@link DecoderTransformer.batchLoss}, without tfjs's tape (no
   * saved-tensor copies, no custom-gradient wrappers, only flag-free 2-D products on the
   * large matrices). The trainers use it for every step. Call it inside `tf.tidy`.
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { DecoderTransformer } from "@convexformer/baselines";
   * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
   * const data = m.dataset(new Int32Array([0, 1, 2, 3]), new Int32Array([4, 0]));
   * tf.tidy(() => {
   *   const { value, grads } = m.lossAndGradients({ inputs: data.inputs, targets: data.targets }, 2);
   *   return value; // grads[k] belongs to m.trainableVariables[k]
   * }).dispose();
   * data.dispose(); m.dispose();
   * ```
   */
  lossAndGradients(batch: Batch, _datasetSize: number): LossAndGradients {
    const b = batch.inputs.shape[0] as number;
    const n = this.sequenceLength;
    const d = this.width;
    const V = this.vocabSize;
    const { logits, cache } = this.forward(batch.inputs, PLAIN_OPS);
    const onehot = tf.oneHot(batch.targets, V).toFloat();
    const logProbs = tf.logSoftmax(logits);
    const value = tf.neg(tf.mean(tf.sum(tf.mul(onehot, logProbs), -1))) as tf.Scalar;
    const grads = new Map<string, tf.Tensor>();
    const dlogits = tf.div(tf.sub(tf.exp(logProbs), onehot), b);
    grads.set("readout", weightGradient(cache.features, dlogits));
    const lnF = layerNormBackward(
      inputGradient(dlogits, this.p("readout")),
      cache.lnFinal,
      this.p("lnFinal.gain"),
    );
    grads.set("lnFinal.gain", lnF.dgain);
    grads.set("lnFinal.bias", lnF.dbias);
    let dx = lnF.dx; // [b, d] for the last block, [R, d] below it
    for (let l = this.layers - 1; l >= 0; l--) {
      const pre = `blocks.${l}`;
      const c = cache.blocks[l] as BlockCache;
      const dx1 = tf.add(dx, this.mlpBackward(dx, c.mlp, pre, grads));
      const dy = this.attentionBackward(dx1, c.attention, l, b, grads);
      const ln1 = layerNormBackward(dy, c.ln1, this.p(`${pre}.ln1.gain`));
      grads.set(`${pre}.ln1.gain`, ln1.dgain);
      grads.set(`${pre}.ln1.bias`, ln1.dbias);
      dx = tf.add(l === this.layers - 1 ? this.padLastRows(dx1, b) : dx1, ln1.dx);
    }
    grads.set("positionEmbedding", columnSum(dx.reshape([b, n * d])).reshape([n, d]));
    grads.set("tokenEmbedding", tf.scatterND(cache.ids.reshape([b * n, 1]), dx, [V, d]));
    return {
      value,
      grads: [...this.params.keys()].map((name) => grads.get(name) as tf.Tensor),
    };
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
        const { logits } = this.forward(batch.inputs, PLAIN_OPS);
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
    const y = tf.tidy(() => this.forward(t, PLAIN_OPS).logits);
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
   * m.exportWeights().readout?.shape; // [8, 5]
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
