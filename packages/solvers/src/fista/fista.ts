import { InvalidOptionError, validateInteger } from "@convexformer/tensors";
import { type Certificate, certificateBuffers, certifyInto } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import { denseFormOf } from "../operators/dense-form-of.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver } from "../solver.js";
import { estimateLipschitz } from "../step-size/estimate-lipschitz.js";
import {
  type FistaCheckpoint,
  type FistaCheckpointHook,
  validateFistaCheckpoint,
} from "./fista-checkpoint.js";
import { fistaCheckpointCodec } from "./fista-checkpoint-codec.js";
import { FistaCheckpointer } from "./fista-checkpointer.js";
import type { FistaRestart, FistaState } from "./fista-core.js";
import { type FistaRun, fistaPlainLoop } from "./fista-plain-loop.js";
import { FistaWorkingSetLoop } from "./fista-working-set-loop.js";

export type { FistaRestart } from "./fista-core.js";

/**
 * Options of {@link fista}: the shared {@link SolveOptions} plus FISTA's own.
 *
 * @example
 * ```ts
 * import { fista, type FistaOptions } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const reference = fista.solve(problem, { tolerance: 1e-10 }); // defaults: working set, gradient restart
 * const options: FistaOptions = {
 *   tolerance: 1e-10, restart: "function", stepGrowth: 1.1, certificateEvery: 5, workingSet: false, screening: true,
 * };
 * const plain = fista.solve(problem, options);
 * plain.status; // "converged"
 * // both settings certify the same optimum
 * Math.abs(plain.objective - reference.objective) < 1e-8; // true
 * fista.solve(problem, { stepGrowth: 0.5 }); // throws InvalidOptionError
 * ```
 */
export interface FistaOptions extends SolveOptions {
  /**
   * Adaptive restart of the momentum (O'Donoghue and Candès): `"gradient"` (default) when the
   * step and the momentum disagree, `"function"` when the objective increases, or `"none"`.
   */
  readonly restart?: FistaRestart;
  /** The step grows by this factor after every accepted step (`≥ 1`; backtracking shrinks it). Default 1.05. */
  readonly stepGrowth?: number;
  /** Certificate (duality gap) every this many iterations. Default 10. */
  readonly certificateEvery?: number;
  /**
   * Gap-safe screening: drop groups that the current dual point proves zero at every optimum
   * (group-structured regularizers whose operator exposes columns or a dense form). The block
   * norms it needs start as Frobenius norms (one pass over the columns) and are tightened to
   * Gram bounds only for groups a tighter bound could screen (not at all under a working
   * set, where screening only prunes candidates). Default `false`: in
   * `packages/attention/bench/fista-options.bench.ts` (relative gap 1e-6, λ = 0.1 λ_max
   * unless noted) screening alone took 0.7–1.2× the time of plain FISTA on dense 2,000 ×
   * 5,000, 500 × 8,000 at 0.5 λ_max and the attention programs (9), (12), (14) (noise
   * level), 1.2× on the one-token gated (scnn) program at N = 2,000 and 1.55× at N = 10,000,
   * p = 100, P = 500 (the bounds' pass and Grams through `applyColumns`, and no group screened
   * before the end), and added 0–30% on top of the working set. It pays at tighter gaps and
   * along paths (bounds cached per solve).
   */
  readonly screening?: boolean;
  /**
   * Working-set outer loop (celer / skglm): solve on the support plus the worst KKT violators
   * (ranked by `‖A_gᵀ∇F‖ / (λ w_g)`; `max(p₀, 2·|support|)` groups while violators abound,
   * `max(p₀, |support| + violators)` when few are left, every group once that is more than
   * half), each inner solve warm-started with the momentum carried over and stopped at 0.3 ×
   * the outer gap, and let the full certificate decide; the restricted operator is the
   * operator's own `restrictColumns` when it has one (the attention operators), else a compact
   * copy of the kept columns (see `restrictToGroups`). Default `true` for group-structured
   * regularizers: in the same bench it took 0.45× the time of plain FISTA on dense 2,000 ×
   * 5,000 (10/100 groups active), 0.3× on 500 × 8,000 (52/400), 0.7× on the gated program
   * (14) (61/256), 0.85–0.95× on scnn at N = 2,000 (43/100), ties on (9) and (12), and
   * 1.05–1.1× at scnn N = 10,000, p = 100, P = 500 (66/500: the kept columns no longer fit a
   * compact copy, and the attention operator's `applyColumns` costs about 5× its full product
   * per column). It takes 0.85–1.25× plain FISTA's iterations (1.3× on the largest scnn), the
   * extra ones on small sets. (Those ratios were measured before the attention operators had
   * `restrictColumns`; with it, on scnn at N = 2,000 plain FISTA and the working set tie.)
   */
  readonly workingSet?: boolean;
  /** Smallest working set `p₀`: the size of the first set and the floor of every later one. Default 10. */
  readonly workingSetSize?: number;
  /**
   * Periodic checkpoints of the whole solver state (see {@link FistaCheckpoint}), plus one when
   * the solve stops early, for `resumeFrom`.
   */
  readonly checkpoint?: FistaCheckpointHook;
  /**
   * Continue from a checkpoint written by a solve of the same problem with the same FISTA
   * settings: the solve takes the steps the uninterrupted one would have taken (`warmStart` is
   * ignored; the clock and the time limit start afresh; `maxIterations` counts all iterations).
   */
  readonly resumeFrom?: FistaCheckpoint;
}

/** Default of {@link FistaOptions.screening}. */
const DEFAULT_SCREENING = false;
/** Default of {@link FistaOptions.workingSet}. */
const DEFAULT_WORKING_SET = true;

const FISTA_OPTION_NAMES = [
  "restart",
  "stepGrowth",
  "certificateEvery",
  "screening",
  "workingSet",
  "workingSetSize",
  "checkpoint",
  "resumeFrom",
] as const;

/**
 * The type of {@link fista}: a {@link Solver} whose `solve` also takes {@link FistaOptions}
 * (kept as a name for `Solver<FistaOptions>`).
 *
 * @example
 * ```ts
 * import { type FistaSolver, fista } from "@convexformer/solvers";
 * const solver: FistaSolver = fista;
 * solver.name; // "fista"
 * ```
 */
export type FistaSolver = Solver<FistaOptions>;

/**
 * FISTA (accelerated proximal gradient) for `F(Ax) + λ R(x)`: backtracking line search with
 * step growth, adaptive restart, warm start, a duality-gap certificate every
 * `certificateEvery` iterations, and, for group ℓ2 / ℓ1, gap-safe screening and a working-set
 * outer loop. Converges at `O(1/k²)`; each iteration costs one `apply` and one `adjoint`
 * (plus one `apply` per backtracking step).
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, fista, groupL2, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = fista.solve(problem, { tolerance: 1e-10 });
 * result.x; // [0.875, -0.875] ± 1e-9
 * result.objective; // ≈ 0.234375
 * ```
 */
export const fista: FistaSolver = {
  name: "fista",
  description: "accelerated proximal gradient (default; resumable, matrix-free)",
  checkpoints: fistaCheckpointCodec,
  solve: solveFista,
};

function solveFista(problem: CompositeProblem, options: FistaOptions = {}): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "fista",
    defaultMaxIterations: 100_000,
    extraOptionKeys: FISTA_OPTION_NAMES,
  });
  const { restart, stepGrowth, certificateEvery, workingSetSize } = validateFistaOptions(options);
  const groups = problem.regularizer.groups;
  const hook = options.checkpoint;
  const screening = groups !== undefined && (options.screening ?? DEFAULT_SCREENING);
  const workingSet = groups !== undefined && (options.workingSet ?? DEFAULT_WORKING_SET);
  const mode = groups === undefined || (!screening && !workingSet) ? "plain" : "rounds";
  const resume = options.resumeFrom;
  if (resume !== undefined)
    validateFistaCheckpoint(resume, problem.dim, problem.operator.rows, groups?.count, mode);

  // set-up honours the signal and the time limit: the power iterations stop early, the
  // solve then returns the starting point (certified) with the status
  const x = resume === undefined ? monitor.initialPoint() : Float64Array.from(resume.x);
  const stopSetup = () => monitor.interrupted() !== undefined;
  const state: FistaState =
    resume === undefined
      ? { L: estimateLipschitz(problem, { stop: stopSetup }), t: 1, beta: 0 }
      : { L: resume.lipschitz, t: resume.t, beta: resume.beta };
  const setupStop = monitor.interrupted();
  if (setupStop !== undefined) return monitor.finish(x, setupStop);
  monitor.endSetup();
  const run: FistaRun = {
    monitor,
    state,
    settings: { restart, stepGrowth },
    certificateEvery,
    checkpoints: new FistaCheckpointer(hook, monitor, state, mode),
  };

  let cert: Certificate;
  let Ax: Float64Array;
  if (resume === undefined) {
    cert = monitor.certify(x);
    const status = monitor.start(x, cert);
    if (status !== undefined) return monitor.finish(x, status);
    Ax = Float64Array.from(monitor.certificateBuffers.predictions);
  } else {
    const status = monitor.resume(resume.monitor);
    if (status !== undefined) return monitor.finish(x, status);
    Ax = Float64Array.from(resume.Ax);
    // not offered to the monitor (that would change its best dual): only the rounds' first
    // screening reads it, and a resumed round skips that
    cert = certifyInto(problem, x, certificateBuffers(problem), false);
  }
  if (mode === "plain") return fistaPlainLoop(run, x, Ax, resume);
  // one dense form per solve (free for dense operators), shared by every restriction and bound
  const dense = denseFormOf(problem.operator);
  const settings = { screening, workingSet, workingSetSize, dense, stopSetup };
  return new FistaWorkingSetLoop(run, settings, x, Ax, cert, resume).solve();
}

/** FISTA's own options, checked, with their defaults. */
function validateFistaOptions(options: FistaOptions): {
  restart: FistaRestart;
  stepGrowth: number;
  certificateEvery: number;
  workingSetSize: number;
} {
  const restart = options.restart ?? "gradient";
  if (restart !== "gradient" && restart !== "function" && restart !== "none") {
    throw new InvalidOptionError(
      "options.restart",
      restart,
      'must be "gradient", "function" or "none"',
    );
  }
  const stepGrowth = options.stepGrowth ?? 1.05;
  if (!(typeof stepGrowth === "number" && stepGrowth >= 1 && Number.isFinite(stepGrowth))) {
    throw new InvalidOptionError("options.stepGrowth", stepGrowth, "must be a finite number >= 1");
  }
  const certificateEvery = options.certificateEvery ?? 10;
  validateInteger("options.certificateEvery", certificateEvery, 1);
  const workingSetSize = options.workingSetSize ?? 10;
  validateInteger("options.workingSetSize", workingSetSize, 1);
  for (const key of ["screening", "workingSet"] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean")
      throw new InvalidOptionError(`options.${key}`, v, "must be a boolean");
  }
  const hook = options.checkpoint;
  if (hook !== undefined) {
    if (typeof hook !== "object" || hook === null || typeof hook.write !== "function")
      throw new InvalidOptionError(
        "options.checkpoint",
        typeof hook,
        "must be { write(checkpoint), everyIterations?, everyMs? }",
      );
    if (hook.everyIterations !== undefined)
      validateInteger("options.checkpoint.everyIterations", hook.everyIterations, 1);
    if (hook.everyMs !== undefined && !(typeof hook.everyMs === "number" && hook.everyMs > 0))
      throw new InvalidOptionError(
        "options.checkpoint.everyMs",
        hook.everyMs,
        "must be a number > 0",
      );
  }
  return { restart, stepGrowth, certificateEvery, workingSetSize };
}
