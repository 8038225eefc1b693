import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * Euclidean norm `‖x‖₂` over `N` strided elements, without overflow or underflow: a plain
 * sum of squares when it is safe, a scaled one (as LAPACK's `dnrm2`) when it is not.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { nrm2 } from "@convexformer/tensors";
 * nrm2(2, new Float64Array([3, 4]), 1, 0);       // 5
 * nrm2(2, new Float64Array([3e200, 4e200]), 1, 0); // 5e200 (no overflow)
 * ```
 */
export function nrm2(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  return nrm2Unchecked(N, x, strideX, offsetX);
}

const TINY = 1e-150;
const HUGE = 1e150;

/** {@link nrm2} without argument checks, for hot loops. @internal */
export function nrm2Unchecked(
  N: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): number {
  let sumsq = 0;
  let maxAbs = 0;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const v = x[ix] as number;
    sumsq += v * v;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  if (maxAbs === 0 || (maxAbs > TINY && maxAbs < HUGE)) return Math.sqrt(sumsq);
  if (!Number.isFinite(maxAbs)) return maxAbs; // Infinity (NaN never raises maxAbs)
  let scaled = 0;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const v = (x[ix] as number) / maxAbs;
    scaled += v * v;
  }
  return maxAbs * Math.sqrt(scaled);
}
