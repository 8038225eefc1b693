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

/**
 * Plain weights of the simplex-attention layer (4): `Ŷ = Σ_j W_{1j} X W_{Vj} W_{Oj}`, with
 * `W_{1j}` a learned row-stochastic `n × n` matrix shared by all inputs (a **relaxation** of
 * softmax attention (3), not a reformulation, as the paper claims).
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

/**
 * Plain weights of standard softmax attention (3):
 * `Ŷ = Σ_j softmax_row(X W_{Qj} W_{Kj}ᵀ Xᵀ) X W_{Vj} W_{Oj}` (no score scaling, as printed).
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
}
