import type {
  AttentionWeights,
  SequenceWeights,
  SimplexAttentionWeights,
} from "@convexformer/attention";
import { assertInteger, Matrix } from "@convexformer/tensors";
import { checkWeightArray } from "./internal/check-weight-array.js";

/**
 * The input-independent token-mixing matrices `W_{1j}` of the simplex models (4) and (30), one
 * `n × n` row-stochastic matrix per head, and their mean over heads.
 *
 * @example
 * ```ts
 * import { simplexMaps } from "@convexformer/interpret";
 * const m = simplexMaps({ heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([1]), alpha: new Float64Array([1]) });
 * m.heads[0]?.data; // Float64Array [1, 0, 1, 0]
 * ```
 */
export interface SimplexMaps {
  /** `W_{1j}` per head (copies). */
  readonly heads: readonly Matrix[];
  /** `(1/h) Σ_j W_{1j}`. */
  readonly mean: Matrix;
}

/**
 * The mixing matrices `W_{1j}` of simplex attention (4) or of the sequence model (30).
 *
 * @param weights - the weights of simplex attention (4) or of the sequence model (30): only
 *   `heads`, `tokens` (integers ≥ 1) and the `h × n × n` array `W1` are read (length checked;
 *   copied)
 *
 * @example
 * ```ts
 * import { simplexMaps } from "@convexformer/interpret";
 * const s = Math.SQRT1_2;
 * const m = simplexMaps({ heads: 1, tokens: 2, features: 1, hidden: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([s]), WO: new Float64Array([s]) });
 * m.mean.get(1, 0); // 1: exact instance 3, both rows attend to token 1
 * ```
 */
export function simplexMaps(weights: SimplexAttentionWeights | SequenceWeights): SimplexMaps {
  const { heads: h, tokens: n } = weights;
  assertInteger("weights.heads", h, 1);
  assertInteger("weights.tokens", n, 1);
  const W1 = checkWeightArray("weights.W1", weights.W1, h * n * n);
  const nn = n * n;
  const heads: Matrix[] = [];
  const mean = new Float64Array(nn);
  for (let j = 0; j < h; j++) {
    const block = W1.slice(j * nn, (j + 1) * nn);
    heads.push(new Matrix(n, n, block));
    for (let e = 0; e < nn; e++) mean[e] = (mean[e] as number) + (block[e] as number) / h;
  }
  return { heads, mean: new Matrix(n, n, mean) };
}

/**
 * The token attention vectors `w_{1j} ∈ Δ_n` of the multi-head models (8), (11), (13): row `j`
 * of the returned `h × n` matrix is head `j`'s distribution over tokens.
 *
 * @param weights - the network of (8), (11) or (13): only `heads`, `tokens` (integers ≥ 1) and the
 *   `h × n` array `w1` are read (length checked; copied)
 *
 * @example
 * ```ts
 * import { headTokenWeights } from "@convexformer/interpret";
 * const m = headTokenWeights({ heads: 2, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([1, 0, 0, 1]), w2: new Float64Array([1, 1]), alpha: new Float64Array([0.5, -0.5]) });
 * m.toRows(); // [[1, 0], [0, 1]]
 * ```
 */
export function headTokenWeights(weights: AttentionWeights): Matrix {
  const { heads: h, tokens: n } = weights;
  assertInteger("weights.heads", h, 1);
  assertInteger("weights.tokens", n, 1);
  return new Matrix(h, n, checkWeightArray("weights.w1", weights.w1, h * n).slice());
}
