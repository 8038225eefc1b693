import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * Dot product `Σ x_i y_i` over `N` strided elements.
 *
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
