import type { StandardAttentionWeights } from "@convexformer/attention";
import { createRng, InvalidOptionError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";
import { AttentionModel } from "./attention-model.js";
import {
  type AttentionModelOptions,
  type OutputKind,
  validateCommonOptions,
} from "./attention-model-config.js";
import { blocksFromColumns, columnsFromBlocks } from "./internal/head-blocks.js";
import {
  validateDimension,
  validateFloat64Array,
  validateHeadDim,
  validateHeads,
  validateOutputKind,
  validateReadout,
} from "./internal/model-options.js";
import { applyReadout } from "./internal/readout.js";
import { sumSquares } from "./internal/sum-squares.js";
import { seededUniform } from "./tfjs-init.js";
import { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";

/**
 * Options of {@link StandardAttention}.
 *
 * @example
 * ```ts
 * import { StandardAttention, type StandardAttentionOptions } from "@convexformer/baselines";
 * const options: StandardAttentionOptions = { tokens: 3, features: 4, heads: 2, scoreScale: 1 / Math.sqrt(2) };
 * const m = new StandardAttention(options);
 * m.headDim; // 2
 * m.scoreScale; // Math.SQRT1_2
 * m.dispose();
 * ```
 */
export interface StandardAttentionOptions extends AttentionModelOptions {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `dk`: per-head width, `hidden` in the weights (default `features / heads`, which must then divide). */
  readonly headDim?: number;
  /** Output per sample (default `"scalar"` when `outputs = 1`, else `"vector"`). */
  readonly output?: OutputKind;
  /**
   * For scalar and vector outputs: which token's output row is the prediction (default 0,
   * a `[CLS]`-style first token), or `"mean"` over tokens.
   */
  readonly readout?: number | "mean";
  /** Multiplies the attention scores (default 1, as in the paper's (3); `1/√dk` is the usual transformer choice). */
  readonly scoreScale?: number;
}

/**
 * Standard multi-head softmax self-attention (3), attention only:
 * `f(X) = Σ_j softmax_row(s · X W_{Qj} W_{Kj}ᵀ Xᵀ) X W_{Vj} W_{Oj}` (`n × c`), read out as a
 * scalar, a vector (one token's row, or the mean) or the whole sequence. Training loss:
 * `Σ_i L(f(X_i), Y_i) + β/2 (‖W_Q‖² + ‖W_K‖² + ‖W_V‖² + ‖W_O‖²)`. Initialization: every
 * matrix uniform in `±1/√fan_in` (PyTorch's `nn.Linear` default), seeded.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { StandardAttention } from "@convexformer/baselines";
 * const model = new StandardAttention({ tokens: 4, features: 8, heads: 2, outputs: 3, beta: 1e-3 });
 * model.predict(TokenBatch.zeros(5, 4, 8)).length; // 5 * 3
 * model.dispose();
 * ```
 */
export class StandardAttention extends AttentionModel {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `dk`: per-head width. */
  readonly headDim: number;
  /** Readout for scalar and vector outputs. */
  readonly readout: number | "mean";
  /** Multiplier of the attention scores. */
  readonly scoreScale: number;

  /**
   * @param options - the model's settings ({@link StandardAttentionOptions}), validated here
   * @throws `InvalidOptionError` for bad options (features not divisible by heads
   * without an explicit headDim, bad readout, …)
   */
  constructor(options: StandardAttentionOptions) {
    const output = validateOutputKind(options?.output, options?.outputs);
    const config = validateCommonOptions(options, output);
    super(config);
    this.heads = validateHeads(options.heads);
    this.headDim = validateHeadDim(config.features, this.heads, options.headDim);
    this.readout = validateReadout(options.readout, config.tokens);
    const scale = options.scoreScale ?? 1;
    if (typeof scale !== "number" || !Number.isFinite(scale)) {
      throw new InvalidOptionError("scoreScale", scale, "must be a finite number");
    }
    this.scoreScale = scale;
    const { features: d, outputs: c, seed } = config;
    const w = this.heads * this.headDim;
    const rng = createRng(seed);
    this.addParameter("WQ", seededUniform(rng, [d, w], 1 / Math.sqrt(d)));
    this.addParameter("WK", seededUniform(rng, [d, w], 1 / Math.sqrt(d)));
    this.addParameter("WV", seededUniform(rng, [d, w], 1 / Math.sqrt(d)));
    this.addParameter("WO", seededUniform(rng, [w, c], 1 / Math.sqrt(w)));
  }

  /** `[b, n, h·dk]` → `[b·h, n, dk]`. */
  private splitHeads(t: Tensor, b: number): Tensor {
    const n = this.config.tokens;
    return tf
      .transpose(t.reshape([b, n, this.heads, this.headDim]), [0, 2, 1, 3])
      .reshape([b * this.heads, n, this.headDim]);
  }

  /**
   * Attention matrices `[b, h, n, n]` of a batch of inputs `[b, n, d]` (a tensor; the
   * caller disposes it).
   *
   * @param inputs - float32 token matrices `[b, n, d]` (the model's `tokens` and `features`)
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { StandardAttention } from "@convexformer/baselines";
   * const m = new StandardAttention({ tokens: 3, features: 4, heads: 2 });
   * const a = m.attentionMaps(tf.ones([1, 3, 4])); // [1, 2, 3, 3], rows sum to 1
   * ```
   */
  attentionMaps(inputs: Tensor): Tensor {
    return tf.tidy(() => {
      const b = inputs.shape[0] as number;
      const n = this.config.tokens;
      return this.scores(inputs, b).reshape([b, this.heads, n, n]);
    });
  }

  private scores(inputs: Tensor, b: number): Tensor {
    const q = this.splitHeads(matMulLastAxis(inputs, this.param("WQ")), b);
    const k = this.splitHeads(matMulLastAxis(inputs, this.param("WK")), b);
    return tf.softmax(tf.mul(fastMatMul(q, k, false, true), this.scoreScale), -1);
  }

  /**
   * Predictions for a batch of inputs (see {@link AttentionModel.predict} for float64 ones).
   *
   * @param inputs - float32 token matrices `[b, n, d]` (`b` samples)
   */
  protected forward(inputs: Tensor): Tensor {
    const b = inputs.shape[0] as number;
    const n = this.config.tokens;
    const v = this.splitHeads(matMulLastAxis(inputs, this.param("WV")), b);
    const o = fastMatMul(this.scores(inputs, b), v); // [b·h, n, dk]
    const merged = tf
      .transpose(o.reshape([b, this.heads, n, this.headDim]), [0, 2, 1, 3])
      .reshape([b, n, this.heads * this.headDim]);
    const y = matMulLastAxis(merged, this.param("WO")); // [b, n, c]
    return applyReadout(y, this.config.output, this.readout);
  }

  protected penalty(): Scalar {
    return tf.tidy(
      () =>
        tf.mul(
          this.config.beta / 2,
          sumSquares(this.param("WQ"), this.param("WK"), this.param("WV"), this.param("WO")),
        ) as Scalar,
    );
  }

  /**
   * The current weights in the attention package's `StandardAttentionWeights` layout (the one
   * its float64 `standardAttentionForward` evaluates): `WQ`, `WK`, `WV` `h × d × dk`, `WO`
   * `h × dk × c`, `hidden = dk`, and the model's `scoreScale`. The readout (scalar/vector
   * outputs) is the model's, not a weight: the layer's output is every token's row.
   *
   * @example
   * ```ts
   * import { StandardAttention } from "@convexformer/baselines";
   * const m = new StandardAttention({ tokens: 3, features: 4, heads: 2 });
   * m.exportWeights().WQ.length; // 2 heads × 4 features × 2 = 16
   * ```
   */
  exportWeights(): StandardAttentionWeights {
    const { features: d, outputs } = this.config;
    const blocks = (name: string) =>
      blocksFromColumns(this.readParameter(name), d, this.heads, this.headDim);
    return {
      heads: this.heads,
      features: d,
      hidden: this.headDim,
      outputs,
      WQ: blocks("WQ"),
      WK: blocks("WK"),
      WV: blocks("WV"),
      WO: this.readParameter("WO"),
      scoreScale: this.scoreScale,
    };
  }

  /**
   * Overwrites the weights from the attention package's `StandardAttentionWeights` layout
   * (sizes must match the model, `hidden` its `headDim`; `scoreScale`, default 1, must be the
   * model's: it is a setting of the model, not a trained weight).
   *
   * @param weights - float64 weights in the `StandardAttentionWeights` layout of
   *   `@convexformer/attention`, e.g. another model's {@link StandardAttention.exportWeights}
   * @throws `ShapeMismatchError` naming the field (`weights.hidden`, `weights.WQ`, …);
   *   `InvalidOptionError` naming `weights.scoreScale`
   *
   * @example
   * ```ts
   * import { StandardAttention } from "@convexformer/baselines";
   * const a = new StandardAttention({ tokens: 3, features: 4, heads: 2, seed: 1 });
   * const b = new StandardAttention({ tokens: 3, features: 4, heads: 2, seed: 2 });
   * b.loadWeights(a.exportWeights());
   * ```
   */
  loadWeights(weights: StandardAttentionWeights): void {
    const h = this.heads;
    const d = this.config.features;
    const m = this.headDim;
    validateDimension("weights.heads", weights.heads, h);
    validateDimension("weights.features", weights.features, d);
    validateDimension("weights.hidden", weights.hidden, m);
    validateDimension("weights.outputs", weights.outputs, this.config.outputs);
    const scale = weights.scoreScale ?? 1;
    if (scale !== this.scoreScale) {
      throw new InvalidOptionError(
        "weights.scoreScale",
        scale,
        `must be the model's scoreScale (${this.scoreScale})`,
      );
    }
    const columns = (name: "WQ" | "WK" | "WV") =>
      columnsFromBlocks(validateFloat64Array(`weights.${name}`, weights[name], h * d * m), d, h, m);
    const WQ = columns("WQ");
    const WK = columns("WK");
    const WV = columns("WV");
    this.assignParameter("WQ", WQ, "weights.WQ");
    this.assignParameter("WK", WK, "weights.WK");
    this.assignParameter("WV", WV, "weights.WV");
    this.assignParameter("WO", weights.WO, "weights.WO");
  }
}
