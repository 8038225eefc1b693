import type { AttentionWeights, GateVectors } from "@convexformer/attention";
import {
  createRng,
  InvalidOptionError,
  ShapeMismatchError,
  validateFinite,
} from "@convexformer/tensors";
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
import { seededNormal, seededUniform, tensorToFloat64 } from "./tfjs-init.js";
import { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";

/**
 * Options of {@link SimplexHeads}.
 *
 * @example
 * ```ts
 * import { SimplexHeads, type SimplexHeadsOptions } from "@convexformer/baselines";
 * const options: SimplexHeadsOptions = { tokens: 3, features: 2, heads: 2, gates: "random", seed: 4 };
 * const m = new SimplexHeads(options);
 * m.gated; // true (model (13))
 * m.exportWeights().gates?.u1.length; // 6 (h × n)
 * m.dispose();
 * ```
 */
export interface SimplexHeadsOptions extends AttentionModelOptions {
  /** `h`: number of heads. */
  readonly heads: number;
  /** How `w_{1j}` stays on the simplex (default `"softmax"`). */
  readonly simplex?: SimplexParameterization;
  /**
   * Gates of model (13): `"random"` samples `u_{1j}, u_{2j}` from `N(0, 1)` with the model's
   * seed; or pass them (`u1` `h × n`, `u2` `h × d`). Omit for the ungated models (8)/(11).
   */
  readonly gates?: "random" | GateVectors;
}

/**
 * The nonconvex multi-head simplex models of the paper:
 * (8) scalar output `ŷ = Σ_j α_j w_{1j}ᵀ X w_{2j}` (`outputs = 1`),
 * (11) vector output `ŷ = Σ_j (w_{1j}ᵀ X w_{2j}) α_j`, `α_j ∈ R^c`, and
 * (13) the same with fixed gated-ReLU gates `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]`.
 * Training loss: the regularized objective `Σ_i L(ŷ_i, y_i) + β/2 Σ_j (‖w_{2j}‖² + ‖α_j‖₁²)`
 * (`w_1` unregularized). Initialization: `w_1` uniform (zero logits), `w_2` uniform in
 * `±1/√d`, `α` uniform in `±1/√h`, seeded.
 *
 * Weights in and out: {@link SimplexHeads.exportWeights} / {@link SimplexHeads.loadWeights}
 * in the attention package's `AttentionWeights` layout (a recovered convex network, one head per nonzero row
 * with `w_1 = e_k`, loads exactly: zero weights become logits of −10⁴ whose softmax is
 * exactly 0 in float32).
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 4, features: 3, heads: 4, beta: 0.01 });
 * const X = TokenBatch.zeros(16, 4, 3);
 * const data = model.dataset(X, new Float64Array(16));
 * await train(model, data, { optimizer: "adam", learningRate: 0.01, steps: 10 });
 * const weights = model.exportWeights(); // { w1, w2, alpha, … }
 * data.dispose(); model.dispose();
 * ```
 */
export class SimplexHeads extends AttentionModel {
  /** `h`: number of heads. */
  readonly heads: number;
  /** The simplex parameterization of `w_1`. */
  readonly simplex: SimplexParameterization;
  /** Whether this is the gated model (13). */
  readonly gated: boolean;
  private u1: Tensor | undefined;
  private u2: Tensor | undefined;

  /**
   * @param options - the model's settings ({@link SimplexHeadsOptions}), validated here
   * @throws `InvalidOptionError` for bad options (heads < 1, unknown simplex kind, …)
   */
  constructor(options: SimplexHeadsOptions) {
    const config = validateCommonOptions(
      options,
      (options?.outputs ?? 1) === 1 ? "scalar" : "vector",
    );
    super(config);
    this.heads = validateHeads(options.heads);
    this.simplex = validateSimplexParameterization(options.simplex);
    const { tokens: n, features: d, outputs: c, seed } = config;
    const h = this.heads;
    const rng = createRng(seed);
    this.addParameter(
      this.simplex === "softmax" ? "w1Logits" : "w1",
      initialSimplex([h, n], this.simplex),
      this.simplex === "projection" ? n : undefined,
    );
    this.addParameter("w2", seededUniform(rng, [h, d], 1 / Math.sqrt(d)));
    this.addParameter("alpha", seededUniform(rng, [h, c], 1 / Math.sqrt(h)));
    const gates = options.gates;
    this.gated = gates !== undefined;
    if (gates === "random") {
      const gateRng = rng.split();
      this.u1 = seededNormal(gateRng, [h, n], 1);
      this.u2 = seededNormal(gateRng, [h, d], 1);
    } else if (gates !== undefined) {
      if (typeof gates !== "object" || gates === null) {
        throw new InvalidOptionError("gates", gates, 'must be "random" or { u1, u2 }');
      }
      this.setGates(gates.u1, gates.u2);
    }
  }

  private setGates(u1: Float64Array, u2: Float64Array): void {
    const { tokens: n, features: d } = this.config;
    const h = this.heads;
    if (!(u1 instanceof Float64Array) || u1.length !== h * n) {
      throw new ShapeMismatchError(
        "gates.u1",
        `expected a Float64Array of ${h * n} entries (heads x tokens)`,
      );
    }
    if (!(u2 instanceof Float64Array) || u2.length !== h * d) {
      throw new ShapeMismatchError(
        "gates.u2",
        `expected a Float64Array of ${h * d} entries (heads x features)`,
      );
    }
    validateFinite("gates.u1", u1);
    validateFinite("gates.u2", u2);
    this.u1?.dispose();
    this.u2?.dispose();
    this.u1 = tf.tensor(Float32Array.from(u1), [h, n], "float32");
    this.u2 = tf.tensor(Float32Array.from(u2), [h, d], "float32");
  }

  /** `[b, h]`: `w_{1j}ᵀ X_i w_{2j}` for every sample and head. */
  private headScores(inputs: Tensor, w1: Tensor, w2: Tensor): Tensor {
    const t = matMulLastAxis(inputs, tf.transpose(w2)); // [b, n, h]
    return tf.sum(tf.mul(t, tf.transpose(w1)), 1); // [b, h]
  }

  /**
   * Predictions for a batch of inputs (see {@link AttentionModel.predict} for float64 ones).
   *
   * @param inputs - float32 token matrices `[b, n, d]` (`b` samples)
   */
  protected forward(inputs: Tensor): Tensor {
    const w1 = simplexValue(
      this.param(this.simplex === "softmax" ? "w1Logits" : "w1"),
      this.simplex,
    );
    let s = this.headScores(inputs, w1, this.param("w2"));
    if (this.gated) {
      const g = this.headScores(inputs, this.u1 as Tensor, this.u2 as Tensor);
      s = tf.mul(s, tf.cast(tf.greaterEqual(g, 0), "float32"));
    }
    const y = fastMatMul(s, this.param("alpha")); // [b, c]
    return this.config.output === "scalar" ? y.reshape([inputs.shape[0] as number]) : y;
  }

  protected penalty(): Scalar {
    return tf.tidy(() => {
      const l1 = tf.sum(tf.abs(this.param("alpha")), 1);
      const r = tf.add(tf.sum(tf.square(this.param("w2"))), tf.sum(tf.square(l1)));
      return tf.mul(this.config.beta / 2, r) as Scalar;
    });
  }

  /**
   * The current weights as plain float64 arrays (attention package's `AttentionWeights` layout; `w1` is the
   * simplex weights themselves, `softmax(logits)` under the softmax parameterization; rows renormalized in float64 to sum to 1).
   *
   * @example
   * ```ts
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 3, features: 2, heads: 2 });
   * m.exportWeights().w1; // Float64Array(6), each row 1/3
   * ```
   */
  exportWeights(): AttentionWeights {
    const { tokens, features, outputs } = this.config;
    // clone: under the projection parameterization the value is the variable itself
    const w1t = tf.tidy(() =>
      tf.clone(
        simplexValue(this.param(this.simplex === "softmax" ? "w1Logits" : "w1"), this.simplex),
      ),
    );
    const w1 = float64SimplexRows(tensorToFloat64(w1t), this.config.tokens);
    w1t.dispose();
    const base = {
      heads: this.heads,
      tokens,
      features,
      outputs,
      w1,
      w2: this.readParameter("w2"),
      alpha: this.readParameter("alpha"),
    };
    if (!this.gated) return base;
    return {
      ...base,
      gates: {
        u1: tensorToFloat64(this.u1 as Tensor),
        u2: tensorToFloat64(this.u2 as Tensor),
      },
    };
  }

  /**
   * Overwrites the weights from the attention package's `AttentionWeights` layout. Dimensions must match the
   * model; `w1` rows must lie on the simplex; gates are required for (and only for) a gated
   * model, and replace its gates.
   *
   * @param weights - float64 weights in the `AttentionWeights` layout of
   *   `@convexformer/attention` (`w1` rows on the simplex; gates for the gated model (13))
   * @throws `ShapeMismatchError` on dimension mismatches
   * @throws `InvalidOptionError` when a `w1` row is off the simplex or gates are misplaced
   *
   * @example
   * ```ts
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
   * m.loadWeights({ heads: 1, tokens: 2, features: 1, outputs: 1,
   *   w1: new Float64Array([0, 1]), w2: new Float64Array([2]), alpha: new Float64Array([0.5]) });
   * ```
   */
  loadWeights(weights: AttentionWeights): void {
    const { tokens: n, features: d, outputs: c } = this.config;
    const h = this.heads;
    validateDimension("weights.heads", weights.heads, h);
    validateDimension("weights.tokens", weights.tokens, n);
    validateDimension("weights.features", weights.features, d);
    validateDimension("weights.outputs", weights.outputs, c);
    if ((weights.gates !== undefined) !== this.gated) {
      throw new InvalidOptionError(
        "weights.gates",
        weights.gates === undefined ? "missing" : "present",
        this.gated ? "a gated model (13) needs gates" : "an ungated model cannot take gates",
      );
    }
    const raw = simplexParameterFrom(weights.w1, n, h * n, this.simplex, "weights.w1");
    this.assignParameter("w2", weights.w2, "weights.w2");
    this.assignParameter("alpha", weights.alpha, "weights.alpha");
    this.assignParameter(this.simplex === "softmax" ? "w1Logits" : "w1", raw, "weights.w1");
    if (weights.gates !== undefined) this.setGates(weights.gates.u1, weights.gates.u2);
  }

  protected override disposeExtra(): void {
    this.u1?.dispose();
    this.u2?.dispose();
  }
}
