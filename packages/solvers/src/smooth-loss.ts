/**
 * A smooth convex data-fit term `F(ŷ)` of the predictions `ŷ = A x`, with what first-order,
 * second-order and certificate code needs. Predictions are laid out row-major as
 * `samples × outputs` (`ŷ[i * outputs + l]`), so joint losses (softmax cross-entropy over `c`
 * classes) see each sample's outputs together.
 *
 * Scaling: `F` sums over samples by default; with `scaling: "mean"` every quantity
 * (value, gradient, Hessian, conjugate) is divided by `samples`.
 *
 * @example
 * ```ts
 * import { type SmoothLoss, squaredLoss } from "@convexformer/solvers";
 * const loss: SmoothLoss = squaredLoss(new Float64Array([1, -1])); // F(ŷ) = ½‖ŷ − y‖²
 * const grad = new Float64Array(loss.size);
 * loss.gradient(new Float64Array([0.5, 0]), grad); // 0.625
 * grad; // Float64Array [-0.5, 1]
 * ```
 */
export interface SmoothLoss {
  /** `"squared"`, `"logistic"`, `"cross-entropy"`, or a contributed loss's name. */
  readonly name: string;
  /** Number of samples `N`. */
  readonly samples: number;
  /** Outputs per sample `c` (1 for scalar targets). */
  readonly outputs: number;
  /** Length of the prediction vector: `samples * outputs`. */
  readonly size: number;
  /** `"sum"` (default) or `"mean"` over samples. */
  readonly scaling: "sum" | "mean";
  /**
   * A Lipschitz constant of `∇F` (squared: 1, logistic: 1/4, cross-entropy: 1/2, divided
   * by `N` under mean scaling). FISTA's first step is `1 / (smoothness · ‖A‖²)`.
   */
  readonly smoothness: number;
  /**
   * `F(ŷ)`.
   *
   * @param predictions - `ŷ = A x`, length `size`, sample-major (read only)
   */
  value(predictions: Float64Array): number;
  /**
   * Writes `∇F(ŷ)` into `out` and returns `F(ŷ)`.
   *
   * @param predictions - `ŷ = A x`, length `size`, sample-major (read only)
   * @param out - receives `∇F(ŷ)`, length `size`; overwritten completely
   */
  gradient(predictions: Float64Array, out: Float64Array): number;
  /**
   * Writes `∇²F(ŷ) v` into `out` (Newton steps, interior point).
   *
   * @param predictions - `ŷ`, where the Hessian is taken; length `size` (read only)
   * @param v - the direction, length `size` (read only)
   * @param out - receives `∇²F(ŷ) v`, length `size`; overwritten completely
   */
  hessianVector(predictions: Float64Array, v: Float64Array, out: Float64Array): void;
  /**
   * The dual objective `D(u) = −F*(−u)` at a dual point `u` (same layout as `ŷ`);
   * `-Infinity` when `−u` is outside the domain of `F*`.
   *
   * @param u - the dual point, length `size`, laid out like the predictions (read only); the
   *   certificates pass `u = −s·∇F(Ax)` with the dual scale `s ∈ (0, 1]`
   */
  dualValue(u: Float64Array): number;
}
