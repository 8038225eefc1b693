import type { Regularizer } from "@convexformer/solvers";
import { assertInteger, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import { rowThresholdProx } from "./row-threshold.js";

/**
 * **Relaxation** of the exact sequence gauge {@link equalRowSumRegularizer}: for `blocks`
 * contiguous `n × n` signed blocks `C_b`, `R(C) = Σ_b max_k ‖(C_b)_k‖₁` (the max-row-sum
 * norm, a reading of the paper's undefined `‖C‖_{1,∞}`). Every feasible point of the exact
 * program (33) maps to one of this program with no larger penalty (`C = C⁺ − C⁻`,
 * `max_k ‖C_k‖₁ ≤ t⁺ + t⁻`), so its optimum is a lower bound on (33), strictly lower on some
 * instances; its solutions need not be representable by the sequence model (30).
 *
 * - `prox_{τR}(V)`: per block, `min_{s ≥ 0} Σ_k ½ dist²(v_k, s·B_1) + τ s`, solved exactly by
 *   the same breakpoint walk as the exact gauge (rows inside the ball keep their values).
 * - polar: `R°(V) = max_b Σ_k max_m |(V_b)_km|`.
 *
 * @param blocks - number of contiguous `n × n` blocks (`d·c` for a sequence program), an integer ≥
 *   1
 * @param n - the blocks' side `n` (tokens per sample), an integer ≥ 1; the regularizer takes
 *   vectors of length `blocks·n²`
 *
 * @example
 * ```ts
 * import { maxRowSumRelaxation } from "@convexformer/attention";
 * const R = maxRowSumRelaxation(1, 2);
 * R.value(new Float64Array([1, -1, 0, 0.5])); // 2 (row ℓ1 norms 2 and 0.5)
 * ```
 */
export function maxRowSumRelaxation(blocks: number, n: number): Regularizer {
  assertInteger("blocks", blocks, 1);
  assertInteger("n", n, 1);
  const nn = n * n;
  const dim = blocks * nn;
  const check = (x: Float64Array, name: string) => {
    if (x.length !== dim)
      throw new ShapeMismatchError(name, `expected length ${dim}, got ${x.length}`);
  };
  return {
    name: "max-row-sum-relaxation",
    dim,
    groups: undefined,
    value(x: Float64Array): number {
      check(x, "x");
      let total = 0;
      for (let b = 0; b < blocks; b++) {
        let best = 0;
        for (let k = 0; k < n; k++) {
          let s = 0;
          for (let m = 0; m < n; m++) s += Math.abs(x[b * nn + k * n + m] as number);
          best = Math.max(best, s);
        }
        total += best;
      }
      return total;
    },
    prox(x: Float64Array, t: number, out: Float64Array): void {
      check(x, "x");
      check(out, "out");
      if (!(t >= 0)) throw new InvalidOptionError("t", t, "the prox step must be a number >= 0");
      if (t === 0) {
        if (out !== x) out.set(x);
        return;
      }
      for (let b = 0; b < blocks; b++) rowThresholdProx(x, b * nn, n, n, t, "ball", out, b * nn);
    },
    polar(v: Float64Array): number {
      check(v, "v");
      let best = 0;
      for (let b = 0; b < blocks; b++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          let m = 0;
          for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(v[b * nn + k * n + j] as number));
          s += m;
        }
        best = Math.max(best, s);
      }
      return best;
    },
  };
}
