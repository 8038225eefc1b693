import type { SmoothLoss } from "@convexformer/solvers";
import { InvalidOptionError, type TokenBatch } from "@convexformer/tensors";
import {
  validateArray,
  validateBatchShape,
  validateLossSize,
  validateNonnegative,
  validateSizes,
} from "./model-input-validation.js";
import type { StandardAttentionWeights } from "./standard-attention-weights.js";

/**
 * Forward map of standard softmax attention (3), evaluated in float64 as the reference the
 * convex models are compared with: `Ŷ_i = Σ_j softmax_row(X_i W_{Qj} W_{Kj}ᵀ X_iᵀ) X_i W_{Vj} W_{Oj}`
 * (scores multiplied by `weights.scoreScale`, default 1: no scaling, as printed; stable
 * softmax). Returns the `N × n × c` predictions.
 *
 * The convex programs are **not** equivalent to this model: (3) → (4) is a relaxation and
 * softmax attention with trainable `W_Q`, `W_K` has no exact convex reformulation (docs/concepts.md#models).
 *
 * @param weights - the layer ({@link StandardAttentionWeights}): `WQ`, `WK`, `WV` are `h × d × m`,
 *   `WO` is `h × m × c`, and `scoreScale` (default 1) multiplies the scores. Checked: integer sizes
 *   ≥ 1, array lengths, finite entries
 * @param X - an `N × n × d` token batch with the weights' `d` features (any number of tokens `n`;
 *   finite entries)
 *
 * @example
 * ```ts
 * import { standardAttentionForward } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const w = { heads: 1, features: 1, hidden: 1, outputs: 1,
 *   WQ: new Float64Array([1]), WK: new Float64Array([1]), WV: new Float64Array([1]), WO: new Float64Array([1]) };
 * const y = standardAttentionForward(w, X); // [tanh 1, −tanh 1]: antisymmetric on this X
 * ```
 */
export function standardAttentionForward(
  weights: StandardAttentionWeights,
  X: TokenBatch,
): Float64Array {
  validateStandardWeights(weights);
  const { heads: h, features: d, hidden: m, outputs: c } = weights;
  const scale = weights.scoreScale ?? 1;
  validateBatchShape(X, X.tokens, d);
  const N = X.samples;
  const n = X.tokens;
  const out = new Float64Array(N * n * c);
  const Q = new Float64Array(n * m);
  const K = new Float64Array(n * m);
  const V = new Float64Array(n * c); // X W_V W_O
  const VO = new Float64Array(d * c);
  const S = new Float64Array(n);
  for (let j = 0; j < h; j++) {
    VO.fill(0);
    for (let q = 0; q < d; q++) {
      for (let r = 0; r < m; r++) {
        const v = weights.WV[(j * d + q) * m + r] as number;
        for (let l = 0; l < c; l++)
          VO[q * c + l] =
            (VO[q * c + l] as number) + v * (weights.WO[(j * m + r) * c + l] as number);
      }
    }
    for (let i = 0; i < N; i++) {
      Q.fill(0);
      K.fill(0);
      V.fill(0);
      for (let t = 0; t < n; t++) {
        for (let q = 0; q < d; q++) {
          const x = X.data[(i * n + t) * d + q] as number;
          for (let r = 0; r < m; r++) {
            Q[t * m + r] =
              (Q[t * m + r] as number) + x * (weights.WQ[(j * d + q) * m + r] as number);
            K[t * m + r] =
              (K[t * m + r] as number) + x * (weights.WK[(j * d + q) * m + r] as number);
          }
          for (let l = 0; l < c; l++)
            V[t * c + l] = (V[t * c + l] as number) + x * (VO[q * c + l] as number);
        }
      }
      for (let k = 0; k < n; k++) {
        let max = -Infinity;
        for (let t = 0; t < n; t++) {
          let s = 0;
          for (let r = 0; r < m; r++) s += (Q[k * m + r] as number) * (K[t * m + r] as number);
          s *= scale;
          S[t] = s;
          if (s > max) max = s;
        }
        let z = 0;
        for (let t = 0; t < n; t++) {
          const e = Math.exp((S[t] as number) - max);
          S[t] = e;
          z += e;
        }
        const o = (i * n + k) * c;
        for (let t = 0; t < n; t++) {
          const a = (S[t] as number) / z;
          for (let l = 0; l < c; l++)
            out[o + l] = (out[o + l] as number) + a * (V[t * c + l] as number);
        }
      }
    }
  }
  return out;
}

/**
 * Regularized objective of (3):
 * `Σ_i L(Ŷ_i, Y_i) + β/2 Σ_j (‖W_{Qj}‖² + ‖W_{Kj}‖² + ‖W_{Vj}‖² + ‖W_{Oj}‖²)`.
 *
 * @param weights - the layer, checked as in {@link standardAttentionForward}
 * @param X - the `N × n × d` token batch, as in {@link standardAttentionForward}
 * @param loss - the loss with its targets and scaling; it must take the `N·n × c` predictions
 * @param beta - `β ≥ 0`, the weight of the penalty (finite; `InvalidOptionError` otherwise)
 *
 * @example
 * ```ts
 * import { standardAttentionObjective } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const zero = { heads: 1, features: 1, hidden: 1, outputs: 1,
 *   WQ: new Float64Array(1), WK: new Float64Array(1), WV: new Float64Array(1), WO: new Float64Array(1) };
 * standardAttentionObjective(zero, X, squaredLoss(new Float64Array([1, 1])), 1); // 1 (exact instance 3)
 * ```
 */
export function standardAttentionObjective(
  weights: StandardAttentionWeights,
  X: TokenBatch,
  loss: SmoothLoss,
  beta: number,
): number {
  validateNonnegative("beta", beta, false);
  const predictions = standardAttentionForward(weights, X);
  validateLossSize(loss, predictions.length);
  let penalty = 0;
  for (const W of [weights.WQ, weights.WK, weights.WV, weights.WO])
    for (const v of W) penalty += v * v;
  return loss.value(predictions) + (beta / 2) * penalty;
}

function validateStandardWeights(weights: StandardAttentionWeights): void {
  const { heads: h, features: d, hidden: m, outputs: c } = weights;
  validateSizes({
    "weights.heads": h,
    "weights.features": d,
    "weights.hidden": m,
    "weights.outputs": c,
  });
  validateArray("weights.WQ", weights.WQ, h * d * m);
  validateArray("weights.WK", weights.WK, h * d * m);
  validateArray("weights.WV", weights.WV, h * d * m);
  validateArray("weights.WO", weights.WO, h * m * c);
  const scale = weights.scoreScale;
  if (scale !== undefined && (typeof scale !== "number" || !Number.isFinite(scale))) {
    throw new InvalidOptionError("weights.scoreScale", scale, "must be a finite number");
  }
}
