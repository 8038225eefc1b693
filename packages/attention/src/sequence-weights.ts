/**
 * Plain weights of the sequence-output model (30): `Ŷ = Σ_j α_j W_{1j} X W_{2j}`, with
 * `W_{1j}` row-stochastic `n × n`, `W_{2j} ∈ R^{d×c}`, `α_j ∈ R`.
 *
 * @example
 * ```ts
 * import type { SequenceWeights } from "@convexformer/attention";
 * const w: SequenceWeights = {
 *   heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([1]), alpha: new Float64Array([1]),
 * };
 * ```
 */
export interface SequenceWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `c`: outputs per token. */
  readonly outputs: number;
  /** `h × n × n` row-major; each `W_{1j}` row-stochastic. */
  readonly W1: Float64Array;
  /** `h × d × c` row-major. */
  readonly W2: Float64Array;
  /** `h` head scales `α_j`. */
  readonly alpha: Float64Array;
}
