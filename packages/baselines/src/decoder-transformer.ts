import { ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Variable } from "@tensorflow/tfjs-core";
import { decoderLossAndGradients } from "./decoder/decoder-backward.js";
import type { DecoderContext } from "./decoder/decoder-context.js";
import { decoderDataset, validateTokenIds } from "./decoder/decoder-data.js";
import { evaluateDecoder } from "./decoder/decoder-evaluation.js";
import { decoderForward } from "./decoder/decoder-forward.js";
import {
  type AttentionKind,
  type DecoderConfig,
  type DecoderTransformerOptions,
  validateDecoderOptions,
} from "./decoder/decoder-options.js";
import { causalMask, createDecoderParameters } from "./decoder/decoder-parameters.js";
import { exportDecoderWeights, loadDecoderWeights } from "./decoder/decoder-weights.js";
import { PLAIN_OPS, TAPE_OPS } from "./decoder/forward-ops.js";
import type { NamedWeight } from "./named-weight.js";
import type { Batch, TensorDataset } from "./tensor-dataset.js";
import { tensorToFloat64 } from "./tfjs-init.js";
import type { Evaluation, LossAndGradients, Trainable } from "./trainable.js";

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
 * await train(model, data, { optimizer: "adamw", learningRate: 1e-3, betas: [0.9, 0.98], weightDecay: 1, warmupSteps: 10, steps: 20 });
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
  private readonly config: DecoderConfig;
  private readonly params: Map<string, Variable>;
  private readonly ctx: DecoderContext;
  private disposed = false;

  /**
   * @param options - the model's sizes and settings ({@link DecoderTransformerOptions}),
   *   validated here
   * @throws `InvalidOptionError` when `width` is not divisible by `heads`, the attention
   * kind is unknown, or a size is not a positive integer
   */
  constructor(options: DecoderTransformerOptions) {
    const config = validateDecoderOptions(options);
    this.config = config;
    this.vocabSize = config.vocabSize;
    this.sequenceLength = config.sequenceLength;
    this.width = config.width;
    this.heads = config.heads;
    this.layers = config.layers;
    this.attention = config.attention;
    this.hidden = config.hidden;
    this.layerNormEpsilon = config.layerNormEpsilon;
    const params = createDecoderParameters(config);
    this.params = params;
    this.ctx = {
      config,
      param: (name) => params.get(name) as Variable,
      names: [...params.keys()],
      mask: causalMask(config.sequenceLength),
    };
  }

  /** The variables the optimizer updates (all parameters). */
  get trainableVariables(): readonly Variable[] {
    return [...this.params.values()];
  }

  /** Number of scalar parameters. */
  get parameterCount(): number {
    let s = 0;
    for (const v of this.params.values()) s += v.size;
    return s;
  }

  /**
   * A data set of token sequences (`Int32Array`, `N × n`, ids in `[0, V)`) and next-token
   * labels (`Int32Array`, `N`).
   *
   * @param tokens - `N·n` token ids in `[0, V)`, row-major (`n` = `sequenceLength`)
   * @param labels - `N` next-token ids in `[0, V)`
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
    return decoderDataset(this.config, tokens, labels);
  }

  /**
   * Mean cross-entropy of the batch (see {@link Trainable.batchLoss}).
   *
   * @param batch - the mini-batch: `inputs` int32 token ids `[b, n]`, `targets` one-hot `[b, V]`
   * @param _datasetSize - not used: the loss is a mean over the batch
   */
  batchLoss(batch: Batch, _datasetSize: number): Scalar {
    return tf.tidy(() => {
      const { logits } = decoderForward(this.ctx, batch.inputs, TAPE_OPS);
      const onehot = tf.oneHot(batch.targets, this.vocabSize).toFloat();
      return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1))) as Scalar;
    });
  }

  /**
   * The mean cross-entropy of the batch and its gradient for every parameter, by a
   * hand-written backward pass (see {@link Trainable.lossAndGradients}): the same values as
   * `tf.variableGrads` of {@link DecoderTransformer.batchLoss}, without tfjs's tape (no
   * saved-tensor copies, no custom-gradient wrappers, only flag-free 2-D products on the
   * large matrices). The trainers use it for every step. Call it inside `tf.tidy`.
   *
   * @param batch - the mini-batch: `inputs` int32 token ids `[b, n]`, `targets` one-hot `[b, V]`
   * @param _datasetSize - not used: the loss is a mean over the batch
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
    return decoderLossAndGradients(this.ctx, batch);
  }

  /** No constraint to restore: a no-op. */
  afterStep(): void {}

  /**
   * Mean cross-entropy (`objective` and `loss`) and accuracy on a whole data set.
   *
   * @param data - a data set from {@link DecoderTransformer.dataset}
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
    return evaluateDecoder(this.ctx, data);
  }

  /**
   * Logits at the last position, float64 `N × V`, for token ids `N × n`.
   *
   * @param tokens - `N·n` token ids in `[0, V)`, row-major
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
    validateTokenIds(this.vocabSize, "tokens", tokens);
    const t = tf.tensor2d(tokens, [tokens.length / n, n], "int32");
    const y = tf.tidy(() => decoderForward(this.ctx, t, PLAIN_OPS).logits);
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
    return exportDecoderWeights(this.params);
  }

  /**
   * Overwrites parameters from {@link DecoderTransformer.exportWeights}'s layout. Every
   * parameter of the model must be present with its exact shape; unknown names are errors.
   *
   * @param weights - every parameter by name: `shape` and float64 `data` (row-major), e.g.
   *   another model's {@link DecoderTransformer.exportWeights}
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
    loadDecoderWeights(this.params, weights);
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
    this.ctx.mask.dispose();
  }
}
