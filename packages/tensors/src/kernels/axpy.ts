import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * `y = α·x + y` over `N` strided elements.
 *
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
