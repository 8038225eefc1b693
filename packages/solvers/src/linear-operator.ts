import type { Matrix } from "@convexformer/tensors";

/**
 * A linear map `A: R^cols → R^rows` given by its action and its adjoint, so that design
 * matrices never have to be materialized (the attention programs apply `A` through one
 * product with the `N × nd` data matrix and a mask).
 *
 * Contract: `⟨apply(x), r⟩ = ⟨x, adjoint(r)⟩` for all `x`, `r` (tested by the conformance kit
 * and by `checkAdjoint`). `apply` and `adjoint` overwrite `out` completely and must not keep
 * references to their arguments.
 *
 * @example
 * ```ts
 * import type { LinearOperator } from "@convexformer/solvers";
 * // the 2×2 identity
 * const identity: LinearOperator = {
 *   rows: 2,
 *   cols: 2,
 *   apply: (x, out) => out.set(x),
 *   adjoint: (r, out) => out.set(r),
 * };
 * ```
 */
export interface LinearOperator {
  /** Output dimension (length of `A x`): for the attention programs, samples × outputs. */
  readonly rows: number;
  /** Input dimension (length of `x`): the problem's `dim`. */
  readonly cols: number;
  /**
   * `out = A x`.
   *
   * @param x - the input vector, length `cols` (read only)
   * @param out - receives `A x`, length `rows`; overwritten completely
   */
  apply(x: Float64Array, out: Float64Array): void;
  /**
   * `out = Aᵀ r`.
   *
   * @param r - the vector in the output space, length `rows` (read only; e.g. `∇F(Ax)`)
   * @param out - receives `Aᵀ r`, length `cols`; overwritten completely
   */
  adjoint(r: Float64Array, out: Float64Array): void;
  /**
   * The columns `[start, end)` of `A`, restricted to the operator: `out = A[:, start:end] x`.
   * Optional; working-set solvers use it when present and fall back to `apply` on a
   * zero-padded vector otherwise.
   *
   * @param start - the first column, an integer in `[0, cols]`
   * @param end - one past the last column, an integer in `[start, cols]`
   * @param x - the coefficients of those columns, length `end − start` (read only)
   * @param out - receives `A[:, start:end] x`, length `rows`; overwritten completely
   */
  applyColumns?(start: number, end: number, x: Float64Array, out: Float64Array): void;
  /**
   * The adjoint restricted to the columns `[start, end)`: `out = A[:, start:end]ᵀ r`
   * (`out.length === end − start`). Optional; working-set and block-coordinate solvers use it
   * when present and fall back to a full `adjoint` otherwise.
   *
   * @param start - the first column, an integer in `[0, cols]`
   * @param end - one past the last column, an integer in `[start, cols]`
   * @param r - the vector in the output space, length `rows` (read only)
   * @param out - receives `A[:, start:end]ᵀ r`, length `end − start`; overwritten completely
   */
  adjointColumns?(start: number, end: number, r: Float64Array, out: Float64Array): void;
  /**
   * The operator restricted to some of its columns: `A[:, S]`, a `rows × Σ lengths` operator,
   * where `S` is the column ranges `[starts[t], starts[t] + lengths[t])` in order (increasing,
   * disjoint, nonempty). Optional, and may return `undefined` for ranges it has no fast route
   * for; working-set solvers (`restrictToGroups`) use it in preference to copying the columns
   * out one by one. The result may share scratch memory with this operator (products are
   * synchronous).
   *
   * @param starts - the first column of each range, increasing integers in `[0, cols)`
   * @param lengths - each range's number of columns (positive integers, same length as
   *   `starts`; the ranges must not overlap or pass `cols`)
   * @returns the `rows × Σ lengths` operator `A[:, S]`, or `undefined` when this operator has
   *   no faster route for these ranges than its column access
   */
  restrictColumns?(
    starts: readonly number[],
    lengths: readonly number[],
  ): LinearOperator | undefined;
  /**
   * The dense `rows × cols` matrix. Optional; only for small problems (interior point,
   * direct ADMM factorizations). Implementations may throw when it would be too large.
   */
  toDense?(): Matrix;
}
