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
import type { SimplexAttentionWeights } from "./simplex-attention-weights.js";

/**
 * Forward map of simplex attention (4): `Ŷ_i = Σ_j W_{1j} X_i W_{Vj} W_{Oj}`, `W_{1j}`
 * row-stochastic and the same for every input. This is a **relaxation** of softmax attention
 * (3), not a reformulation (the paper says "reformulated"; docs/concepts.md#models, and
 * instance 3 of docs/concepts.md#exact-instances shows the optimal values differ). Returns the
 * `N × n × c` predictions.
 *
 * @param weights - the layer ({@link SimplexAttentionWeights}): `W1` is `h × n × n` with every
 *   `W_{1j}` row-stochastic, `WV` is `h × d × m`, `WO` is `h × m × c`. Checked: integer sizes ≥ 1,
 *   array lengths, simplex rows, finite entries
 * @param X - the `N × n × d` token batch; its `tokens` and `features` must equal the weights' and
 *   its entries must be finite
 *
 * @example
 * ```ts
 * import { simplexAttentionForward } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const s = Math.SQRT1_2;
 * const w = { heads: 1, tokens: 2, features: 1, hidden: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([s]), WO: new Float64Array([s]) };
 * simplexAttentionForward(w, X); // ≈ Float64Array [0.5, 0.5]
 * ```
 */
export function simplexAttentionForward(
  weights: SimplexAttentionWeights,
  X: TokenBatch,
): Float64Array {
  validateSimplexWeights(weights);
  const { heads: h, tokens: n, features: d, hidden: m, outputs: c } = weights;
  validateBatchShape(X, n, d);
  const N = X.samples;
  const out = new Float64Array(N * n * c);
  // per head, the d × c product W_V W_O
  const VO = new Float64Array(h * d * c);
  for (let j = 0; j < h; j++) {
    for (let q = 0; q < d; q++) {
      for (let r = 0; r < m; r++) {
        const v = weights.WV[(j * d + q) * m + r] as number;
        for (let l = 0; l < c; l++) {
          const e = (j * d + q) * c + l;
          VO[e] = (VO[e] as number) + v * (weights.WO[(j * m + r) * c + l] as number);
        }
      }
    }
  }
  const xw = new Float64Array(n * c);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < h; j++) {
      xw.fill(0);
      for (let t = 0; t < n; t++) {
        for (let q = 0; q < d; q++) {
          const x = X.data[(i * n + t) * d + q] as number;
          for (let l = 0; l < c; l++)
            xw[t * c + l] = (xw[t * c + l] as number) + x * (VO[(j * d + q) * c + l] as number);
        }
      }
      for (let k = 0; k < n; k++) {
        for (let t = 0; t < n; t++) {
          const a = weights.W1[(j * n + k) * n + t] as number;
          if (a === 0) continue;
          const o = (i * n + k) * c;
          for (let l = 0; l < c; l++)
            out[o + l] = (out[o + l] as number) + a * (xw[t * c + l] as number);
        }
      }
    }
  }
  return out;
}

/**
 * Regularized objective of (4): `Σ_i L(Ŷ_i, Y_i) + β/2 Σ_j (‖W_{Vj}‖_F² + ‖W_{Oj}‖_F²)`
 * (`W_1` unregularized).
 *
 * @param weights - the layer, checked as in {@link simplexAttentionForward}
 * @param X - the `N × n × d` token batch, as in {@link simplexAttentionForward}
 * @param loss - the loss with its targets and scaling; it must take the `N·n × c` predictions
 * @param beta - `β ≥ 0`, the weight of the penalty (finite; `InvalidOptionError` otherwise)
 *
 * @example
 * ```ts
 * import { simplexAttentionObjective } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const s = Math.SQRT1_2;
 * const w = { heads: 1, tokens: 2, features: 1, hidden: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([s]), WO: new Float64Array([s]) };
 * simplexAttentionObjective(w, X, squaredLoss(new Float64Array([1, 1])), 1); // 0.75 (exact instance 3)
 * ```
 */
export function simplexAttentionObjective(
  weights: SimplexAttentionWeights,
  X: TokenBatch,
  loss: SmoothLoss,
  beta: number,
): number {
  validateNonnegative("beta", beta, false);
  const predictions = simplexAttentionForward(weights, X);
  validateLossSize(loss, predictions.length);
  let penalty = 0;
  for (const v of weights.WV) penalty += v * v;
  for (const v of weights.WO) penalty += v * v;
  return loss.value(predictions) + (beta / 2) * penalty;
}

function validateSimplexWeights(weights: SimplexAttentionWeights): void {
  const { heads: h, tokens: n, features: d, hidden: m, outputs: c } = weights;
  validateSizes({
    "weights.heads": h,
    "weights.tokens": n,
    "weights.features": d,
    "weights.hidden": m,
    "weights.outputs": c,
  });
  validateSimplexRows("weights.W1", weights.W1, h * n, n);
  validateArray("weights.WV", weights.WV, h * d * m);
  validateArray("weights.WO", weights.WO, h * m * c);
}
