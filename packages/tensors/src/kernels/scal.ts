import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * `x = α·x` over `N` strided elements (with `α = 0` the entries become exactly 0).
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param alpha - the scalar `α`; with `α = 0` the entries become exactly 0, even `NaN` or
 *   `Infinity` ones
 * @param x - the vector scaled in place: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { scal } from "@convexformer/tensors";
 * const x = new Float64Array([1, 2]);
 * scal(2, 3, x, 1, 0); // x = [3, 6]
 * ```
 */
export function scal(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): void {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    x[ix] = alpha === 0 ? 0 : alpha * (x[ix] as number);
  }
}
