import type { Certificate } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky.js";
import { gram } from "../linalg/gram.js";
import type { SolveMonitor } from "../solve-monitor.js";
import type { SolveResult, SolveStatus } from "../solver.js";
import { restrictGroups } from "./dense-group-problem.js";
import { groupScores } from "./group-support.js";
import { gatherGroups, groupNorm, scatterGroups, zeroGroup } from "./group-vectors.js";
import { applyFactorTranspose, hessianFactor } from "./hessian-factor.js";

/** The most support columns {@link polishSupport} factors beyond the sample count. */
const MAX_POLISH_COLUMNS = 2048;

/** The clean-up: zero near-zero groups, polish the support by Newton steps, keep if no worse. @internal */
export function finishWithCleanup(
  monitor: SolveMonitor,
  problem: CompositeProblem,
  x: Float64Array,
  status: SolveStatus,
  cleanup: boolean,
  a: Float64Array,
): SolveResult {
  // (a stop on time or by the signal returns at once: the clean-up is extra work)
  if (!cleanup || status === "aborted" || status === "diverged" || status === "time-limit") {
    return monitor.finish(x, status);
  }
  const groups = problem.regularizer.groups;
  if (groups === undefined) return monitor.finish(x, status);
  const original = monitor.certify(x);
  const scores = groupScores(monitor.certificateBuffers.gradient, groups.ptr, groups.weights);
  const { ptr, weights, count: G } = groups;
  let maxNorm = 0;
  for (let g = 0; g < G; g++) maxNorm = Math.max(maxNorm, groupNorm(x, ptr, g));
  const cleaned = Float64Array.from(x);
  const support: number[] = [];
  for (let g = 0; g < G; g++) {
    const n = groupNorm(x, ptr, g);
    const slack = (scores[g] as number) < problem.lambda * (1 - 1e-3);
    if (n <= 1e-10 * maxNorm || (slack && n <= 1e-3 * maxNorm)) zeroGroup(cleaned, ptr, g);
    else if (n > 0) support.push(g);
  }
  let best = x;
  let bestCert: Certificate = original;
  const consider = (candidate: Float64Array): void => {
    const c = monitor.certify(candidate);
    // against the best dual bound of the solve, a lower objective is a certificate no worse
    if (Number.isFinite(c.objective) && c.objective <= bestCert.objective) {
      best = candidate;
      bestCert = c;
    }
  };
  consider(cleaned);
  const polished = polishSupport(problem, a, cleaned, support, weights);
  if (polished !== undefined) consider(polished);
  if (best !== x) {
    x.set(best);
    // the clean-up counts as one more iteration; registering it lets a converged result
    // return the cleaned iterate (the monitor otherwise keeps the iterate it certified)
    if (status === "converged") monitor.step(x, bestCert.objective, bestCert);
  }
  return monitor.finish(x, status);
}

/**
 * Newton steps on `F(A_S x_S) + λ Σ_{g∈S} w_g ‖x_g‖` over the support `S` (smooth there),
 * from `x`; `undefined` when the support system is singular.
 */
function polishSupport(
  problem: CompositeProblem,
  a: Float64Array,
  x: Float64Array,
  support: readonly number[],
  weights: Float64Array,
): Float64Array | undefined {
  if (support.length === 0) return undefined;
  const { loss, lambda } = problem;
  const groups = problem.regularizer.groups;
  if (groups === undefined) return undefined;
  const { rows, cols: fullCols } = problem.operator;
  const sub = restrictGroups(a, rows, fullCols, groups.ptr, weights, support, lambda, loss);
  const { cols, ptr } = sub;
  // the support's cols × cols system: the group-norm curvature makes it positive definite
  // even past the sample count (a singular one fails the factorization below); beyond both
  // the sample count and MAX_POLISH_COLUMNS its factorization would outweigh the solve
  if (cols > Math.max(rows, MAX_POLISH_COLUMNS)) return undefined;
  let xs = gatherGroups(x, groups.ptr, support, cols);
  const yhat = new Float64Array(rows);
  const grad = new Float64Array(rows);
  const gs = new Float64Array(cols);
  const apply = (v: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const o = i * cols;
      for (let j = 0; j < cols; j++) s += (sub.a[o + j] as number) * (v[j] as number);
      out[i] = s;
    }
  };
  const objective = (v: Float64Array, pred: Float64Array): number => {
    let pen = 0;
    for (let k = 0; k < support.length; k++)
      pen += (sub.weights[k] as number) * groupNorm(v, ptr, k);
    return loss.value(pred) + lambda * pen;
  };
  const b = new Float64Array(rows * cols);
  const trialPred = new Float64Array(rows);
  const ad = new Float64Array(rows);
  for (let it = 0; it < 4; it++) {
    apply(xs, yhat);
    loss.gradient(yhat, grad);
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += (sub.a[i * cols + j] as number) * (grad[i] as number);
      gs[j] = s;
    }
    applyFactorTranspose(
      loss.name === "squared"
        ? new Float64Array(loss.size).fill(Math.sqrt(loss.smoothness))
        : hessianFactor(loss, yhat),
      loss.outputs,
      sub.a,
      rows,
      cols,
      b,
    );
    const m = gram(b, rows, cols, "columns");
    for (let k = 0; k < support.length; k++) {
      const s0 = ptr[k] as number;
      const s1 = ptr[k + 1] as number;
      const n = groupNorm(xs, ptr, k);
      if (n === 0) return undefined;
      const lw = lambda * (sub.weights[k] as number);
      for (let i = s0; i < s1; i++) {
        gs[i] = (gs[i] as number) + (lw * (xs[i] as number)) / n;
        for (let j = s0; j < s1; j++) {
          const h =
            (lw / n) * ((i === j ? 1 : 0) - ((xs[i] as number) * (xs[j] as number)) / (n * n));
          m[i * cols + j] = (m[i * cols + j] as number) + h;
        }
      }
    }
    if (!choleskyInPlace(m, cols)) return undefined;
    const d = Float64Array.from(gs, (v) => -v);
    choleskySolve(m, cols, d);
    apply(d, ad);
    const f0 = objective(xs, yhat);
    let step = 1;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      const trial = Float64Array.from(xs, (v, j) => v + step * (d[j] as number));
      for (let i = 0; i < rows; i++) trialPred[i] = (yhat[i] as number) + step * (ad[i] as number);
      if (objective(trial, trialPred) <= f0) {
        xs = trial;
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
  }
  const out = new Float64Array(x.length);
  scatterGroups(xs, groups.ptr, support, out);
  return out;
}
