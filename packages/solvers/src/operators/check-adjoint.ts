import type { Rng } from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";

/**
 * Tests the adjoint identity `⟨A x, r⟩ = ⟨x, Aᵀ r⟩` on random Gaussian `x`, `r` drawn from
 * `rng`, and, when the operator has them, that `applyColumns` / `adjointColumns` agree with
 * `apply` / `adjoint` on a random column range. Returns the worst relative error
 * `|a − b| / (‖A x‖‖r‖ + ‖x‖‖Aᵀ r‖)` over all checks: about `1e-15` for a correct operator,
 * order 1 for a wrong adjoint.
 *
 * @param operator - the operator to check
 * @param rng - the random stream (e.g. `createRng(0)` from `@convexformer/tensors`)
 * @param trials - number of random pairs (default 3)
 * @example
 * ```ts
 * import { createRng, Matrix } from "@convexformer/tensors";
 * import { checkAdjoint, denseOperator } from "@convexformer/solvers";
 * const A = denseOperator(Matrix.fromRows([[1, 2], [3, 4], [5, 6]]));
 * checkAdjoint(A, createRng(0)) < 1e-12; // true
 * ```
 */
export function checkAdjoint(operator: LinearOperator, rng: Rng, trials = 3): number {
  const { rows, cols } = operator;
  const x = new Float64Array(cols);
  const r = new Float64Array(rows);
  const ax = new Float64Array(rows);
  const atr = new Float64Array(cols);
  let worst = 0;
  for (let t = 0; t < trials; t++) {
    rng.fillNormal(x);
    rng.fillNormal(r);
    operator.apply(x, ax);
    operator.adjoint(r, atr);
    const a = dotOf(ax, r);
    const b = dotOf(x, atr);
    worst = Math.max(worst, relative(a, b, norm(ax) * norm(r) + norm(x) * norm(atr)));
    if (cols === 0) continue;
    const start = rng.integer(0, cols);
    const end = rng.integer(start + 1, cols + 1);
    if (operator.applyColumns !== undefined) {
      const padded = new Float64Array(cols);
      padded.set(x.subarray(start, end), start);
      const full = new Float64Array(rows);
      operator.apply(padded, full);
      const part = new Float64Array(rows);
      operator.applyColumns(start, end, x.slice(start, end), part);
      worst = Math.max(worst, diffNorm(full, part) / Math.max(norm(full), Number.MIN_VALUE));
    }
    if (operator.adjointColumns !== undefined) {
      const part = new Float64Array(end - start);
      operator.adjointColumns(start, end, r, part);
      const full = atr.subarray(start, end);
      worst = Math.max(worst, diffNorm(full, part) / Math.max(norm(atr), Number.MIN_VALUE));
    }
  }
  return worst;
}

function dotOf(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dotOf(a, a));
}

function diffNorm(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

function relative(a: number, b: number, scale: number): number {
  const d = Math.abs(a - b);
  if (d === 0) return 0;
  return scale > 0 ? d / scale : Number.POSITIVE_INFINITY;
}
