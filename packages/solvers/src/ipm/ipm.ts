import { InvalidOptionError, type Matrix } from "@convexformer/tensors";
import type { Certificate } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { GroupStructure } from "../regularizer.js";
import { gapSafeScreen } from "../screening/gap-safe-screen.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "../solver.js";
import { type BarrierStop, barrierSolve } from "./barrier-solve.js";
import { type DenseGroupProblem, restrictGroups } from "./dense-group-problem.js";
import { ipmMemoryBytes } from "./dense-memory.js";
import { groupColumnNorms, groupScores } from "./group-support.js";
import { gatherGroups, groupNorm, scatterGroups, zeroGroup } from "./group-vectors.js";
import { finishWithCleanup } from "./support-cleanup.js";

/**
 * Options of the interior-point solver, on top of the shared {@link SolveOptions}.
 *
 * @example
 * ```ts
 * import { fista, type IpmOptions, ipm } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const options: IpmOptions = { tolerance: 1e-10, system: "primal", workingSet: false, memoryLimitBytes: 2 ** 20 };
 * const result = ipm.solve(problem, options);
 * result.status; // "converged"
 * Math.abs(result.objective - fista.solve(problem, { tolerance: 1e-10 }).objective) < 1e-8; // true
 * // a problem over the memory limit is refused before anything is allocated
 * ipm.solve(problem, { memoryLimitBytes: 1000 }); // throws InvalidOptionError
 * ```
 */
export interface IpmOptions extends SolveOptions {
  /**
   * Solve on a growing working set of groups (start with the highest-scoring ones, add the
   * groups that violate the optimality condition, as celer/skglm do). Default `true`.
   */
  readonly workingSet?: boolean;
  /** Discard groups proven zero by gap-safe screening. Default `true`. */
  readonly screening?: boolean;
  /** Zero near-zero groups and polish the support at the end, kept only if no worse. Default `true`. */
  readonly cleanup?: boolean;
  /** Newton system: `"primal"` (`p × p`), `"dual"` (sample space, Woodbury), or `"auto"` (cheaper). */
  readonly system?: "auto" | "primal" | "dual";
  /**
   * The most memory the dense design and its Newton system may take, in bytes. A larger
   * problem is refused before anything is allocated, with an `InvalidOptionError` that states
   * the bytes it would need and names the solver to use instead (`fista`, whose memory grows
   * linearly with the problem). Default `2 ** 31` (2 GiB).
   */
  readonly memoryLimitBytes?: number;
}

/** Default of {@link IpmOptions.memoryLimitBytes}. */
const DEFAULT_MEMORY_LIMIT_BYTES = 2 ** 31;

/** Thrown by the set-up and Newton-step poll to stop the solve with a status. */
class Interrupted {
  constructor(readonly status: SolveStatus) {}
}

const IPM_OPTION_NAMES = [
  "workingSet",
  "screening",
  "cleanup",
  "system",
  "memoryLimitBytes",
] as const;
const GROUP_NORMS = new Set(["group-l2", "l1"]);

/**
 * The interior-point solver: a barrier method for the second-order-cone form of the group
 * lasso `min F(Ax) + λ Σ_g w_g t_g, ‖x_g‖ ≤ t_g` (squared, logistic and cross-entropy losses
 * through Newton steps on the barrier problem), solving the Newton system in whichever of the
 * `p × p` or sample-space (Woodbury) forms is cheaper, inside an optional working-set loop
 * with gap-safe screening, and finishing with a clean-up that turns near-zero groups into
 * exact zeros and polishes the support (kept only when its certificate is no worse). The
 * accuracy reference of the package: relative gaps of `1e-8` and below.
 *
 * Needs the dense design (`problem.operator.toDense()`) and a weighted group ℓ2 regularizer
 * (`groupL2` or `l1`); otherwise it throws {@link InvalidOptionError}. A problem whose dense
 * design and Newton system would exceed `memoryLimitBytes` is refused before anything is
 * allocated (the error says how many bytes and to use `fista`). `signal` and `timeLimitMs`
 * are honoured during set-up too: the Gram products and factorizations poll them between
 * blocks, and the time limit counts from the call.
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
 * const result = getSolver("ipm").solve(problem, { tolerance: 1e-10 });
 * // result.x ≈ [7/8, −7/8], result.objective ≈ 15/64
 * ```
 */
export const ipm: Solver<IpmOptions> = {
  name: "ipm",
  description: "interior point (the accuracy reference; dense design and Newton system)",
  estimateMemoryBytes: (size) =>
    ipmMemoryBytes(size.rows, size.cols, size.loss === "squared", "auto"),
  solve(problem: CompositeProblem, options?: IpmOptions): SolveResult {
    return solveIpm(problem, options);
  },
};

function solveIpm(problem: CompositeProblem, options: IpmOptions | undefined): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "ipm",
    defaultMaxIterations: 500,
    extraOptionKeys: IPM_OPTION_NAMES,
  });
  const opts = options ?? {};
  validateBoolean("options.workingSet", opts.workingSet);
  validateBoolean("options.screening", opts.screening);
  validateBoolean("options.cleanup", opts.cleanup);
  if (
    opts.system !== undefined &&
    opts.system !== "auto" &&
    opts.system !== "primal" &&
    opts.system !== "dual"
  ) {
    throw new InvalidOptionError(
      "options.system",
      opts.system,
      'must be "auto", "primal" or "dual"',
    );
  }
  const { regularizer, operator, loss } = problem;
  const groups = regularizer.groups;
  if (groups === undefined || !GROUP_NORMS.has(regularizer.name)) {
    throw new InvalidOptionError(
      "problem.regularizer",
      regularizer.name,
      "the interior point solves the weighted group ℓ2 norm only (groupL2 or l1)",
    );
  }
  if (operator.toDense === undefined) {
    throw new InvalidOptionError(
      "problem.operator",
      "an operator without toDense()",
      "the interior point needs the dense design matrix (operator.toDense)",
    );
  }
  const useWorkingSet = opts.workingSet ?? true;
  const useScreening = opts.screening ?? true;
  const useCleanup = opts.cleanup ?? true;
  const system = opts.system ?? "auto";
  const memoryLimit = opts.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  if (!(typeof memoryLimit === "number" && memoryLimit > 0)) {
    throw new InvalidOptionError("options.memoryLimitBytes", memoryLimit, "must be a number > 0");
  }
  // refuse a problem too large for the dense system before allocating any of it
  const { rows, cols } = operator;
  const needed = ipmMemoryBytes(rows, cols, loss.name === "squared", system);
  if (needed > memoryLimit) {
    throw new InvalidOptionError(
      "problem",
      `a ${rows} × ${cols} design`,
      `too large for the interior point's dense design and Newton system: it needs up to ${formatBytes(needed)}, over options.memoryLimitBytes = ${formatBytes(memoryLimit)}; use the "fista" solver (matrix-free, memory linear in the problem size), or raise memoryLimitBytes`,
    );
  }
  const x = monitor.initialPoint();
  const cert = monitor.certify(x);
  const first = monitor.start(x, cert);
  if (first !== undefined) return monitor.finish(x, first);
  // set-up and Newton steps poll the signal and the time limit between blocks of work
  const poll = (): void => {
    const stop = monitor.interrupted();
    if (stop !== undefined) throw new Interrupted(stop);
  };
  try {
    const denseDesign = operator.toDense.bind(operator);
    return solveFromStart(monitor, problem, groups, denseDesign, x, cert, poll, {
      useWorkingSet,
      useScreening,
      useCleanup,
      system,
    });
  } catch (e) {
    if (e instanceof Interrupted) return monitor.finish(x, e.status);
    throw e;
  }
}

/** What {@link solveFromStart} was asked for. */
interface IpmSettings {
  readonly useWorkingSet: boolean;
  readonly useScreening: boolean;
  readonly useCleanup: boolean;
  readonly system: "auto" | "primal" | "dual";
}

/** The solve after the start: dense design, screening, the working-set loop, the clean-up. */
function solveFromStart(
  monitor: SolveMonitor,
  problem: CompositeProblem,
  groups: GroupStructure,
  denseDesign: () => Matrix,
  x: Float64Array,
  startCertificate: Certificate,
  poll: () => void,
  settings: IpmSettings,
): SolveResult {
  const { useWorkingSet, useScreening, useCleanup, system } = settings;
  const { loss, lambda } = problem;
  const { ptr, weights, count: G } = groups;
  let cert = startCertificate;
  const dense = denseDesign();
  poll();
  const { rows, cols } = dense;
  const a = dense.data;
  const columnNorms = useScreening ? groupColumnNorms(a, rows, cols, ptr) : undefined;
  poll();
  monitor.endSetup();

  const screened = new Uint8Array(G);
  const inSet = new Uint8Array(G);
  let scores = groupScores(monitor.certificateBuffers.gradient, ptr, weights);
  // the shared gap-safe sphere test, with the Frobenius norms of the column blocks as ‖A_g‖₂ bounds
  const screen = (c: typeof cert): number =>
    columnNorms === undefined
      ? 0
      : gapSafeScreen({
          gradient: monitor.certificateBuffers.gradient,
          dualScale: c.dualScale,
          gap: c.objective - c.dualObjective,
          smoothness: problem.loss.smoothness,
          lambda,
          groups,
          blockNorms: columnNorms,
          screened,
        });
  screen(cert);
  // initial working set: the warm start's support and the highest scores
  const initialSize = useWorkingSet ? Math.min(G, Math.max(10, Math.ceil(G / 20))) : G;
  for (let g = 0; g < G; g++) {
    if (screened[g] === 1) zeroGroup(x, ptr, g);
    else if (!useWorkingSet || groupNorm(x, ptr, g) > 0) inSet[g] = 1;
  }
  addTop(inSet, screened, scores, initialSize - countSet(inSet), Number.NEGATIVE_INFINITY);

  let status: SolveStatus | undefined;
  let innerTolerance = monitor.tolerance * 0.1;
  let pendingStop: SolveStatus | undefined;
  let grew = true;
  for (let outer = 0; status === undefined; outer++) {
    // solve the working set only as far as the full gap warrants (celer's rule)
    const innerTarget = grew
      ? Math.max(innerTolerance, Math.min(0.3 * cert.relativeGap, 1e-3))
      : innerTolerance;
    const selected: number[] = [];
    for (let g = 0; g < G; g++) if (inSet[g] === 1 && screened[g] === 0) selected.push(g);
    const sub: DenseGroupProblem = restrictGroups(
      a,
      rows,
      cols,
      ptr,
      weights,
      selected,
      lambda,
      loss,
    );
    const x0 = gatherGroups(x, ptr, selected, sub.cols);
    const full = x;
    const result = barrierSolve(sub, {
      tolerance: innerTarget,
      maxSteps: Number.MAX_SAFE_INTEGER,
      x0,
      system,
      poll,
      interrupt: (): BarrierStop | undefined => pendingStop ?? monitor.interrupted(),
      onStep: (xs) => {
        scatterGroups(xs, ptr, selected, full);
        const c = monitor.certify(full);
        const s = monitor.step(full, c.objective, c);
        if (s !== undefined) pendingStop = s;
      },
    });
    scatterGroups(result.x, ptr, selected, x);
    if (pendingStop !== undefined) {
      status = pendingStop;
      break;
    }
    if (result.stop === "time-limit" || result.stop === "aborted" || result.stop === "diverged") {
      status = result.stop;
      break;
    }
    cert = monitor.certify(x);
    const s = monitor.step(x, cert.objective, cert);
    if (s !== undefined) {
      status = s;
      break;
    }
    scores = groupScores(monitor.certificateBuffers.gradient, ptr, weights);
    if (screen(cert) > 0) {
      for (let g = 0; g < G; g++) if (screened[g] === 1) zeroGroup(x, ptr, g);
    }
    // grow the working set with the groups that violate ‖A_gᵀ∇F‖ ≤ λ w_g
    const grow = Math.max(10, selected.length);
    const added = addTop(inSet, screened, scores, grow, lambda * (1 + 1e-10));
    grew = added > 0;
    if (added === 0 && innerTarget <= innerTolerance) {
      if (result.stop === "stalled" || innerTolerance < 1e-15) {
        status = "max-iterations";
        break;
      }
      innerTolerance *= 0.1;
    }
    if (outer > 200) {
      status = "max-iterations";
      break;
    }
  }
  return finishWithCleanup(monitor, problem, x, status, useCleanup, a);
}

function validateBoolean(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== "boolean")
    throw new InvalidOptionError(name, v, "must be a boolean");
}

function countSet(flags: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < flags.length; i++) c += flags[i] as number;
  return c;
}

/** Adds up to `k` unscreened groups outside the set with score above `threshold`, best first. */
function addTop(
  inSet: Uint8Array,
  screened: Uint8Array,
  scores: Float64Array,
  k: number,
  threshold: number,
): number {
  if (k <= 0) return 0;
  const candidates: number[] = [];
  for (let g = 0; g < inSet.length; g++) {
    if (inSet[g] === 0 && screened[g] === 0 && (scores[g] as number) > threshold)
      candidates.push(g);
  }
  candidates.sort((p, q) => (scores[q] as number) - (scores[p] as number));
  const n = Math.min(k, candidates.length);
  for (let i = 0; i < n; i++) inSet[candidates[i] as number] = 1;
  return n;
}

/** `1.2 GB (1234567890 bytes)`. */
function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const rounded = u === 0 ? String(v) : `${v.toPrecision(3)} ${units[u]}`;
  return u === 0 ? `${rounded} bytes` : `${rounded} (${Math.round(bytes)} bytes)`;
}
