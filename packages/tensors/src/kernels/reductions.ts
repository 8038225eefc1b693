import { checkDimension, checkStrided1d } from "./check-strided.js";

/**
 * Sum `Σ x_i` over `N` strided elements, with Kahan–Babuška (Neumaier) compensation so that
 * large sums of mixed signs (objective values, duality gaps) keep full precision.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { sum } from "@convexformer/tensors";
 * sum(3, new Float64Array([1e16, 1, -1e16]), 1, 0); // 1
 * ```
 */
export function sum(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  let s = 0;
  let c = 0;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const v = x[ix] as number;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Sum of absolute values `Σ |x_i|` (the ℓ1 norm) over `N` strided elements.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { asum } from "@convexformer/tensors";
 * asum(2, new Float64Array([-1, 2]), 1, 0); // 3
 * ```
 */
export function asum(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  let s = 0;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) s += Math.abs(x[ix] as number);
  return s;
}

/**
 * Largest absolute value `max_i |x_i|` (the ℓ∞ norm); 0 for `N = 0`; `NaN` if any entry is.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { amax } from "@convexformer/tensors";
 * amax(3, new Float64Array([1, -5, 2]), 1, 0); // 5
 * ```
 */
export function amax(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  let m = 0;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const a = Math.abs(x[ix] as number);
    if (a > m || Number.isNaN(a)) {
      if (Number.isNaN(a)) return Number.NaN;
      m = a;
    }
  }
  return m;
}

/**
 * Index (0-based, among the `N` strided elements) of the largest entry; −1 for `N = 0`.
 * Ties go to the first. `NaN` entries are never chosen.
 *
 * @param N - number of elements (an integer ≥ 0; otherwise `invalid-option`)
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `N` elements
 * @param strideX - step in `x` between consecutive elements (an integer; negative walks backwards,
 *   0 repeats one entry)
 * @param offsetX - index in `x` of element 0 (an integer); every index the view reaches must lie
 *   inside `x`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { argmax } from "@convexformer/tensors";
 * argmax(3, new Float64Array([1, 7, 7]), 1, 0); // 1
 * ```
 */
export function argmax(N: number, x: Float64Array, strideX: number, offsetX: number): number {
  checkDimension("N", N);
  checkStrided1d("x", x, N, strideX, offsetX);
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0, ix = offsetX; i < N; i++, ix += strideX) {
    const v = x[ix] as number;
    if (v > bestValue || (best === -1 && v === Number.NEGATIVE_INFINITY)) {
      best = i;
      bestValue = v;
    }
  }
  return best;
}
