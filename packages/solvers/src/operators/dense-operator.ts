import {
  assertFinite,
  InvalidOptionError,
  Matrix,
  ShapeMismatchError,
} from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";
import { denseAdjoint, denseApply } from "./dense-kernels.js";

/**
 * The linear operator of a dense row-major matrix `A` (`rows × cols`): `apply` and `adjoint`
 * are float64 matrix–vector products on `A` itself (no copy: later writes to `A` are seen),
 * with kernels specialized to contiguous rows (about 4× the strided `gemv` of
 * `@convexformer/tensors` on memory-bound sizes; same results up to summation order), and
 * the column-restricted forms used by working sets and block-coordinate methods run on the
 * column block in place.
 *
 * @param matrix - `A`, a non-empty `rows × cols` `Matrix` of finite values (checked:
 *   `ShapeMismatchError`, `NonFiniteInputError`); used in place, not copied
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { denseOperator } from "@convexformer/solvers";
 * const A = denseOperator(Matrix.fromRows([[1, 2], [3, 4]]));
 * const out = new Float64Array(2);
 * A.apply(new Float64Array([1, 1]), out);
 * out; // Float64Array [3, 7]
 * A.adjoint(new Float64Array([1, 1]), out);
 * out; // Float64Array [4, 6]
 * ```
 */
export function denseOperator(matrix: Matrix): LinearOperator {
  if (!(matrix instanceof Matrix)) {
    throw new InvalidOptionError("matrix", typeof matrix, "must be a Matrix");
  }
  const { rows, cols, data } = matrix;
  if (rows === 0 || cols === 0) {
    throw new ShapeMismatchError("matrix", `is empty (${rows}x${cols}); needs rows, cols >= 1`);
  }
  assertFinite("matrix", data);
  const checkRange = (start: number, end: number): void => {
    if (
      !(
        Number.isInteger(start) &&
        Number.isInteger(end) &&
        start >= 0 &&
        start <= end &&
        end <= cols
      )
    ) {
      throw new ShapeMismatchError(
        "columns",
        `[${start}, ${end}) is not a column range of [0, ${cols})`,
      );
    }
  };
  const checkLength = (argument: string, v: Float64Array, n: number): void => {
    if (v.length !== n)
      throw new ShapeMismatchError(argument, `expected length ${n}, got ${v.length}`);
  };
  return {
    rows,
    cols,
    apply(x, out) {
      checkLength("x", x, cols);
      checkLength("out", out, rows);
      denseApply(data, cols, 0, rows, cols, x, out);
    },
    adjoint(r, out) {
      checkLength("r", r, rows);
      checkLength("out", out, cols);
      denseAdjoint(data, cols, 0, rows, cols, r, out);
    },
    applyColumns(start, end, x, out) {
      checkRange(start, end);
      checkLength("x", x, end - start);
      checkLength("out", out, rows);
      denseApply(data, cols, start, rows, end - start, x, out);
    },
    adjointColumns(start, end, r, out) {
      checkRange(start, end);
      checkLength("r", r, rows);
      checkLength("out", out, end - start);
      denseAdjoint(data, cols, start, rows, end - start, r, out);
    },
    toDense() {
      return matrix;
    },
  };
}
