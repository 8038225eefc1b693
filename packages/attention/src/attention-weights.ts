import type { GateVectors } from "./gates.js";

/**
 * Plain weights of the multi-head models (8) (scalar, `outputs = 1`), (11) (vector, one FC
 * layer) and (13) (gated ReLU FC, with `gates`): head `j` predicts
 * `(w_{1j}ᵀ X w_{2j}) · α_j` (times its gate `D_j(X)` in (13)), and the heads are summed.
 * This layout is shared with `@convexformer/baselines`.
 *
 * @example
 * ```ts
 * import type { AttentionWeights } from "@convexformer/attention";
 * // one head attending to token 2 of 2, reading feature 1 of 1, scalar output
 * const w: AttentionWeights = {
 *   heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0, 1]), w2: new Float64Array([1]), alpha: new Float64Array([0.5]),
 * };
 * ```
 */
export interface AttentionWeights {
  /** `h`: number of heads. */
  readonly heads: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `c`: outputs (1 for the scalar model (8)). */
  readonly outputs: number;
  /** `h × n` row-major; each row `w_{1j}` on the unit simplex `Δ_n` (token attention). */
  readonly w1: Float64Array;
  /** `h × d` row-major: the value vectors `w_{2j}`. */
  readonly w2: Float64Array;
  /** `h × c` row-major: the output weights `α_j` (penalized by `‖α_j‖₁²`). */
  readonly alpha: Float64Array;
  /** Gated model (13) only: one fixed gate per head (`u1`: `h × n`, `u2`: `h × d`). */
  readonly gates?: GateVectors;
}
