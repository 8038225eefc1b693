import { AbstractMatrix, Matrix as MlMatrix } from "ml-matrix";
import { InvalidOptionError } from "../errors.js";
import { Matrix } from "../matrix.js";

/**
 * Copies a {@link Matrix} into an `ml-matrix` `Matrix` (for its decompositions: Cholesky, QR,
 * SVD, eigen, …).
 *
 * @param m - the {@link Matrix} to copy; the result shares no memory with it
 *
 * @example
 * ```ts
 * import { CholeskyDecomposition } from "ml-matrix";
 * import { Matrix, toMlMatrix } from "@convexformer/tensors";
 * const A = Matrix.fromRows([[4, 2], [2, 3]]);
 * const chol = new CholeskyDecomposition(toMlMatrix(A));
 * chol.isPositiveDefinite(); // true
 * ```
 */
export function toMlMatrix(m: Matrix): MlMatrix {
  if (!(m instanceof Matrix)) throw new InvalidOptionError("m", typeof m, "must be a Matrix");
  const { rows, cols, data } = m;
  if (rows === 0) return new MlMatrix(0, cols);
  const rowViews: Float64Array[] = [];
  for (let i = 0; i < rows; i++) rowViews.push(data.subarray(i * cols, (i + 1) * cols));
  // ml-matrix copies each row (Float64Array.from), so the result shares nothing with `m`
  return new MlMatrix(rowViews);
}

/**
 * Copies any `ml-matrix` matrix (a `Matrix` or a view such as `transposeView()`) into a
 * row-major float64 {@link Matrix}.
 *
 * @param m - an `ml-matrix` `AbstractMatrix` (a `Matrix` or a view such as `transposeView()`),
 *   read entry by entry into new row-major storage
 * @throws {@link InvalidOptionError} when `m` is not an `ml-matrix` matrix
 *
 * @example
 * ```ts
 * import { Matrix as MlMatrix } from "ml-matrix";
 * import { fromMlMatrix } from "@convexformer/tensors";
 * const m = fromMlMatrix(new MlMatrix([[1, 2], [3, 4]]).transpose());
 * m.toRows(); // [[1, 3], [2, 4]]
 * ```
 */
export function fromMlMatrix(m: AbstractMatrix): Matrix {
  if (!AbstractMatrix.isMatrix(m)) {
    throw new InvalidOptionError("m", typeof m, "must be an ml-matrix matrix");
  }
  const rows = m.rows;
  const cols = m.columns;
  const out = new Matrix(rows, cols);
  const data = out.data;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) data[base + j] = m.get(i, j);
  }
  return out;
}
