import type { CompositeProblem } from "../composite-problem.js";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky.js";
import { gram } from "../linalg/gram.js";

/**
 * The ADMM `x`-update `x = argmin F(Ax) + (ρ/2)‖x − v‖²`.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * import { choleskyXUpdate, type XUpdate } from "./x-update.js"; // internal module
 * const a = Matrix.identity(2);
 * const problem = createProblem({
 *   operator: denseOperator(a),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const update: XUpdate = choleskyXUpdate(problem, a.data);
 * const x = new Float64Array(2);
 * update.solve(new Float64Array(2), 1, x); // x ← argmin F(Ax) + (ρ/2)‖x − v‖², here (y + ρv)/(1 + ρ)
 * x; // [0.5, -0.5]
 * ```
 */
export interface XUpdate {
  /** `"cholesky-primal"`, `"cholesky-woodbury"` or `"newton-cg"`. */
  readonly kind: string;
  /** `smoothness · ‖A‖²` when the set-up estimated it (a sketch's top eigenvalue). */
  readonly gramNorm?: number;
  /** Writes the minimizer into `x` (its previous value is the warm start of inexact updates). */
  solve(v: Float64Array, rho: number, x: Float64Array): void;
}

/**
 * Exact update for the squared loss `F(ŷ) = (f/2)‖ŷ − y‖²` from a cached factorization:
 * `(f AᵀA + ρI) x = f Aᵀy + ρ v`. With `rows < cols` the Woodbury form
 * `(1/ρ)[r − f Aᵀ(ρI + f AAᵀ)⁻¹ A r]` factors only a `rows × rows` matrix. The Gram matrix
 * is computed once; a change of `ρ` refactors it (`n³/3`).
 *
 * @param problem - a squared-loss problem
 * @param a - its dense design, row-major
 * @returns the update
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * import { choleskyXUpdate } from "./x-update.js"; // internal module
 * const a = Matrix.fromRows([[1, 0], [0, 1], [1, 1]]);
 * const problem = createProblem({
 *   operator: denseOperator(a),
 *   loss: squaredLoss(new Float64Array([1, 0, 1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 0.1,
 * });
 * const update = choleskyXUpdate(problem, a.data);
 * update.kind; // "cholesky-primal"
 * const x = new Float64Array(2);
 * update.solve(new Float64Array(2), 1, x); // (AᵀA + I) x = Aᵀy: [[3, 1], [1, 3]] x = [2, 1]
 * x; // [0.625, 0.125]
 * ```
 */
export function choleskyXUpdate(problem: CompositeProblem, a: Float64Array): XUpdate {
  const { rows, cols } = problem.operator;
  const f = problem.loss.smoothness; // squared loss: ∇²F = f·I
  const woodbury = rows < cols;
  const n = woodbury ? rows : cols;
  const g = gram(a, rows, cols, woodbury ? "rows" : "columns", f);
  const factor = new Float64Array(n * n);
  // c0 = f Aᵀy = −Aᵀ∇F(0)
  const c0 = new Float64Array(cols);
  const grad0 = new Float64Array(rows);
  problem.loss.gradient(new Float64Array(rows), grad0);
  problem.operator.adjoint(grad0, c0);
  for (let j = 0; j < cols; j++) c0[j] = -(c0[j] as number);
  let factoredRho = Number.NaN;
  const r = new Float64Array(cols);
  const w = new Float64Array(rows);
  const refactor = (rho: number): void => {
    factor.set(g);
    for (let i = 0; i < n; i++) factor[i * n + i] = (factor[i * n + i] as number) + rho;
    if (!choleskyInPlace(factor, n)) {
      // f·Gram + ρI is positive definite for ρ > 0; failure means non-finite data
      throw new RangeError("ADMM: the x-update matrix is not positive definite");
    }
    factoredRho = rho;
  };
  return {
    kind: woodbury ? "cholesky-woodbury" : "cholesky-primal",
    solve(v, rho, x) {
      if (rho !== factoredRho) refactor(rho);
      for (let j = 0; j < cols; j++) r[j] = (c0[j] as number) + rho * (v[j] as number);
      if (!woodbury) {
        x.set(r);
        choleskySolve(factor, n, x);
        return;
      }
      problem.operator.apply(r, w);
      choleskySolve(factor, n, w);
      problem.operator.adjoint(w, x);
      for (let j = 0; j < cols; j++) x[j] = ((r[j] as number) - f * (x[j] as number)) / rho;
    },
  };
}

/**
 * Inexact update for any smooth loss: `steps` damped Newton steps, each solved by conjugate
 * gradients on `(AᵀHA + ρI) d = −∇` with Hessian-vector products, warm-started at `x`.
 *
 * @param problem - the problem
 * @param steps - Newton steps per update
 * @param cgIterations - conjugate-gradient iterations per Newton step
 * @returns the update
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, logisticLoss } from "@convexformer/solvers";
 * import { newtonCgXUpdate } from "./x-update.js"; // internal module
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: logisticLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 0.1,
 * });
 * const update = newtonCgXUpdate(problem, 2, 25);
 * update.kind; // "newton-cg"
 * const x = new Float64Array(2);
 * update.solve(new Float64Array(2), 1, x); // two Newton steps from 0 toward the minimizer
 * x[0]! > 0 && x[1]! < 0; // true
 * ```
 */
export function newtonCgXUpdate(
  problem: CompositeProblem,
  steps: number,
  cgIterations: number,
): XUpdate {
  const { operator, loss } = problem;
  const { rows, cols } = operator;
  const yhat = new Float64Array(rows);
  const lg = new Float64Array(rows);
  const grad = new Float64Array(cols);
  const d = new Float64Array(cols);
  const res = new Float64Array(cols);
  const dir = new Float64Array(cols);
  const hd = new Float64Array(cols);
  const ad = new Float64Array(rows);
  const had = new Float64Array(rows);
  const trial = new Float64Array(cols);
  const yTrial = new Float64Array(rows);
  const objective = (
    xv: Float64Array,
    pred: Float64Array,
    v: Float64Array,
    rho: number,
  ): number => {
    let s = 0;
    for (let j = 0; j < cols; j++) s += ((xv[j] as number) - (v[j] as number)) ** 2;
    return loss.value(pred) + 0.5 * rho * s;
  };
  return {
    kind: "newton-cg",
    solve(v, rho, x) {
      operator.apply(x, yhat);
      for (let step = 0; step < steps; step++) {
        loss.gradient(yhat, lg);
        operator.adjoint(lg, grad);
        let gnorm2 = 0;
        for (let j = 0; j < cols; j++) {
          grad[j] = (grad[j] as number) + rho * ((x[j] as number) - (v[j] as number));
          gnorm2 += (grad[j] as number) ** 2;
        }
        if (gnorm2 === 0) return;
        // CG on H d = −grad, H = AᵀHA + ρI
        d.fill(0);
        for (let j = 0; j < cols; j++) res[j] = -(grad[j] as number);
        dir.set(res);
        let rr = gnorm2;
        const stop = Math.min(0.25, Math.sqrt(Math.sqrt(gnorm2))) ** 2 * gnorm2;
        for (let it = 0; it < cgIterations && rr > stop; it++) {
          operator.apply(dir, ad);
          loss.hessianVector(yhat, ad, had);
          operator.adjoint(had, hd);
          let pHp = 0;
          for (let j = 0; j < cols; j++) {
            hd[j] = (hd[j] as number) + rho * (dir[j] as number);
            pHp += (dir[j] as number) * (hd[j] as number);
          }
          if (!(pHp > 0)) break;
          const alpha = rr / pHp;
          let rrNew = 0;
          for (let j = 0; j < cols; j++) {
            d[j] = (d[j] as number) + alpha * (dir[j] as number);
            res[j] = (res[j] as number) - alpha * (hd[j] as number);
            rrNew += (res[j] as number) ** 2;
          }
          const beta = rrNew / rr;
          rr = rrNew;
          for (let j = 0; j < cols; j++) dir[j] = (res[j] as number) + beta * (dir[j] as number);
        }
        // backtracking on the x-subproblem objective
        operator.apply(d, ad);
        const f0 = objective(x, yhat, v, rho);
        let slope = 0;
        for (let j = 0; j < cols; j++) slope += (grad[j] as number) * (d[j] as number);
        let t = 1;
        let accepted = false;
        for (let ls = 0; ls < 30; ls++) {
          for (let j = 0; j < cols; j++) trial[j] = (x[j] as number) + t * (d[j] as number);
          for (let i = 0; i < rows; i++) yTrial[i] = (yhat[i] as number) + t * (ad[i] as number);
          if (objective(trial, yTrial, v, rho) <= f0 + 1e-4 * t * slope) {
            accepted = true;
            break;
          }
          t *= 0.5;
        }
        if (!accepted) return;
        x.set(trial);
        yhat.set(yTrial);
      }
    },
  };
}
