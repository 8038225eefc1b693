import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * `y = α·x + y` over `N` strided elements.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param alpha - the scalar `α` multiplying `x` (with `α = 0`, `y` is left as it is)
 * @param x - the vector added, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @param y - the vector updated in place: element `i` is `y[offsetY + i·strideY]`, for `N` elements
 * @param strideY - step in `y` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetY - index in `y` of element 0 (an integer); every index the view reaches must lie
 *   inside `y`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { axpy } from "@convexformer/tensors";
 * const y = new Float64Array([1, 1]);
 * axpy(2, 3, new Float64Array([1, 2]), 1, 0, y, 1, 0); // y = [4, 7]
 * ```
 */
export function axpy(
  N: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  checkStrided1d("y", y, N, strideY, offsetY);
  if (alpha === 0) return;
  if (strideX === 1 && strideY === 1) {
    for (let i = 0; i < N; i++)
      y[offsetY + i] = (y[offsetY + i] as number) + alpha * (x[offsetX + i] as number);
    return;
  }
  for (let i = 0, ix = offsetX, iy = offsetY; i < N; i++, ix += strideX, iy += strideY) {
    y[iy] = (y[iy] as number) + alpha * (x[ix] as number);
  }
}
