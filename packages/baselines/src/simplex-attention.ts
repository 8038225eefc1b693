import type { SimplexAttentionWeights } from "@convexformer/attention";
import { createRng } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";
import { AttentionModel } from "./attention-model.js";
import {
  type AttentionModelOptions,
  type OutputKind,
  type SimplexParameterization,
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
  validateSimplexParameterization,
} from "./internal/model-options.js";
import { applyReadout } from "./internal/readout.js";
import {
  float64SimplexRows,
  initialSimplex,
  simplexParameterFrom,
  simplexValue,
} from "./internal/simplex-parameter.js";
import { sumSquares } from "./internal/sum-squares.js";
import { seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";

/**
 * Options of {@link SimplexAttention}.
 *
 * @example
 * ```ts
 * import { SimplexAttention, type SimplexAttentionOptions } from "@convexformer/baselines";
 * const options: SimplexAttentionOptions = { tokens: 3, features: 4, heads: 2, outputs: 3, readout: "mean" };
 * const m = new SimplexAttention(options);
 * m.config.output; // "vector"
 * m.exportWeights().hidden; // 2 (features / heads)
 * m.dispose();
 * ```
 */
export interface SimplexAttentionOptions extends AttentionModelOptions {
  /** `h`: number of heads (default 1). */
  readonly heads?: number;
  /** `dk`: per-head width, `hidden` in the weights (default `features / heads`, which must then divide). */
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

  /**
   * @param options - the model's settings ({@link SimplexAttentionOptions}), validated here
   * @throws `InvalidOptionError` for bad options
   */
  constructor(options: SimplexAttentionOptions) {
    const output = validateOutputKind(options?.output, options?.outputs);
    const config = validateCommonOptions(options, output);
    super(config);
    this.heads = validateHeads(options.heads ?? 1);
    this.headDim = validateHeadDim(config.features, this.heads, options.headDim);
    this.readout = validateReadout(options.readout, config.tokens);
    this.simplex = validateSimplexParameterization(options.simplex);
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

  private w1(): Tensor {
    return simplexValue(this.param(this.simplex === "softmax" ? "W1Logits" : "W1"), this.simplex);
  }

  /**
   * Predictions for a batch of inputs (see {@link AttentionModel.predict} for float64 ones).
   *
   * @param inputs - float32 token matrices `[b, n, d]` (`b` samples)
   */
  protected forward(inputs: Tensor): Tensor {
    const b = inputs.shape[0] as number;
    const { tokens: n } = this.config;
    const h = this.heads;
    const dk = this.headDim;
    const v = matMulLastAxis(inputs, this.param("WV")).reshape([b, n, h, dk]);
    const stacked = tf.transpose(v, [2, 1, 0, 3]).reshape([h, n, b * dk]);
    const mixed = fastMatMul(this.w1(), stacked).reshape([h, n, b, dk]); // W_{1j} X W_{Vj}
    const merged = tf.transpose(mixed, [2, 1, 0, 3]).reshape([b, n, h * dk]);
    const y = matMulLastAxis(merged, this.param("WO"));
    return applyReadout(y, this.config.output, this.readout);
  }

  protected penalty(): Scalar {
    return tf.tidy(
      () => tf.mul(this.config.beta / 2, sumSquares(this.param("WV"), this.param("WO"))) as Scalar,
    );
  }

  /**
   * The current weights in the attention package's `SimplexAttentionWeights` layout (the one
   * its float64 `simplexAttentionForward` evaluates): `W1` `h × n × n` (the simplex weights
   * themselves, `softmax(logits)` under the softmax parameterization, rows renormalized in float64 to sum to 1), `WV` `h × d × dk`,
   * `WO` `h × dk × c`, `hidden = dk`. The readout (scalar/vector outputs) is the model's, not
   * a weight: the layer's output is every token's row.
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
    const W1 = float64SimplexRows(tensorToFloat64(w1t), this.config.tokens);
    w1t.dispose();
    return {
      heads: this.heads,
      tokens: this.config.tokens,
      features: this.config.features,
      hidden: this.headDim,
      outputs: this.config.outputs,
      W1,
      WV: blocksFromColumns(
        this.readParameter("WV"),
        this.config.features,
        this.heads,
        this.headDim,
      ),
      WO: this.readParameter("WO"),
    };
  }

  /**
   * Overwrites the weights from the attention package's `SimplexAttentionWeights` layout
   * (sizes must match the model, `hidden` its `headDim`; rows of `W1` on the simplex).
   *
   * @param weights - float64 weights in the `SimplexAttentionWeights` layout of
   *   `@convexformer/attention` (rows of `W1` on the simplex)
   * @throws `ShapeMismatchError` naming the field (`weights.hidden`, `weights.WV`, …)
   *
   * @example
   * ```ts
   * import { SimplexAttention } from "@convexformer/baselines";
   * const m = new SimplexAttention({ tokens: 2, features: 1, output: "sequence" });
   * m.loadWeights({ heads: 1, tokens: 2, features: 1, hidden: 1, outputs: 1,
   *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([Math.SQRT1_2]),
   *   WO: new Float64Array([Math.SQRT1_2]) });
   * ```
   */
  loadWeights(weights: SimplexAttentionWeights): void {
    const { tokens: n, features: d, outputs: c } = this.config;
    const h = this.heads;
    validateDimension("weights.heads", weights.heads, h);
    validateDimension("weights.tokens", weights.tokens, n);
    validateDimension("weights.features", weights.features, d);
    validateDimension("weights.hidden", weights.hidden, this.headDim);
    validateDimension("weights.outputs", weights.outputs, c);
    const raw = simplexParameterFrom(weights.W1, n, h * n * n, this.simplex, "weights.W1");
    const WV = validateFloat64Array("weights.WV", weights.WV, h * d * this.headDim);
    this.assignParameter("WV", columnsFromBlocks(WV, d, h, this.headDim), "weights.WV");
    this.assignParameter("WO", weights.WO, "weights.WO");
    this.assignParameter(this.simplex === "softmax" ? "W1Logits" : "W1", raw, "weights.W1");
  }
}
