import type { SmoothLoss } from "../smooth-loss.js";

/**
 * A group lasso `F(A x) + λ Σ_g w_g ‖x_g‖₂` with an explicit dense design: what the interior
 * point and the factorized ADMM work on (the full problem, or its restriction to a working
 * set of groups).
 *
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * import type { DenseGroupProblem } from "./dense-group-problem.js"; // internal module
 * const sub: DenseGroupProblem = {
 *   a: new Float64Array([1, 0, 0, 1]),
 *   rows: 2,
 *   cols: 2,
 *   ptr: new Int32Array([0, 1, 2]),
 *   weights: new Float64Array([1, 1]),
 *   lambda: 0.5,
 *   loss: squaredLoss(new Float64Array([1, -1])),
 * };
 * sub.a.length === sub.rows * sub.cols; // true
 * ```
 */
export interface DenseGroupProblem {
  /** `A`, row-major `rows × cols`. */
  readonly a: Float64Array;
  /** Rows of `A` (`loss.size`). */
  readonly rows: number;
  /** Columns of `A` (variables). */
  readonly cols: number;
  /** Group offsets, `ptr[0] = 0`, `ptr[G] = cols`. */
  readonly ptr: Int32Array;
  /** Positive group weights `w_g`. */
  readonly weights: Float64Array;
  /** `λ > 0`. */
  readonly lambda: number;
  /** `F`. */
  readonly loss: SmoothLoss;
}

/**
 * The columns of the groups `selected` (indices into `ptr`), as a new dense problem.
 *
 * @param a - full design, row-major
 * @param rows - rows of `a`
 * @param cols - columns of `a`
 * @param ptr - full group offsets
 * @param weights - full group weights
 * @param selected - sorted group indices to keep
 * @param lambda - `λ`
 * @param loss - `F`
 * @returns the restricted problem (a copy of the selected columns)
 *
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * import { restrictGroups } from "./dense-group-problem.js"; // internal module
 * const loss = squaredLoss(new Float64Array([1, -1]));
 * const a = new Float64Array([1, 2, 3, 4]); // 2×2, groups {0}, {1}
 * restrictGroups(a, 2, 2, new Int32Array([0, 1, 2]), new Float64Array([1, 1]), [1], 0.5, loss).a; // [2, 4]
 * ```
 */
export function restrictGroups(
  a: Float64Array,
  rows: number,
  cols: number,
  ptr: Int32Array,
  weights: Float64Array,
  selected: readonly number[],
  lambda: number,
  loss: SmoothLoss,
): DenseGroupProblem {
  const subPtr = new Int32Array(selected.length + 1);
  const subW = new Float64Array(selected.length);
  for (let k = 0; k < selected.length; k++) {
    const g = selected[k] as number;
    subPtr[k + 1] = (subPtr[k] as number) + (ptr[g + 1] as number) - (ptr[g] as number);
    subW[k] = weights[g] as number;
  }
  const p = subPtr[selected.length] as number;
  if (p === cols && selected.length === weights.length) {
    return { a, rows, cols, ptr, weights, lambda, loss };
  }
  const sub = new Float64Array(rows * p);
  for (let i = 0; i < rows; i++) {
    const src = i * cols;
    const dst = i * p;
    for (let k = 0; k < selected.length; k++) {
      const g = selected[k] as number;
      const s0 = ptr[g] as number;
      const len = (ptr[g + 1] as number) - s0;
      const d0 = dst + (subPtr[k] as number);
      for (let j = 0; j < len; j++) sub[d0 + j] = a[src + s0 + j] as number;
    }
  }
  return { a: sub, rows, cols: p, ptr: subPtr, weights: subW, lambda, loss };
}
