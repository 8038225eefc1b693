import { gemm, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";

const BLOCK = 128;
/** Row block when a poll is given. */
const POLLED_BLOCK = 32;
/** Column chunk when a poll is given. */
const POLLED_CHUNK = 256;

/**
 * Gram matrix of a row-major `rows × cols` matrix `a`: `out = α·AᵀA + β·out` (`cols × cols`,
 * `side = "columns"`) or `out = α·AAᵀ + β·out` (`rows × rows`, `side = "rows"`). Only the
 * lower block triangle is computed with {@link gemm} (about half the multiply-adds of a full
 * product) and then mirrored, so `out` is exactly symmetric.
 *
 * @param a - the matrix, row-major
 * @param rows - rows of `a`
 * @param cols - columns of `a`
 * @param side - `"columns"` for `AᵀA`, `"rows"` for `AAᵀ`
 * @param alpha - scale of the product
 * @param beta - scale of the previous `out` (0 overwrites)
 * @param out - the result, row-major, allocated when omitted
 * @param poll - called before each block of rows of the result (a caller stops a long
 *   product by throwing from it)
 * @returns `out`
 *
 * @example
 * ```ts
 * import { gram } from "./gram.js"; // internal module
 * const a = new Float64Array([1, 2, 3, 4]); // [1 2; 3 4]
 * gram(a, 2, 2, "columns"); // [10, 14, 14, 20]
 * gram(a, 2, 2, "rows"); // [5, 11, 11, 25]
 * ```
 */
export function gram(
  a: Float64Array,
  rows: number,
  cols: number,
  side: "columns" | "rows",
  alpha = 1,
  beta = 0,
  out?: Float64Array,
  poll?: () => void,
): Float64Array {
  if (side !== "columns" && side !== "rows") {
    throw new InvalidOptionError("side", side, 'must be "columns" or "rows"');
  }
  if (a.length < rows * cols) {
    throw new ShapeMismatchError("a", `expected at least ${rows * cols} entries, got ${a.length}`);
  }
  const m = side === "columns" ? cols : rows;
  const k = side === "columns" ? rows : cols;
  const c = out ?? new Float64Array(m * m);
  if (c.length < m * m)
    throw new ShapeMismatchError("out", `expected at least ${m * m} entries, got ${c.length}`);
  // with a poll, smaller blocks: a stop comes sooner (a block is then ≤ 32·256·k multiply-adds)
  const block = poll === undefined ? BLOCK : POLLED_BLOCK;
  const chunk = poll === undefined ? m : POLLED_CHUNK;
  for (let i0 = 0; i0 < m; i0 += block) {
    const mb = Math.min(block, m - i0);
    const nCols = i0 + mb;
    for (let j0 = 0; j0 < nCols; j0 += chunk) {
      poll?.();
      const nb = Math.min(chunk, nCols - j0);
      if (side === "columns") {
        // out[i0:i0+mb, j0:j0+nb] = α A[:, i0:i0+mb]ᵀ A[:, j0:j0+nb] + β out
        gemm(
          "transpose",
          "no-transpose",
          mb,
          nb,
          k,
          alpha,
          a,
          cols,
          1,
          i0,
          a,
          cols,
          1,
          j0,
          beta,
          c,
          m,
          1,
          i0 * m + j0,
        );
      } else {
        // out[i0:i0+mb, j0:j0+nb] = α A[i0:i0+mb, :] A[j0:j0+nb, :]ᵀ + β out
        gemm(
          "no-transpose",
          "transpose",
          mb,
          nb,
          k,
          alpha,
          a,
          cols,
          1,
          i0 * cols,
          a,
          cols,
          1,
          j0 * cols,
          beta,
          c,
          m,
          1,
          i0 * m + j0,
        );
      }
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) c[i * m + j] = c[j * m + i] as number;
  }
  return c;
}
