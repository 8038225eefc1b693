/**
 * Plain weights of standard softmax attention (3):
 * `Ŷ = Σ_j softmax_row(s · X W_{Qj} W_{Kj}ᵀ Xᵀ) X W_{Vj} W_{Oj}`, with `s = scoreScale`
 * (default 1: no score scaling, as printed; transformers use `1/√m`). Head `j`'s matrices
 * are block `j` of each array (`h × d × m` / `h × m × c` row-major), the layout
 * `@convexformer/baselines`' `StandardAttention` trains and exports.
 *
 * @example
 * ```ts
 * import type { StandardAttentionWeights } from "@convexformer/attention";
 * const w: StandardAttentionWeights = {
 *   heads: 1, features: 1, hidden: 1, outputs: 1,
 *   WQ: new Float64Array([1]), WK: new Float64Array([1]), WV: new Float64Array([1]), WO: new Float64Array([1]),
 * };
 * ```
 */
export interface StandardAttentionWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `m`: hidden width per head. */
  readonly hidden: number;
  /** `c`: outputs per token. */
  readonly outputs: number;
  /** `h × d × m` row-major. */
  readonly WQ: Float64Array;
  /** `h × d × m` row-major. */
  readonly WK: Float64Array;
  /** `h × d × m` row-major. */
  readonly WV: Float64Array;
  /** `h × m × c` row-major. */
  readonly WO: Float64Array;
  /** `s`: multiplier of the attention scores (default 1; not a trained weight, not penalized). */
  readonly scoreScale?: number;
}
