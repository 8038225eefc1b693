import { gemm, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";

/** Block size of the right-looking blocked factorization. */
const NB = 96;
/** Rows per block of the trailing update when a poll is given. */
const POLLED_ROWS = 32;

/**
 * In-place Cholesky factorization `A = L Lᵀ` of a symmetric positive-definite `n × n` matrix
 * stored row-major in `a` (only the lower triangle is read). On success the lower triangle
 * holds `L`, the strict upper triangle is set to zero, and the function returns `true`; it
 * returns `false` (leaving `a` partly overwritten) when a pivot is not positive, i.e. the
 * matrix is not numerically positive definite.
 *
 * Blocked right-looking algorithm: the trailing update, where nearly all the work is, is a
 * {@link gemm} call, so it runs at the speed of the blocked kernel (`n³/3` multiply-adds).
 *
 * @param a - the `n × n` matrix, row-major, overwritten by `L`
 * @param n - the order
 * @param poll - called before each block of the trailing update (a caller stops a long
 *   factorization by throwing from it)
 * @returns whether the factorization succeeded
 *
 * @example
 * ```ts
 * import { choleskyInPlace } from "./cholesky.js"; // internal module
 * const a = new Float64Array([4, 2, 2, 3]);
 * choleskyInPlace(a, 2); // true
 * a; // [2, 0, 1, Math.sqrt(2)]
 * ```
 */
export function choleskyInPlace(a: Float64Array, n: number, poll?: () => void): boolean {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidOptionError("n", n, "must be an integer >= 0");
  if (a.length < n * n)
    throw new ShapeMismatchError("a", `expected at least ${n * n} entries, got ${a.length}`);
  for (let k = 0; k < n; k += NB) {
    const nb = Math.min(NB, n - k);
    // 1. factor the diagonal block A[k:k+nb, k:k+nb] (unblocked, left-looking inside the block)
    if (!factorDiagonalBlock(a, n, k, nb)) return false;
    const rest = n - k - nb;
    if (rest === 0) break;
    // 2. panel: L21 = A21 L11⁻ᵀ (each row of A21 solved against L11)
    for (let i = k + nb; i < n; i++) {
      if (poll !== undefined && (i - k - nb) % 256 === 255) poll();
      const ri = i * n;
      for (let j = k; j < k + nb; j++) {
        const rj = j * n;
        let s = a[ri + j] as number;
        for (let p = k; p < j; p++) s -= (a[ri + p] as number) * (a[rj + p] as number);
        a[ri + j] = s / (a[rj + j] as number);
      }
    }
    // 3. trailing update of the lower triangle: A22 -= L21 L21ᵀ, in row blocks (only the
    //    blocks on or below the diagonal are computed)
    const k2 = k + nb;
    // (with a poll, rows of 32: a stop comes sooner)
    const rowBlock = poll === undefined ? NB : POLLED_ROWS;
    for (let i0 = k2; i0 < n; i0 += rowBlock) {
      poll?.();
      const mb = Math.min(rowBlock, n - i0);
      const cols = i0 + mb - k2; // columns k2 .. i0+mb
      gemm(
        "no-transpose",
        "transpose",
        mb,
        cols,
        nb,
        -1,
        a,
        n,
        1,
        i0 * n + k,
        a,
        n,
        1,
        k2 * n + k,
        1,
        a,
        n,
        1,
        i0 * n + k2,
      );
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  }
  return true;
}

function factorDiagonalBlock(a: Float64Array, n: number, k: number, nb: number): boolean {
  for (let j = k; j < k + nb; j++) {
    const rj = j * n;
    let d = a[rj + j] as number;
    for (let p = k; p < j; p++) {
      const v = a[rj + p] as number;
      d -= v * v;
    }
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < k + nb; i++) {
      const ri = i * n;
      let s = a[ri + j] as number;
      for (let p = k; p < j; p++) s -= (a[ri + p] as number) * (a[rj + p] as number);
      a[ri + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Solves `L Lᵀ x = b` in place given the factor from {@link choleskyInPlace} (lower triangle
 * of `l`, row-major `n × n`): a forward then a backward substitution, `2n²` multiply-adds.
 *
 * @param l - the Cholesky factor
 * @param n - the order
 * @param b - the right-hand side, overwritten by the solution
 *
 * @example
 * ```ts
 * import { choleskyInPlace, choleskySolve } from "./cholesky.js"; // internal module
 * const a = new Float64Array([4, 2, 2, 3]);
 * choleskyInPlace(a, 2);
 * const b = new Float64Array([6, 5]);
 * choleskySolve(a, 2, b);
 * b; // [1, 1]
 * ```
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  if (b.length < n) throw new ShapeMismatchError("b", `expected length ${n}, got ${b.length}`);
  // L y = b (row-oriented)
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let p = 0; p < i; p++) s -= (l[ri + p] as number) * (b[p] as number);
    b[i] = s / (l[ri + i] as number);
  }
  // Lᵀ x = y (column-oriented over rows of L: x_i final, then eliminate it from earlier rows)
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = (b[i] as number) / (l[ri + i] as number);
    b[i] = xi;
    if (xi === 0) continue;
    for (let p = 0; p < i; p++) b[p] = (b[p] as number) - (l[ri + p] as number) * xi;
  }
}
