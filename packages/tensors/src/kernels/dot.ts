import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * Dot product `Σ x_i y_i` over `N` strided elements.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the first vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @param y - the second vector, read only: element `i` is `y[offsetY + i·strideY]`, for `N`
 *   elements
 * @param strideY - step in `y` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetY - index in `y` of element 0 (an integer); every index the view reaches must lie
 *   inside `y`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { dot } from "@convexformer/tensors";
 * dot(3, new Float64Array([1, 2, 3]), 1, 0, new Float64Array([4, 5, 6]), 1, 0); // 32
 * ```
 */
export function dot(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  checkStrided1d("y", y, N, strideY, offsetY);
  let s = 0;
  for (let i = 0, ix = offsetX, iy = offsetY; i < N; i++, ix += strideX, iy += strideY) {
    s += (x[ix] as number) * (y[iy] as number);
  }
  return s;
}
