import { InvalidOptionError, ShapeMismatchError, validateFinite } from "@convexformer/tensors";

/**
 * Fixed gate vectors of the gated models (13)/(14): gate `j` is active on sample `X_i` when
 * `u_{1j}ᵀ X_i u_{2j} ≥ 0`. Gates are sampled, never trained.
 *
 * @example
 * ```ts
 * import type { GateVectors } from "@convexformer/attention";
 * // one gate on 2 tokens × 3 features
 * const gates: GateVectors = { u1: new Float64Array([1, -1]), u2: new Float64Array([0.5, 0, 2]) };
 * ```
 */
export interface GateVectors {
  /** `P × n` row-major: the token-side gate vectors `u_{1j} ∈ R^n`. */
  readonly u1: Float64Array;
  /** `P × d` row-major: the feature-side gate vectors `u_{2j} ∈ R^d`. */
  readonly u2: Float64Array;
}

/** Checks gate vectors against `n` tokens, `d` features (sizes, finiteness); returns their number `P` (internal). */
export function validateGateVectors(gates: GateVectors, n: number, d: number): number {
  if (gates.u1.length % n !== 0) {
    throw new ShapeMismatchError(
      "gates.u1",
      `length ${gates.u1.length} is not a multiple of tokens = ${n}`,
    );
  }
  const P = gates.u1.length / n;
  if (gates.u2.length !== P * d) {
    throw new ShapeMismatchError(
      "gates.u2",
      `expected ${P} × ${d} = ${P * d} entries, got ${gates.u2.length}`,
    );
  }
  if (P < 1) throw new InvalidOptionError("gates", P, "need at least one gate");
  validateFinite("gates.u1", gates.u1);
  validateFinite("gates.u2", gates.u2);
  return P;
}
