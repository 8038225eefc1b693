import type { Regularizer } from "@convexformer/solvers";
import {
  InvalidOptionError,
  ShapeMismatchError,
  validateInteger,
  validatePositive,
} from "@convexformer/tensors";
import { rowThresholdProx } from "./row-threshold.js";

/**
 * The gauge of the exact sequence program (33): for `blocks` contiguous `n × n` blocks `C_b`,
 * `R(C) = Σ_b t_b` where `t_b` is the common row sum of `C_b`, and `R(C) = +∞` unless every
 * block is nonnegative with all its row sums equal. Its unit ball is the convex hull of `0`
 * and the row-stochastic matrices (per block), so `R` is convex and positively homogeneous.
 *
 * Corrects the paper, which writes an undefined `‖C‖_{1,∞}` and omits the equal-row-sum
 * constraint: without it the program is the strict relaxation {@link maxRowSumRelaxation}.
 *
 * - `prox_{τR}(V)`: per block, `min_{t ≥ 0} Σ_k ½ dist²(v_k, tΔ_n) + τ t`, a convex piecewise
 *   quadratic in `t`, solved exactly by walking the breakpoints of the rows' simplex-projection
 *   thresholds; each row is then the projection of `v_k` onto `t*Δ_n`. The block is zero when
 *   `Σ_k max_m V_km ≤ τ`.
 * - polar: `R°(V) = max_b max(0, Σ_k max_m (V_b)_km)`.
 * - `groups` is `undefined` (not a group-ℓ2 norm).
 *
 * @param blocks - number of `n × n` blocks (`2·d·c` in (33))
 * @param n - block size (tokens)
 * @param tolerance - relative tolerance of the equal-row-sum test in `value` (default 1e-9)
 *
 * @example
 * ```ts
 * import { equalRowSumRegularizer } from "@convexformer/attention";
 * const R = equalRowSumRegularizer(1, 2);
 * R.value(new Float64Array([0.5, 0.5, 1, 0])); // 1 (both rows sum to 1)
 * R.value(new Float64Array([1, 0, 0, 0]));     // Infinity (row sums 1 and 0)
 * ```
 */
export function equalRowSumRegularizer(blocks: number, n: number, tolerance = 1e-9): Regularizer {
  validateInteger("blocks", blocks, 1);
  validateInteger("n", n, 1);
  validatePositive("tolerance", tolerance);
  const nn = n * n;
  const dim = blocks * nn;
  const check = (x: Float64Array, name: string) => {
    if (x.length !== dim)
      throw new ShapeMismatchError(name, `expected length ${dim}, got ${x.length}`);
  };
  return {
    name: "equal-row-sum",
    dim,
    groups: undefined,
    value(x: Float64Array): number {
      check(x, "x");
      let total = 0;
      for (let b = 0; b < blocks; b++) {
        let first = 0;
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < n; k++) {
          let s = 0;
          for (let m = 0; m < n; m++) {
            const c = x[b * nn + k * n + m] as number;
            if (!(c >= 0)) return Infinity;
            s += c;
          }
          if (k === 0) first = s;
          lo = Math.min(lo, s);
          hi = Math.max(hi, s);
        }
        if (hi - lo > tolerance * Math.max(1, hi)) return Infinity;
        total += n === 1 ? first : (lo + hi) / 2;
      }
      return total;
    },
    prox(x: Float64Array, t: number, out: Float64Array): void {
      check(x, "x");
      check(out, "out");
      if (!(t >= 0)) throw new InvalidOptionError("t", t, "the prox step must be a number >= 0");
      if (t === 0) {
        // projection onto the cone itself: τ → 0⁺ of the same walk
        for (let b = 0; b < blocks; b++)
          rowThresholdProx(x, b * nn, n, n, Number.MIN_VALUE, "simplex", out, b * nn);
        return;
      }
      for (let b = 0; b < blocks; b++) rowThresholdProx(x, b * nn, n, n, t, "simplex", out, b * nn);
    },
    polar(v: Float64Array): number {
      check(v, "v");
      let best = 0;
      for (let b = 0; b < blocks; b++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          let m = -Infinity;
          for (let j = 0; j < n; j++) m = Math.max(m, v[b * nn + k * n + j] as number);
          s += m;
        }
        best = Math.max(best, s);
      }
      return best;
    },
  };
}
