/**
 * A proximable, positively homogeneous convex regularizer `R(x)` (a gauge), e.g. the weighted
 * group ℓ2 norm `Σ_g w_g ‖x_g‖₂`. The problem's penalty is `λ·R(x)`.
 *
 * Certificates need its polar `R°(v) = max { ⟨v, x⟩ : R(x) ≤ 1 }`: a dual point `u` is feasible
 * when `R°(Aᵀu) ≤ λ`.
 *
 * @example
 * ```ts
 * import { groupL2, type Regularizer } from "@convexformer/solvers";
 * const reg: Regularizer = groupL2({ sizes: [2] }); // R(x) = ‖x‖₂
 * const x = new Float64Array([3, 4]);
 * reg.value(x); // 5
 * reg.prox(x, 1, x); // in place: x ← prox_{1·R}(x) shrinks ‖x‖ from 5 to 4
 * x; // Float64Array [2.4, 3.2]
 * ```
 */
export interface Regularizer {
  /** A short name for logs (`"group-l2"`, `"l1"`, …). */
  readonly name: string;
  /** Length of `x`. */
  readonly dim: number;
  /**
   * The group structure when the regularizer is the weighted group ℓ2 norm
   * `R(x) = Σ_g w_g ‖x_g‖₂` over these contiguous groups (ℓ1 is the case of groups of size one).
   * Solvers rely on that form for gap-safe screening, working sets and block-coordinate
   * methods; any other regularizer leaves it `undefined`.
   */
  readonly groups: GroupStructure | undefined;
  /**
   * `R(x)`; `Infinity` outside its domain (e.g. a nonnegativity constraint).
   *
   * @param x - the point, length `dim` (read only)
   */
  value(x: Float64Array): number;
  /**
   * `out = prox_{t·R}(x) = argmin_z ½‖z − x‖² + t·R(z)`.
   *
   * @param x - the point, length `dim` (read only unless `out` is `x`)
   * @param t - the scale of `R`, `≥ 0` (a solver passes step size times `λ`)
   * @param out - receives the proximal point, length `dim`; may be `x` itself (in place)
   */
  prox(x: Float64Array, t: number, out: Float64Array): void;
  /**
   * The polar (dual) gauge `R°(v) = max { ⟨v, x⟩ : R(x) ≤ 1 }` (for the weighted group ℓ2
   * norm, `max_g ‖v_g‖₂ / w_g`).
   *
   * @param v - a vector of length `dim` (read only), e.g. `Aᵀu` for a dual point `u`
   */
  polar(v: Float64Array): number;
  /**
   * The norm (not its square) of the minimum-norm element of `gradient + λ ∂R(x)`: the KKT
   * residual of `P` at `x` when `gradient = ∇(F∘A)(x)`. Optional; without it certificates
   * report the norm of the proximal-gradient step `x − prox_{λR}(x − gradient)`, which is zero
   * exactly at the same points.
   *
   * @param x - the point, length `dim` (read only)
   * @param gradient - `∇(F∘A)(x) = Aᵀ∇F(Ax)`, length `dim` (read only)
   * @param lambda - the problem's `λ > 0`, the scale of `∂R`
   */
  subgradientResidual?(x: Float64Array, gradient: Float64Array, lambda: number): number;
}

/**
 * Contiguous groups: group `g` is `x[ptr[g] .. ptr[g + 1])` with weight `weights[g] > 0`.
 *
 * @example
 * ```ts
 * import type { GroupStructure } from "@convexformer/solvers";
 * // two groups of size 2 with unit weights
 * const groups: GroupStructure = { count: 2, ptr: new Int32Array([0, 2, 4]), weights: new Float64Array([1, 1]) };
 * ```
 */
export interface GroupStructure {
  /** Number of groups `G`. */
  readonly count: number;
  /** `G + 1` nondecreasing offsets, `ptr[0] = 0`, `ptr[G] = dim`. */
  readonly ptr: Int32Array;
  /** `G` positive weights. */
  readonly weights: Float64Array;
}
