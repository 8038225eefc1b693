import { checkDimension, checkStrided1d, checkStrided2d, checkTranspose } from "./check-strided.js";
import type { Transpose } from "./transpose.js";

/**
 * Matrix–vector product `y = α·op(A)·x + β·y`, with the stored `A` of shape `M × N`
 * (`op(A)` is `M × N`, or `N × M` when `trans = "transpose"`). Strided convention of stdlib-js.
 * With `β = 0`, `y` is overwritten.
 *
 * @example
 * ```ts
 * import { gemv } from "@convexformer/tensors";
 * const A = new Float64Array([1, 2, 3, 4]); // [1 2; 3 4]
 * const x = new Float64Array([1, 1]);
 * const y = new Float64Array(2);
 * gemv("no-transpose", 2, 2, 1, A, 2, 1, 0, x, 1, 0, 0, y, 1, 0); // y = [3, 7]
 * gemv("transpose", 2, 2, 1, A, 2, 1, 0, x, 1, 0, 0, y, 1, 0);    // y = [4, 6]
 * ```
 */
export function gemv(
  trans: Transpose,
  M: number,
  N: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): void {
  checkTranspose("trans", trans);
  checkDimension("M", M);
  checkDimension("N", N);
  checkStrided2d("A", A, M, N, strideA1, strideA2, offsetA);
  const t = trans === "transpose";
  const xLen = t ? M : N;
  const yLen = t ? N : M;
  checkStrided1d("x", x, xLen, strideX, offsetX);
  checkStrided1d("y", y, yLen, strideY, offsetY);

  if (beta !== 1) {
    for (let i = 0, iy = offsetY; i < yLen; i++, iy += strideY) {
      y[iy] = beta === 0 ? 0 : beta * (y[iy] as number);
    }
  }
  if (alpha === 0) return;
  if (!t) {
    // y_i += α Σ_j A_ij x_j : dot products along rows
    for (let i = 0, iy = offsetY; i < M; i++, iy += strideY) {
      let s = 0;
      let ia = offsetA + i * strideA1;
      let ix = offsetX;
      for (let j = 0; j < N; j++, ia += strideA2, ix += strideX)
        s += (A[ia] as number) * (x[ix] as number);
      y[iy] = (y[iy] as number) + alpha * s;
    }
  } else {
    // y_j += α Σ_i A_ij x_i : axpy of each row of A into y
    for (let i = 0, ix = offsetX; i < M; i++, ix += strideX) {
      const a = alpha * (x[ix] as number);
      if (a === 0) continue;
      let ia = offsetA + i * strideA1;
      let iy = offsetY;
      for (let j = 0; j < N; j++, ia += strideA2, iy += strideY)
        y[iy] = (y[iy] as number) + a * (A[ia] as number);
    }
  }
}
