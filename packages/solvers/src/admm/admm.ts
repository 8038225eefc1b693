import { InvalidOptionError } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "../solver.js";
import { choleskyXUpdate, newtonCgXUpdate, type XUpdate } from "./x-update.js";

/** Options of the ADMM solver, on top of the shared {@link SolveOptions}. */
export interface AdmmOptions extends SolveOptions {
  /** Initial penalty `ρ > 0`. Default: `‖A‖²·smoothness` estimated by a few power iterations. */
  readonly rho?: number;
  /** Over-relaxation `α ∈ (0, 2)`. Default `1.6`. */
  readonly relaxation?: number;
  /** Residual balancing of `ρ` (×2 or ÷2 when one residual is 10× the other). Default `true`. */
  readonly adaptiveRho?: boolean;
  /** Absolute residual tolerance (scaled by `√dim`). Default `1e-6`. */
  readonly absoluteTolerance?: number;
  /** Relative residual tolerance. Default `1e-4`. */
  readonly relativeTolerance?: number;
  /** Certify (duality gap of the `z` iterate) every this many iterations. Default `10`. */
  readonly certifyEvery?: number;
  /** `x`-update: `"auto"` (exact Cholesky for the squared loss with a dense design, else Newton–CG), `"cholesky"`, `"newton-cg"`. */
  readonly xUpdate?: "auto" | "cholesky" | "newton-cg";
}

const ADMM_OPTION_NAMES = [
  "rho",
  "relaxation",
  "adaptiveRho",
  "absoluteTolerance",
  "relativeTolerance",
  "certifyEvery",
  "xUpdate",
] as const;

/**
 * ADMM for `min F(Ax) + λR(z)` subject to `x = z` (scaled form, over-relaxed):
 *
 *     x ← argmin F(Ax) + (ρ/2)‖x − z + u‖²
 *     x̂ ← α x + (1 − α) z
 *     z ← prox_{(λ/ρ)R}(x̂ + u)
 *     u ← u + x̂ − z
 *
 * For the squared loss with a dense design the `x`-update is exact from a cached Cholesky
 * factorization (`rows × rows` Woodbury form when `rows < dim`, `dim × dim` otherwise); for
 * other losses (or operators without `toDense`) it is inexact: two Newton–CG steps with the
 * loss's Hessian-vector products. `ρ` follows residual balancing (a refactorization when it
 * changes). It stops when the primal/dual residuals meet their absolute + relative
 * tolerances and the certificate of the `z` iterate (exactly sparse: it comes out of the
 * prox) meets the requested relative gap; the residual tolerances tighten if the gap does
 * not hold yet. Any proximable regularizer works.
 *
 * @example
 * ```ts
 * import { createProblem, denseOperator, getSolver, groupL2, squaredLoss } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.fromRows([[1, 0], [0, 1]])),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = getSolver("admm").solve(problem, { tolerance: 1e-9 });
 * // result.x ≈ [7/8, −7/8]
 * ```
 */
export const admm: Solver<AdmmOptions> = {
  name: "admm",
  solve(problem: CompositeProblem, options?: AdmmOptions): SolveResult {
    return solveAdmm(problem, options);
  },
};

function solveAdmm(problem: CompositeProblem, options: AdmmOptions | undefined): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "admm",
    defaultMaxIterations: 10_000,
    extraOptionKeys: ADMM_OPTION_NAMES,
  });
  const opts = options ?? {};
  const relaxation = opts.relaxation ?? 1.6;
  if (!(typeof relaxation === "number" && relaxation > 0 && relaxation < 2)) {
    throw new InvalidOptionError("options.relaxation", relaxation, "must be a number in (0, 2)");
  }
  if (
    opts.rho !== undefined &&
    !(typeof opts.rho === "number" && Number.isFinite(opts.rho) && opts.rho > 0)
  ) {
    throw new InvalidOptionError("options.rho", opts.rho, "must be a finite number > 0");
  }
  if (opts.adaptiveRho !== undefined && typeof opts.adaptiveRho !== "boolean") {
    throw new InvalidOptionError("options.adaptiveRho", opts.adaptiveRho, "must be a boolean");
  }
  let absTol = opts.absoluteTolerance ?? 1e-6;
  let relTol = opts.relativeTolerance ?? 1e-4;
  if (!(absTol > 0))
    throw new InvalidOptionError("options.absoluteTolerance", absTol, "must be > 0");
  if (!(relTol > 0))
    throw new InvalidOptionError("options.relativeTolerance", relTol, "must be > 0");
  const certifyEvery = opts.certifyEvery ?? 10;
  if (!(Number.isInteger(certifyEvery) && certifyEvery >= 1)) {
    throw new InvalidOptionError("options.certifyEvery", certifyEvery, "must be an integer >= 1");
  }
  const mode = opts.xUpdate ?? "auto";
  if (mode !== "auto" && mode !== "cholesky" && mode !== "newton-cg") {
    throw new InvalidOptionError(
      "options.xUpdate",
      mode,
      'must be "auto", "cholesky" or "newton-cg"',
    );
  }
  const { operator, loss, regularizer, lambda, dim } = problem;
  const exactPossible = loss.name === "squared" && operator.toDense !== undefined;
  if (mode === "cholesky" && !exactPossible) {
    throw new InvalidOptionError(
      "options.xUpdate",
      mode,
      "the Cholesky x-update needs the squared loss and a dense operator (operator.toDense)",
    );
  }

  const z = monitor.initialPoint();
  const cert0 = monitor.certify(z);
  const first = monitor.start(z, cert0);
  if (first !== undefined) return monitor.finish(z, first);

  let rho = opts.rho ?? Math.max(1e-8, loss.smoothness * operatorNormSquared(problem));
  const update: XUpdate =
    mode === "newton-cg" || !exactPossible
      ? newtonCgXUpdate(problem, 2, 25)
      : choleskyXUpdate(problem, (operator.toDense as () => { data: Float64Array })().data);
  const adaptive = opts.adaptiveRho ?? true;
  const x = Float64Array.from(z);
  const u = new Float64Array(dim);
  const v = new Float64Array(dim);
  const zOld = new Float64Array(dim);
  const xh = new Float64Array(dim);
  const pred = new Float64Array(operator.rows);
  update.solve(z, rho, x); // factorization happens here
  monitor.endSetup();
  const sqrtDim = Math.sqrt(dim);
  let status: SolveStatus | undefined;
  let lastRhoChange = 0;
  for (let k = 1; status === undefined; k++) {
    for (let j = 0; j < dim; j++) v[j] = (z[j] as number) - (u[j] as number);
    if (k > 1) update.solve(v, rho, x);
    zOld.set(z);
    for (let j = 0; j < dim; j++) {
      xh[j] = relaxation * (x[j] as number) + (1 - relaxation) * (zOld[j] as number);
      z[j] = (xh[j] as number) + (u[j] as number);
    }
    regularizer.prox(z, lambda / rho, z);
    let rPri = 0;
    let rDual = 0;
    let nx = 0;
    let nz = 0;
    let nu = 0;
    for (let j = 0; j < dim; j++) {
      const zj = z[j] as number;
      u[j] = (u[j] as number) + (xh[j] as number) - zj;
      rPri += ((x[j] as number) - zj) ** 2;
      rDual += (zj - (zOld[j] as number)) ** 2;
      nx += (x[j] as number) ** 2;
      nz += zj * zj;
      nu += (u[j] as number) ** 2;
    }
    rPri = Math.sqrt(rPri);
    rDual = rho * Math.sqrt(rDual);
    const epsPri = sqrtDim * absTol + relTol * Math.sqrt(Math.max(nx, nz));
    const epsDual = sqrtDim * absTol + relTol * rho * Math.sqrt(nu);
    const residualsMet = rPri <= epsPri && rDual <= epsDual;
    if (residualsMet || k % certifyEvery === 0) {
      const cert = monitor.certify(z);
      status = monitor.step(z, cert.objective, cert);
      if (status === undefined && residualsMet) {
        // residuals small but the gap does not hold yet: tighten them
        absTol *= 0.1;
        relTol *= 0.1;
      }
    } else {
      operator.apply(z, pred);
      status = monitor.step(z, loss.value(pred) + lambda * regularizer.value(z));
    }
    if (status !== undefined) break;
    // residual balancing (each change refactors: at most every 10 iterations)
    if (adaptive && k - lastRhoChange >= 10) {
      let factor = 1;
      if (rPri > 10 * rDual) factor = 2;
      else if (rDual > 10 * rPri) factor = 0.5;
      if (factor !== 1) {
        rho *= factor;
        for (let j = 0; j < dim; j++) u[j] = (u[j] as number) / factor; // scaled dual u = y/ρ
        lastRhoChange = k;
      }
    }
  }
  return monitor.finish(z, status);
}

/** `‖A‖₂²` by 20 power iterations on `AᵀA` (deterministic start). */
function operatorNormSquared(problem: CompositeProblem): number {
  const { operator } = problem;
  const v = new Float64Array(operator.cols);
  for (let j = 0; j < v.length; j++) v[j] = 1 + ((j * 7919) % 13) / 13;
  const w = new Float64Array(operator.rows);
  let est = 0;
  for (let it = 0; it < 20; it++) {
    let n = 0;
    for (let j = 0; j < v.length; j++) n += (v[j] as number) ** 2;
    n = Math.sqrt(n);
    if (n === 0) return 0;
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / n;
    operator.apply(v, w);
    operator.adjoint(w, v);
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += (v[j] as number) ** 2;
    est = Math.sqrt(dot);
  }
  return est;
}
