import type { SmoothLoss } from "@convexformer/solvers";
import { ShapeMismatchError, type TokenBatch } from "@convexformer/tensors";
import type { AttentionWeights } from "./attention-weights.js";
import { gatePatterns } from "./gate-patterns.js";
import { validateGateVectors } from "./gate-vectors.js";
import {
  validateArray,
  validateBatchShape,
  validateLossSize,
  validateNonnegative,
  validateSimplexRows,
  validateSizes,
} from "./model-input-validation.js";

/**
 * Forward map of the multi-head models (8), (11) and (13):
 * `ŷ_il = Σ_j D_ij (w_{1j}ᵀ X_i w_{2j}) α_{jl}`, with `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` when
 * `weights.gates` is set (13) and `D = 1` otherwise. Returns the `N × c` predictions, row-major.
 *
 * @param weights - the network ({@link AttentionWeights}): `h` heads over `n` tokens and `d`
 *   features with `c` outputs; `w1` is `h × n` with every row on the unit simplex, `w2` is `h × d`,
 *   `alpha` is `h × c`, and `gates` (one per head) makes it the gated model (13). Checked: integer
 *   sizes ≥ 1, array lengths, simplex rows, finite entries
 * @param X - the `N × n × d` token batch; its `tokens` and `features` must equal the weights' and
 *   its entries must be finite (any number of samples `N`)
 * @throws `ShapeMismatchError` when sizes disagree; `InvalidOptionError` when a row
 * of `w1` is not on the simplex; `NonFiniteInputError` for non-finite inputs
 *
 * @example
 * ```ts
 * import { attentionForward } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0, 1]), w2: new Float64Array([2]), alpha: new Float64Array([0.5]) };
 * attentionForward(w, X); // Float64Array [1]
 * ```
 */
export function attentionForward(weights: AttentionWeights, X: TokenBatch): Float64Array {
  validateAttentionWeights(weights);
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  validateBatchShape(X, n, d);
  const N = X.samples;
  const mask = weights.gates === undefined ? undefined : gatePatterns(weights.gates, X);
  const out = new Float64Array(N * c);
  for (let i = 0; i < N; i++) {
    const base = i * n * d;
    for (let j = 0; j < h; j++) {
      if (mask !== undefined && mask[i * h + j] === 0) continue;
      // s = w_1ᵀ X_i w_2
      let s = 0;
      for (let k = 0; k < n; k++) {
        const a = weights.w1[j * n + k] as number;
        if (a === 0) continue;
        let t = 0;
        for (let q = 0; q < d; q++)
          t += (X.data[base + k * d + q] as number) * (weights.w2[j * d + q] as number);
        s += a * t;
      }
      for (let l = 0; l < c; l++)
        out[i * c + l] = (out[i * c + l] as number) + s * (weights.alpha[j * c + l] as number);
    }
  }
  return out;
}

/**
 * Regularized training objective of (8), (11), (13):
 * `Σ_i L(ŷ_i, y_i) + β/2 Σ_j (‖w_{2j}‖₂² + ‖α_j‖₁²)` (for `c = 1`, `‖α_j‖₁² = α_j²` as in (8);
 * `w_1` is not penalized). The loss carries the targets and the scaling (sum or mean).
 *
 * @param weights - the network, checked as in {@link attentionForward}
 * @param X - the `N × n × d` token batch, as in {@link attentionForward}
 * @param loss - the loss with its targets and scaling (e.g. `squaredLoss(y)` from
 *   `@convexformer/solvers`); it must take the model's `N·c` predictions (`loss.size = N·c`)
 * @param beta - `β ≥ 0`, the weight of the penalty (finite; `InvalidOptionError` otherwise)
 *
 * @example
 * ```ts
 * import { attentionObjective } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0, 1]), w2: new Float64Array([1]), alpha: new Float64Array([1]) };
 * attentionObjective(w, X, squaredLoss(new Float64Array([1])), 0.5); // 0 + 0.25·(1 + 1) = 0.5
 * ```
 */
export function attentionObjective(
  weights: AttentionWeights,
  X: TokenBatch,
  loss: SmoothLoss,
  beta: number,
): number {
  validateNonnegative("beta", beta, false);
  const predictions = attentionForward(weights, X);
  validateLossSize(loss, predictions.length);
  return loss.value(predictions) + beta * attentionPenalty(weights);
}

/** `½ Σ_j (‖w_{2j}‖² + ‖α_j‖₁²)` (internal). */
export function attentionPenalty(weights: AttentionWeights): number {
  const { heads: h, features: d, outputs: c } = weights;
  let p = 0;
  for (let j = 0; j < h; j++) {
    let w = 0;
    for (let q = 0; q < d; q++) w += (weights.w2[j * d + q] as number) ** 2;
    let a = 0;
    for (let l = 0; l < c; l++) a += Math.abs(weights.alpha[j * c + l] as number);
    p += w + a * a;
  }
  return p / 2;
}

/** Validates an {@link AttentionWeights} object (internal). */
export function validateAttentionWeights(weights: AttentionWeights): void {
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  validateSizes({
    "weights.heads": h,
    "weights.tokens": n,
    "weights.features": d,
    "weights.outputs": c,
  });
  validateSimplexRows("weights.w1", weights.w1, h, n);
  validateArray("weights.w2", weights.w2, h * d);
  validateArray("weights.alpha", weights.alpha, h * c);
  if (weights.gates !== undefined) {
    const P = validateGateVectors(weights.gates, n, d);
    if (P !== h)
      throw new ShapeMismatchError("weights.gates", `expected one gate per head (${h}), got ${P}`);
  }
}
