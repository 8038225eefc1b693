import { dispatchEngine } from "../wasm/kernel-config.js";
import { checkDimension, checkStrided1d, checkStrided2d, checkTranspose } from "./check-strided.js";
import type { Transpose } from "./transpose.js";

/**
 * Entries of `A` from which `gemv` runs on WebAssembly (engine `"auto"`). A gemv reads each
 * entry once, so the copy into wasm memory costs as much as the product itself; only the
 * second thread pays for it (see `pnpm bench:tensors`).
 */
const WASM_MIN_GEMV = 1 << 16;

/** Whether an `M × N` matrix–vector product is above the JS/WebAssembly crossover. @internal */
export function gemvWorthIt(M: number, N: number): boolean {
  return M * N >= WASM_MIN_GEMV;
}

/**
 * Matrix–vector product `y = α·op(A)·x + β·y`, with the stored `A` of shape `M × N`
 * (`op(A)` is `M × N`, or `N × M` when `trans = "transpose"`). Strided convention of stdlib-js.
 * With `β = 0`, `y` is overwritten. From 65,536 entries of `A` on (engine `"auto"`, see
 * {@link configureKernels}) it runs on the WebAssembly SIMD128 kernel, split over the worker
 * threads; the plain JS loop otherwise.
 *
 * @param trans - `"no-transpose"` to use the stored `A`, `"transpose"` to use `Aᵀ`; anything else
 *   is `invalid-option`
 * @param M - rows of the stored `A` (an integer ≥ 0; otherwise `invalid-option`)
 * @param N - columns of the stored `A` (an integer ≥ 0; otherwise `invalid-option`)
 * @param alpha - the scalar `α` multiplying the product
 * @param A - the matrix, read only: entry `(i, j)` of the stored matrix, of shape `M × N` (whatever
 *   `trans` is), is `A[offsetA + i·strideA1 + j·strideA2]`
 * @param strideA1 - step in `A` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideA2 - step in `A` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetA - index in `A` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `A`, otherwise `shape-mismatch`
 * @param x - the input vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` (`M`
 *   when `trans` is `"transpose"`) elements
 * @param strideX - step in `x` between consecutive elements (an integer; may be negative)
 * @param offsetX - index in `x` of element 0; every index the view reaches must lie inside `x`,
 *   otherwise `shape-mismatch`
 * @param beta - the scalar `β` multiplying the old `y`; with `β = 0`, `y` is overwritten
 * @param y - the output vector, updated in place: element `i` is `y[offsetY + i·strideY]`, for `M`
 *   (`N` when `trans` is `"transpose"`) elements
 * @param strideY - step in `y` between consecutive elements (an integer; may be negative)
 * @param offsetY - index in `y` of element 0; every index the view reaches must lie inside `y`,
 *   otherwise `shape-mismatch`
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

  const engine = dispatchEngine(gemvWorthIt(M, N));
  if (
    engine?.gemv(
      t,
      M,
      N,
      alpha,
      A,
      strideA1,
      strideA2,
      offsetA,
      x,
      strideX,
      offsetX,
      beta,
      y,
      strideY,
      offsetY,
    ) === true
  ) {
    return;
  }
  runJsGemv(
    t,
    M,
    N,
    yLen,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    x,
    strideX,
    offsetX,
    beta,
    y,
    strideY,
    offsetY,
  );
}

/**
 * {@link gemv} on the plain JS kernel only (never WebAssembly): the fallback and the test
 * reference. Same arguments and checks as {@link gemv}.
 *
 * @internal
 */
export function jsGemv(
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

  runJsGemv(
    t,
    M,
    N,
    yLen,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    x,
    strideX,
    offsetX,
    beta,
    y,
    strideY,
    offsetY,
  );
}

function runJsGemv(
  t: boolean,
  M: number,
  N: number,
  yLen: number,
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
