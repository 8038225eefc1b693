/**
 * Whether a kernel reads a matrix argument as stored (`"no-transpose"`) or transposed.
 * The names follow stdlib-js's BLAS packages.
 *
 * @example
 * ```ts
 * import { gemv, type Transpose } from "@convexformer/tensors";
 * const trans: Transpose = "transpose";
 * const A = new Float64Array([1, 2, 3, 4]); // [[1, 2], [3, 4]], row-major
 * const y = new Float64Array(2);
 * gemv(trans, 2, 2, 1, A, 2, 1, 0, new Float64Array([1, 1]), 1, 0, 0, y, 1, 0);
 * y; // Float64Array [4, 6]
 * ```
 */
export type Transpose = "no-transpose" | "transpose";
