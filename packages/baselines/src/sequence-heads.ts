import type { SequenceWeights } from "@convexformer/attention";
import { createRng, validateInteger } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";
import { AttentionModel } from "./attention-model.js";
import {
  type AttentionModelOptions,
  type SimplexParameterization,
  validateCommonOptions,
} from "./attention-model-config.js";
import {
  validateDimension,
  validateHeads,
  validateSimplexParameterization,
} from "./internal/model-options.js";
import {
  float64SimplexRows,
  initialSimplex,
  simplexParameterFrom,
  simplexValue,
} from "./internal/simplex-parameter.js";
import { seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";

/**
 * Options of {@link SequenceHeads}.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SequenceHeads, type SequenceHeadsOptions } from "@convexformer/baselines";
 * const options: SequenceHeadsOptions = { tokens: 3, features: 2, outputs: 2, heads: 2, simplex: "projection" };
 * const m = new SequenceHeads(options);
 * m.predict(TokenBatch.zeros(4, 3, 2)).length; // 24 (4 samples × 3 tokens × 2 outputs)
 * m.dispose();
 * ```
 */
export interface SequenceHeadsOptions extends AttentionModelOptions {
  /** `h`: number of heads. */
  readonly heads: number;
  /** How each `W_{1j}` stays row-stochastic (default `"softmax"`, row-wise). */
  readonly simplex?: SimplexParameterization;
}

/**
 * The nonconvex sequence-output model (30): `Ŷ = Σ_j α_j W_{1j} X W_{2j}` with
 * row-stochastic `W_{1j}`, trained on the regularized objective
 * `Σ_i L(Ŷ_i, Y_i) + β/2 Σ_j (‖W_{2j}‖₁² + α_j²)` (entrywise ℓ1, subgradient `sign` at 0).
 * Sequence targets: `Float64Array(N·n·c)`, or `Int32Array(N·n)` classes for cross-entropy
 * (applied per token over the `c` outputs). Initialization: `W_1` uniform, `W_2` uniform in
 * `±1/√d`, `α` uniform in `±1/√h`, seeded.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SequenceHeads } from "@convexformer/baselines";
 * const model = new SequenceHeads({ tokens: 3, features: 2, outputs: 1, heads: 2, beta: 0.1 });
 * model.predict(TokenBatch.zeros(4, 3, 2)).length; // 4 * 3 * 1
 * model.dispose();
 * ```
 */
export class SequenceHeads extends AttentionModel {
  /** `h`: number of heads. */
  readonly heads: number;
  /** The simplex parameterization of `W_1`. */
  readonly simplex: SimplexParameterization;

  /**
   * @param options - the model's settings ({@link SequenceHeadsOptions}), validated here
   * @throws `InvalidOptionError` for bad options
   */
  constructor(options: SequenceHeadsOptions) {
    const config = validateCommonOptions(options, "sequence");
    super(config);
    this.heads = validateHeads(options.heads);
    this.simplex = validateSimplexParameterization(options.simplex);
    const { tokens: n, features: d, outputs: c, seed } = config;
    const h = this.heads;
    validateInteger("heads", h, 1);
    const rng = createRng(seed);
    this.addParameter(
      this.simplex === "softmax" ? "W1Logits" : "W1",
      initialSimplex([h, n, n], this.simplex),
      this.simplex === "projection" ? n : undefined,
    );
    this.addParameter("W2", seededUniform(rng, [h, d, c], 1 / Math.sqrt(d)));
    this.addParameter("alpha", seededUniform(rng, [h], 1 / Math.sqrt(h)));
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
    const { tokens: n, features: d, outputs: c } = this.config;
    const h = this.heads;
    const b = inputs.shape[0] as number;
    const w2 = tf.transpose(this.param("W2"), [1, 0, 2]).reshape([d, h * c]);
    const xw = matMulLastAxis(inputs, w2).reshape([b, n, h, c]); // X W_{2j}
    const stacked = tf.transpose(xw, [2, 1, 0, 3]).reshape([h, n, b * c]);
    const mixed = fastMatMul(this.w1(), stacked); // [h, n, b·c]: W_{1j} X W_{2j}
    const y = tf.sum(tf.mul(mixed, this.param("alpha").reshape([h, 1, 1])), 0); // [n, b·c]
    return tf.transpose(y.reshape([n, b, c]), [1, 0, 2]);
  }

  protected penalty(): Scalar {
    return tf.tidy(() => {
      const l1 = tf.sum(tf.abs(this.param("W2")), [1, 2]);
      const r = tf.add(tf.sum(tf.square(l1)), tf.sum(tf.square(this.param("alpha"))));
      return tf.mul(this.config.beta / 2, r) as Scalar;
    });
  }

  /**
   * The current weights in the attention package's `SequenceWeights` layout (the one its
   * float64 `sequenceAttentionForward` evaluates and `recoverSequenceNetwork` produces; rows of `W1` renormalized in float64 to sum to 1).
   *
   * @example
   * ```ts
   * import { SequenceHeads } from "@convexformer/baselines";
   * const m = new SequenceHeads({ tokens: 2, features: 1, heads: 1 });
   * m.exportWeights().W1; // Float64Array [0.5, 0.5, 0.5, 0.5]
   * ```
   */
  exportWeights(): SequenceWeights {
    const { tokens, features, outputs } = this.config;
    // clone: under the projection parameterization the value is the variable itself
    const w1t = tf.tidy(() => tf.clone(this.w1()));
    const W1 = float64SimplexRows(tensorToFloat64(w1t), this.config.tokens);
    w1t.dispose();
    return {
      heads: this.heads,
      tokens,
      features,
      outputs,
      W1,
      W2: this.readParameter("W2"),
      alpha: this.readParameter("alpha"),
    };
  }

  /**
   * Overwrites the weights from the attention package's `SequenceWeights` layout (the one its
   * float64 `sequenceAttentionForward` evaluates and `recoverSequenceNetwork` produces) (dimensions must
   * match; every row of every `W_{1j}` must lie on the simplex).
   *
   * @param weights - float64 weights in the `SequenceWeights` layout of `@convexformer/attention`
   *
   * @example
   * ```ts
   * import { SequenceHeads } from "@convexformer/baselines";
   * const m = new SequenceHeads({ tokens: 2, features: 1, heads: 1 });
   * m.loadWeights({ heads: 1, tokens: 2, features: 1, outputs: 1,
   *   W1: new Float64Array([1, 0, 0, 1]), W2: new Float64Array([3]), alpha: new Float64Array([1]) });
   * ```
   */
  loadWeights(weights: SequenceWeights): void {
    const { tokens: n, features: d, outputs: c } = this.config;
    const h = this.heads;
    validateDimension("weights.heads", weights.heads, h);
    validateDimension("weights.tokens", weights.tokens, n);
    validateDimension("weights.features", weights.features, d);
    validateDimension("weights.outputs", weights.outputs, c);
    const raw = simplexParameterFrom(weights.W1, n, h * n * n, this.simplex, "weights.W1");
    this.assignParameter("W2", weights.W2, "weights.W2");
    this.assignParameter("alpha", weights.alpha, "weights.alpha");
    this.assignParameter(this.simplex === "softmax" ? "W1Logits" : "W1", raw, "weights.W1");
  }
}
