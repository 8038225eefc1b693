import { createRng } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import {
  AttentionModel,
  type AttentionModelOptions,
  type OutputKind,
  resolveCommonOptions,
  type SimplexParameterization,
} from "./attention-model.js";
import {
  applyReadout,
  checkDim,
  initialSimplex,
  resolveHeadDim,
  resolveHeads,
  resolveOutputKind,
  resolveReadout,
  resolveSimplex,
  simplexParameterFrom,
  simplexValue,
  sumSquares,
} from "./internal/model-utils.js";
import { seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul, linearMap } from "./tfjs-matmul.js";

/**
 * Plain float64 weights of simplex attention (4), row-major:
 * - `W1`: `heads × tokens × tokens`, each block row-stochastic (`W_{1j} ∈ Δ`);
 * - `WV`: `features × (heads·headDim)` (head `j` = columns `j·dk …`);
 * - `WO`: `(heads·headDim) × outputs` (head `j` = rows `j·dk …`).
 *
 * Output rows `Σ_j W_{1j} X W_{Vj} W_{Oj}`.
 */
export interface SimplexAttentionWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `dk`: per-head width. */
  readonly headDim: number;
  /** `c`: outputs. */
  readonly outputs: number;
  /** `h × n × n`, row-stochastic blocks. */
  readonly W1: Float64Array;
  /** `d × h·dk`. */
  readonly WV: Float64Array;
  /** `h·dk × c`. */
  readonly WO: Float64Array;
}

/** Options of {@link SimplexAttention}. */
export interface SimplexAttentionOptions extends AttentionModelOptions {
  /** `h`: number of heads (default 1). */
  readonly heads?: number;
  /** `dk`: per-head width (default `features / heads`, which must then divide). */
  readonly headDim?: number;
  /** Output per sample (default `"scalar"` when `outputs = 1`, else `"vector"`). */
  readonly output?: OutputKind;
  /** Readout token for scalar/vector outputs (default 0) or `"mean"`. */
  readonly readout?: number | "mean";
  /** How each `W_{1j}` stays row-stochastic (default `"softmax"`). */
  readonly simplex?: SimplexParameterization;
}

/**
 * Simplex attention (4), the relaxation of (3) (not a reformulation): a learned
 * row-stochastic `W_{1j}` shared by all inputs replaces the softmax attention of each head:
 * `f(X) = Σ_j W_{1j} X W_{Vj} W_{Oj}`. Training loss
 * `Σ_i L(f(X_i), Y_i) + β/2 (‖W_V‖² + ‖W_O‖²)`, `W_1` unregularized. Initialization: `W_1`
 * uniform, `W_V`/`W_O` uniform in `±1/√fan_in`, seeded.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexAttention } from "@convexformer/baselines";
 * const model = new SimplexAttention({ tokens: 2, features: 1, output: "sequence", beta: 1 });
 * model.objective(TokenBatch.zeros(1, 2, 1), new Float64Array([1, 1]));
 * model.dispose();
 * ```
 */
export class SimplexAttention extends AttentionModel {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `dk`: per-head width. */
  readonly headDim: number;
  /** Readout for scalar and vector outputs. */
  readonly readout: number | "mean";
  /** The simplex parameterization of `W_1`. */
  readonly simplex: SimplexParameterization;

  /** @throws `InvalidOptionError` for bad options */
  constructor(options: SimplexAttentionOptions) {
    const output = resolveOutputKind(options?.output, options?.outputs);
    const config = resolveCommonOptions(options, output);
    super(config);
    this.heads = resolveHeads(options.heads ?? 1);
    this.headDim = resolveHeadDim(config.features, this.heads, options.headDim);
    this.readout = resolveReadout(options.readout, config.tokens);
    this.simplex = resolveSimplex(options.simplex);
    const { tokens: n, features: d, outputs: c, seed } = config;
    const h = this.heads;
    const w = h * this.headDim;
    const rng = createRng(seed);
    this.addParameter(
      this.simplex === "softmax" ? "W1Logits" : "W1",
      initialSimplex([h, n, n], this.simplex),
      this.simplex === "projection" ? n : undefined,
    );
    this.addParameter("WV", seededUniform(rng, [d, w], 1 / Math.sqrt(d)));
    this.addParameter("WO", seededUniform(rng, [w, c], 1 / Math.sqrt(w)));
  }

  private w1(): tf.Tensor {
    return simplexValue(this.param(this.simplex === "softmax" ? "W1Logits" : "W1"), this.simplex);
  }

  protected forward(inputs: tf.Tensor): tf.Tensor {
    const b = inputs.shape[0] as number;
    const { tokens: n } = this.config;
    const h = this.heads;
    const dk = this.headDim;
    const v = linearMap(inputs, this.param("WV")).reshape([b, n, h, dk]);
    const stacked = tf.transpose(v, [2, 1, 0, 3]).reshape([h, n, b * dk]);
    const mixed = fastMatMul(this.w1(), stacked).reshape([h, n, b, dk]); // W_{1j} X W_{Vj}
    const merged = tf.transpose(mixed, [2, 1, 0, 3]).reshape([b, n, h * dk]);
    const y = linearMap(merged, this.param("WO"));
    return applyReadout(y, this.config.output, this.readout);
  }

  protected penalty(): tf.Scalar {
    return tf.tidy(
      () =>
        tf.mul(this.config.beta / 2, sumSquares(this.param("WV"), this.param("WO"))) as tf.Scalar,
    );
  }

  /**
   * The current weights in the {@link SimplexAttentionWeights} layout.
   *
   * @example
   * ```ts
   * import { SimplexAttention } from "@convexformer/baselines";
   * const m = new SimplexAttention({ tokens: 2, features: 2, heads: 2 });
   * m.exportWeights().W1; // 2 blocks of [[0.5, 0.5], [0.5, 0.5]]
   * ```
   */
  exportWeights(): SimplexAttentionWeights {
    // clone: under the projection parameterization the value is the variable itself
    const w1t = tf.tidy(() => tf.clone(this.w1()));
    const W1 = tensorToFloat64(w1t);
    w1t.dispose();
    return {
      heads: this.heads,
      tokens: this.config.tokens,
      features: this.config.features,
      headDim: this.headDim,
      outputs: this.config.outputs,
      W1,
      WV: this.readParameter("WV"),
      WO: this.readParameter("WO"),
    };
  }

  /**
   * Overwrites the weights from the {@link SimplexAttentionWeights} layout.
   *
   * @example
   * ```ts
   * import { SimplexAttention } from "@convexformer/baselines";
   * const m = new SimplexAttention({ tokens: 2, features: 1, output: "sequence" });
   * m.loadWeights({ heads: 1, tokens: 2, features: 1, headDim: 1, outputs: 1,
   *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([Math.SQRT1_2]),
   *   WO: new Float64Array([Math.SQRT1_2]) });
   * ```
   */
  loadWeights(weights: SimplexAttentionWeights): void {
    const { tokens: n, features: d, outputs: c } = this.config;
    const h = this.heads;
    checkDim("weights.heads", weights.heads, h);
    checkDim("weights.tokens", weights.tokens, n);
    checkDim("weights.features", weights.features, d);
    checkDim("weights.headDim", weights.headDim, this.headDim);
    checkDim("weights.outputs", weights.outputs, c);
    const raw = simplexParameterFrom(weights.W1, n, h * n * n, this.simplex, "weights.W1");
    this.assignParameter("WV", weights.WV, "weights.WV");
    this.assignParameter("WO", weights.WO, "weights.WO");
    this.assignParameter(this.simplex === "softmax" ? "W1Logits" : "W1", raw, "weights.W1");
  }
}
