import { createRng, InvalidOptionError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import {
  AttentionModel,
  type AttentionModelOptions,
  type OutputKind,
  resolveCommonOptions,
} from "./attention-model.js";
import {
  applyReadout,
  checkDim,
  resolveHeadDim,
  resolveHeads,
  resolveOutputKind,
  resolveReadout,
  sumSquares,
} from "./internal/model-utils.js";
import { seededUniform } from "./tfjs-init.js";
import { fastMatMul, linearMap } from "./tfjs-matmul.js";

/**
 * Plain float64 weights of standard multi-head attention (3), row-major. Head `j` uses
 * columns `j·dk … (j+1)·dk − 1` of `WQ`, `WK`, `WV` and rows `j·dk … (j+1)·dk − 1` of `WO`:
 * - `WQ`, `WK`, `WV`: `features × (heads·headDim)`;
 * - `WO`: `(heads·headDim) × outputs`.
 *
 * Output rows `Σ_j softmax_row(s · X W_{Qj} W_{Kj}ᵀ Xᵀ) X W_{Vj} W_{Oj}` (`s` = `scoreScale`).
 */
export interface StandardAttentionWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `dk`: per-head width. */
  readonly headDim: number;
  /** `c`: outputs. */
  readonly outputs: number;
  /** `d × h·dk`. */
  readonly WQ: Float64Array;
  /** `d × h·dk`. */
  readonly WK: Float64Array;
  /** `d × h·dk`. */
  readonly WV: Float64Array;
  /** `h·dk × c`. */
  readonly WO: Float64Array;
}

/** Options of {@link StandardAttention}. */
export interface StandardAttentionOptions extends AttentionModelOptions {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `dk`: per-head width (default `features / heads`, which must then divide). */
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
   * @throws `InvalidOptionError` for bad options (features not divisible by heads
   * without an explicit headDim, bad readout, …)
   */
  constructor(options: StandardAttentionOptions) {
    const output = resolveOutputKind(options?.output, options?.outputs);
    const config = resolveCommonOptions(options, output);
    super(config);
    this.heads = resolveHeads(options.heads);
    this.headDim = resolveHeadDim(config.features, this.heads, options.headDim);
    this.readout = resolveReadout(options.readout, config.tokens);
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
  private splitHeads(t: tf.Tensor, b: number): tf.Tensor {
    const n = this.config.tokens;
    return tf
      .transpose(t.reshape([b, n, this.heads, this.headDim]), [0, 2, 1, 3])
      .reshape([b * this.heads, n, this.headDim]);
  }

  /**
   * Attention matrices `[b, h, n, n]` of a batch of inputs `[b, n, d]` (a tensor; the
   * caller disposes it).
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { StandardAttention } from "@convexformer/baselines";
   * const m = new StandardAttention({ tokens: 3, features: 4, heads: 2 });
   * const a = m.attentionMaps(tf.ones([1, 3, 4])); // [1, 2, 3, 3], rows sum to 1
   * ```
   */
  attentionMaps(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const b = inputs.shape[0] as number;
      const n = this.config.tokens;
      return this.scores(inputs, b).reshape([b, this.heads, n, n]);
    });
  }

  private scores(inputs: tf.Tensor, b: number): tf.Tensor {
    const q = this.splitHeads(linearMap(inputs, this.param("WQ")), b);
    const k = this.splitHeads(linearMap(inputs, this.param("WK")), b);
    return tf.softmax(tf.mul(fastMatMul(q, k, false, true), this.scoreScale), -1);
  }

  protected forward(inputs: tf.Tensor): tf.Tensor {
    const b = inputs.shape[0] as number;
    const n = this.config.tokens;
    const v = this.splitHeads(linearMap(inputs, this.param("WV")), b);
    const o = fastMatMul(this.scores(inputs, b), v); // [b·h, n, dk]
    const merged = tf
      .transpose(o.reshape([b, this.heads, n, this.headDim]), [0, 2, 1, 3])
      .reshape([b, n, this.heads * this.headDim]);
    const y = linearMap(merged, this.param("WO")); // [b, n, c]
    return applyReadout(y, this.config.output, this.readout);
  }

  protected penalty(): tf.Scalar {
    return tf.tidy(
      () =>
        tf.mul(
          this.config.beta / 2,
          sumSquares(this.param("WQ"), this.param("WK"), this.param("WV"), this.param("WO")),
        ) as tf.Scalar,
    );
  }

  /**
   * The current weights in the {@link StandardAttentionWeights} layout.
   *
   * @example
   * ```ts
   * import { StandardAttention } from "@convexformer/baselines";
   * const m = new StandardAttention({ tokens: 3, features: 4, heads: 2 });
   * m.exportWeights().WQ.length; // 4 * 4
   * ```
   */
  exportWeights(): StandardAttentionWeights {
    return {
      heads: this.heads,
      features: this.config.features,
      headDim: this.headDim,
      outputs: this.config.outputs,
      WQ: this.readParameter("WQ"),
      WK: this.readParameter("WK"),
      WV: this.readParameter("WV"),
      WO: this.readParameter("WO"),
    };
  }

  /**
   * Overwrites the weights from the {@link StandardAttentionWeights} layout.
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
    checkDim("weights.heads", weights.heads, this.heads);
    checkDim("weights.features", weights.features, this.config.features);
    checkDim("weights.headDim", weights.headDim, this.headDim);
    checkDim("weights.outputs", weights.outputs, this.config.outputs);
    this.assignParameter("WQ", weights.WQ, "weights.WQ");
    this.assignParameter("WK", weights.WK, "weights.WK");
    this.assignParameter("WV", weights.WV, "weights.WV");
    this.assignParameter("WO", weights.WO, "weights.WO");
  }
}
