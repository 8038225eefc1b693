import { InvalidOptionError, validateInteger } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import { denseFormOf } from "../operators/dense-form-of.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver } from "../solver.js";
import { type AdmmSettings, admmLoop } from "./admm-loop.js";
import { admmWorkingSet } from "./admm-working-set.js";
import { nystromCgXUpdate } from "./nystrom-cg-x-update.js";
import { choleskyXUpdate, newtonCgXUpdate, type XUpdate } from "./x-update.js";

/**
 * Options of the ADMM solver, on top of the shared {@link SolveOptions}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { type AdmmOptions, admm, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: optimum (7/8, −7/8), value 15/64
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const options: AdmmOptions = { tolerance: 1e-10, rho: 1, relaxation: 1.5, xUpdate: "cholesky", certifyEvery: 1 };
 * const result = admm.solve(problem, options);
 * result.status; // "converged"
 * result.objective; // ≈ 0.2343750
 * result.x; // [0.875, -0.875] ± 1e-4
 * admm.solve(problem, { relaxation: 2 }); // throws InvalidOptionError
 * ```
 */
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
  /**
   * `x`-update: `"cholesky"` (exact, from a cached Gram matrix and its factor: the squared loss
   * with a dense design), `"nystrom-cg"` (squared loss, matrix-free: preconditioned conjugate
   * gradients with a randomized Nyström preconditioner of rank `sketchRank`, warm-started),
   * `"newton-cg"` (any loss: two Newton–CG steps), or `"auto"` (default): Cholesky when the
   * Gram matrix is small (`min(rows, cols)² · max(rows, cols) ≤ 2^31`), else Nyström–CG for
   * the squared loss, else Newton–CG. On the solver bench's medium (2,000 × 5,000) and large
   * (20,000 × 2,000) instances the Gram matrix and its factor took 18–60 s of set-up.
   */
  readonly xUpdate?: "auto" | "cholesky" | "nystrom-cg" | "newton-cg";
  /** Rank of the Nyström preconditioner of the `"nystrom-cg"` update. Default 20. */
  readonly sketchRank?: number;
  /**
   * Working-set outer loop for group-structured regularizers: ADMM on the support plus the
   * worst KKT violators (a compact copy of their columns, small enough for the exact Cholesky
   * update), the full certificate deciding. Default: on exactly when `xUpdate` is `"auto"`,
   * the loss is squared and the full Gram matrix is too large for Cholesky.
   */
  readonly workingSet?: boolean;
  /** Smallest working set `p₀` (groups). Default 10. */
  readonly workingSetSize?: number;
}

/** Largest Gram cost `min(rows, cols)² · max(rows, cols)` for which `"auto"` picks Cholesky. */
const CHOLESKY_AUTO_LIMIT = 2 ** 31;

const ADMM_OPTION_NAMES = [
  "rho",
  "relaxation",
  "adaptiveRho",
  "absoluteTolerance",
  "relativeTolerance",
  "certifyEvery",
  "xUpdate",
  "sketchRank",
  "workingSet",
  "workingSetSize",
] as const;

/**
 * ADMM for `min F(Ax) + λR(z)` subject to `x = z` (scaled form, over-relaxed):
 *
 *     x ← argmin F(Ax) + (ρ/2)‖x − z + u‖²
 *     x̂ ← α x + (1 − α) z
 *     z ← prox_{(λ/ρ)R}(x̂ + u)
 *     u ← u + x̂ − z
 *
 * For the squared loss with a small dense design the `x`-update is exact from a cached
 * Cholesky factorization (`rows × rows` Woodbury form when `rows < dim`, `dim × dim`
 * otherwise; a refactorization when `ρ` changes); for larger squared-loss problems it is
 * matrix-free: conjugate gradients preconditioned by a randomized Nyström approximation of
 * `AᵀA` (as in CRONOS / NysADMM), warm-started, to a tightening tolerance; for other losses
 * it is inexact: two Newton–CG steps with the loss's Hessian-vector products. `ρ` follows
 * residual balancing. The set-up (factorization or sketch) honours `signal` and `timeLimitMs`. It stops when the primal/dual residuals meet their absolute + relative
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
  description: "ADMM (Cholesky or Nyström-preconditioned CG x-updates)",
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
  const absTol = opts.absoluteTolerance ?? 1e-6;
  const relTol = opts.relativeTolerance ?? 1e-4;
  if (!(absTol > 0))
    throw new InvalidOptionError("options.absoluteTolerance", absTol, "must be > 0");
  if (!(relTol > 0))
    throw new InvalidOptionError("options.relativeTolerance", relTol, "must be > 0");
  const certifyEvery = opts.certifyEvery ?? 10;
  if (!(Number.isInteger(certifyEvery) && certifyEvery >= 1)) {
    throw new InvalidOptionError("options.certifyEvery", certifyEvery, "must be an integer >= 1");
  }
  const mode = opts.xUpdate ?? "auto";
  if (mode !== "auto" && mode !== "cholesky" && mode !== "nystrom-cg" && mode !== "newton-cg") {
    throw new InvalidOptionError(
      "options.xUpdate",
      mode,
      'must be "auto", "cholesky", "nystrom-cg" or "newton-cg"',
    );
  }
  const sketchRank = opts.sketchRank ?? 20;
  validateInteger("options.sketchRank", sketchRank, 1);
  const wsSize = opts.workingSetSize ?? 10;
  validateInteger("options.workingSetSize", wsSize, 1);
  if (opts.workingSet !== undefined && typeof opts.workingSet !== "boolean") {
    throw new InvalidOptionError("options.workingSet", opts.workingSet, "must be a boolean");
  }
  const { operator, loss } = problem;
  if (mode === "cholesky" && !(loss.name === "squared" && operator.toDense !== undefined)) {
    throw new InvalidOptionError(
      "options.xUpdate",
      mode,
      "the Cholesky x-update needs the squared loss and a dense operator (operator.toDense)",
    );
  }
  if (mode === "nystrom-cg" && loss.name !== "squared") {
    throw new InvalidOptionError(
      "options.xUpdate",
      mode,
      `the Nyström–CG x-update needs the squared loss, not ${loss.name}`,
    );
  }
  const settings: AdmmSettings = {
    relaxation,
    adaptiveRho: opts.adaptiveRho ?? true,
    absoluteTolerance: absTol,
    relativeTolerance: relTol,
    certifyEvery,
  };
  const interrupted = (): boolean => monitor.interrupted() !== undefined;
  const makeUpdate = (p: CompositeProblem): XUpdate | undefined => {
    let kind = updateKind(p, mode);
    // a working-set restriction too large for a compact copy has no dense form
    if (kind === "cholesky" && p.operator.toDense === undefined) kind = "nystrom-cg";
    if (kind === "newton-cg") return newtonCgXUpdate(p, 2, 25);
    if (kind === "nystrom-cg") return nystromCgXUpdate(p, sketchRank, interrupted);
    if (interrupted()) return undefined;
    const update = choleskyXUpdate(p, (p.operator.toDense as () => { data: Float64Array })().data);
    return interrupted() ? undefined : update;
  };
  // ρ from ‖A‖² (the sketch's top eigenvalue when there is one, else power iterations)
  const initialRho = (p: CompositeProblem, update: XUpdate): number =>
    opts.rho ?? Math.max(1e-8, update.gramNorm ?? p.loss.smoothness * operatorNormSquared(p));

  const z = monitor.initialPoint();
  const cert0 = monitor.certify(z);
  const first = monitor.start(z, cert0);
  if (first !== undefined) return monitor.finish(z, first);

  // a working set when the full problem's Gram matrix is large (mode "auto") or when asked
  const useWorkingSet =
    problem.regularizer.groups !== undefined &&
    (opts.workingSet ??
      (mode === "auto" && loss.name === "squared" && updateKind(problem, "auto") !== "cholesky"));
  if (useWorkingSet) {
    monitor.endSetup();
    return admmWorkingSet(problem, monitor, z, cert0, {
      settings,
      makeUpdate,
      initialRho,
      minimumSize: wsSize,
      dense: denseFormOf(operator),
    });
  }
  const update = makeUpdate(problem);
  if (update === undefined || interrupted()) {
    monitor.endSetup();
    return monitor.finish(z, monitor.interrupted() ?? "aborted");
  }
  const rho = initialRho(problem, update);
  if (update.kind.startsWith("cholesky")) update.solve(z, rho, new Float64Array(problem.dim)); // factor now
  monitor.endSetup();
  const setupStop = monitor.interrupted();
  if (setupStop !== undefined) return monitor.finish(z, setupStop);
  const { status } = admmLoop(problem, z, new Float64Array(problem.dim), rho, update, settings, {
    certify: (v) => monitor.certify(v),
    step: (v, objective, c) => monitor.step(v, objective, c),
  });
  return monitor.finish(z, status === "done" ? "max-iterations" : status);
}

/** The `x`-update `"auto"` picks (see {@link AdmmOptions.xUpdate}), or the one asked for. */
function updateKind(
  problem: CompositeProblem,
  mode: "auto" | "cholesky" | "nystrom-cg" | "newton-cg",
): "cholesky" | "nystrom-cg" | "newton-cg" {
  if (mode !== "auto") return mode;
  const { operator, loss, dim } = problem;
  if (loss.name !== "squared") return "newton-cg";
  const small =
    Math.min(operator.rows, dim) ** 2 * Math.max(operator.rows, dim) <= CHOLESKY_AUTO_LIMIT;
  return small && operator.toDense !== undefined ? "cholesky" : "nystrom-cg";
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
