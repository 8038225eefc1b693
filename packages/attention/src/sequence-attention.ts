import type { SmoothLoss } from "@convexformer/solvers";
import type { TokenBatch } from "@convexformer/tensors";
import {
  validateArray,
  validateBatchShape,
  validateLossSize,
  validateNonnegative,
  validateSimplexRows,
  validateSizes,
} from "./model-input-validation.js";
import type { SequenceWeights } from "./sequence-weights.js";

/**
 * Forward map of the sequence-output model (30): `Ŷ_i = Σ_j α_j W_{1j} X_i W_{2j}`. Returns the
 * `N × n × c` predictions (entry `(i, k, l)` at `(i·n + k)·c + l`).
 *
 * @param weights - the network ({@link SequenceWeights}): `W1` is `h × n × n` with every `W_{1j}`
 *   row-stochastic, `W2` is `h × d × c`, `alpha` holds the `h` head scales. Checked: integer sizes
 *   ≥ 1, array lengths, simplex rows, finite entries
 * @param X - the `N × n × d` token batch; its `tokens` and `features` must equal the weights' and
 *   its entries must be finite
 * @throws `ShapeMismatchError` when sizes disagree; `InvalidOptionError` when a
 * `W_{1j}` is not row-stochastic
 *
 * @example
 * ```ts
 * import { sequenceAttentionForward } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([2]), alpha: new Float64Array([0.5]) };
 * sequenceAttentionForward(w, X); // Float64Array [1, 1]: both tokens read token 1
 * ```
 */
export function sequenceAttentionForward(weights: SequenceWeights, X: TokenBatch): Float64Array {
  validateSequenceWeights(weights);
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  validateBatchShape(X, n, d);
  const N = X.samples;
  const out = new Float64Array(N * n * c);
  const xw = new Float64Array(n * c); // X_i W_2j
  for (let i = 0; i < N; i++) {
    const xb = i * n * d;
    for (let j = 0; j < h; j++) {
      const a = weights.alpha[j] as number;
      if (a === 0) continue;
      xw.fill(0);
      for (let m = 0; m < n; m++) {
        for (let q = 0; q < d; q++) {
          const x = X.data[xb + m * d + q] as number;
          if (x === 0) continue;
          for (let l = 0; l < c; l++) {
            xw[m * c + l] =
              (xw[m * c + l] as number) + x * (weights.W2[(j * d + q) * c + l] as number);
          }
        }
      }
      for (let k = 0; k < n; k++) {
        for (let m = 0; m < n; m++) {
          const w = a * (weights.W1[(j * n + k) * n + m] as number);
          if (w === 0) continue;
          const o = (i * n + k) * c;
          for (let l = 0; l < c; l++)
            out[o + l] = (out[o + l] as number) + w * (xw[m * c + l] as number);
        }
      }
    }
  }
  return out;
}

/**
 * Regularized training objective of (30): `Σ_i L(Ŷ_i, Y_i) + β/2 Σ_j (‖W_{2j}‖₁² + α_j²)`
 * (entrywise ℓ1 on `W_2`; `W_1` is not penalized). The loss takes the `N·n × c` predictions
 * (for cross-entropy: one class per token).
 *
 * @param weights - the network, checked as in {@link sequenceAttentionForward}
 * @param X - the `N × n × d` token batch, as in {@link sequenceAttentionForward}
 * @param loss - the loss with its targets and scaling; it must take the `N·n × c` predictions
 *   (`loss.size = N·n·c`)
 * @param beta - `β ≥ 0`, the weight of the penalty (finite; `InvalidOptionError` otherwise)
 *
 * @example
 * ```ts
 * import { sequenceAttentionObjective } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const s = Math.SQRT1_2;
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([s]), alpha: new Float64Array([s]) };
 * sequenceAttentionObjective(w, X, squaredLoss(new Float64Array([1, 1])), 1); // 0.75
 * ```
 */
export function sequenceAttentionObjective(
  weights: SequenceWeights,
  X: TokenBatch,
  loss: SmoothLoss,
  beta: number,
): number {
  validateNonnegative("beta", beta, false);
  const predictions = sequenceAttentionForward(weights, X);
  validateLossSize(loss, predictions.length);
  const { heads: h, features: d, outputs: c } = weights;
  let penalty = 0;
  for (let j = 0; j < h; j++) {
    let s = 0;
    for (let e = 0; e < d * c; e++) s += Math.abs(weights.W2[j * d * c + e] as number);
    penalty += s * s + (weights.alpha[j] as number) ** 2;
  }
  return loss.value(predictions) + (beta / 2) * penalty;
}

/** Validates {@link SequenceWeights} (internal). */
export function validateSequenceWeights(weights: SequenceWeights): void {
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  validateSizes({
    "weights.heads": h,
    "weights.tokens": n,
    "weights.features": d,
    "weights.outputs": c,
  });
  validateSimplexRows("weights.W1", weights.W1, h * n, n);
  validateArray("weights.W2", weights.W2, h * d * c);
  validateArray("weights.alpha", weights.alpha, h);
}
