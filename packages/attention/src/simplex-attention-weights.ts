/**
 * Plain weights of the simplex-attention layer (4): `Ŷ = Σ_j W_{1j} X W_{Vj} W_{Oj}`, with
 * `W_{1j}` a learned row-stochastic `n × n` matrix shared by all inputs (a **relaxation** of
 * softmax attention (3), not a reformulation, as the paper claims). Head `j`'s matrices are
 * block `j` of each array, the layout `@convexformer/baselines`' `SimplexAttention` trains
 * and exports.
 *
 * @example
 * ```ts
 * import type { SimplexAttentionWeights } from "@convexformer/attention";
 * const s = Math.SQRT1_2;
 * const w: SimplexAttentionWeights = {
 *   heads: 1, tokens: 2, features: 1, hidden: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), WV: new Float64Array([s]), WO: new Float64Array([s]),
 * };
 * ```
 */
export interface SimplexAttentionWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `m`: hidden (value) width per head. */
  readonly hidden: number;
  /** `c`: outputs per token. */
  readonly outputs: number;
  /** `h × n × n` row-major, each row-stochastic. */
  readonly W1: Float64Array;
  /** `h × d × m` row-major. */
  readonly WV: Float64Array;
  /** `h × m × c` row-major. */
  readonly WO: Float64Array;
}
