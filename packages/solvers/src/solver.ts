import type { CheckpointCodec } from "./checkpoint-codec.js";
import type { CompositeProblem } from "./composite-problem.js";

/**
 * How a solve ended. A status never lies: `"converged"` means the requested relative duality
 * gap holds for the returned `x`; every other status returns the best iterate found.
 *
 * @example
 * ```ts
 * import { fista, type SolveStatus } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const stopped = new AbortController();
 * stopped.abort();
 * const statuses: SolveStatus[] = [
 *   fista.solve(problem, { tolerance: 1e-8 }).status,
 *   fista.solve(problem, { maxIterations: 1 }).status,
 *   fista.solve(problem, { signal: stopped.signal }).status,
 * ];
 * statuses; // ["converged", "max-iterations", "aborted"]
 * ```
 */
export type SolveStatus = "converged" | "max-iterations" | "time-limit" | "aborted" | "diverged";

/**
 * One iteration's record, passed to `onIteration` and kept (thinned) in `history`.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, fista, groupL2, type IterationRecord, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: optimum (7/8, −7/8), value 15/64
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const records: IterationRecord[] = [];
 * fista.solve(problem, { tolerance: 1e-10, certificateEvery: 1, onIteration: (r) => records.push(r) });
 * // iteration 0 is x = 0 (P = 1), certified from the start; one step reaches the optimum
 * records.map((r) => r.iteration); // [0, 1]
 * records[0]?.objective; // 1
 * records[0]?.relativeGap; // 0.765625
 * records[1]?.objective; // 15/64
 * records[1]?.dualObjective; // 15/64
 * ```
 */
export interface IterationRecord {
  /** Iteration number (1-based). */
  readonly iteration: number;
  /** Primal objective `P(x)`. */
  readonly objective: number;
  /** Best dual objective so far (`-Infinity` before the first certificate). */
  readonly dualObjective: number;
  /** Relative duality gap `(P − D) / max(1, |P|)` (`Infinity` before the first certificate). */
  readonly relativeGap: number;
  /** Milliseconds since the solve started. */
  readonly elapsedMs: number;
}

/**
 * Options every solver accepts (solvers may accept more; unknown keys are errors).
 *
 * @example
 * ```ts
 * import { getSolver, type SolveOptions } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * let calls = 0;
 * const options: SolveOptions = { tolerance: 1e-8, maxIterations: 5000, timeLimitMs: 10_000, onIteration: () => calls++ };
 * const first = getSolver("fista").solve(problem, options);
 * first.status; // "converged"
 * calls > 0; // true
 * // the same options run any solver; warm-started at the optimum, nothing is left to do
 * getSolver("admm").solve(problem, { ...options, warmStart: first.x }).iterations; // 0
 * ```
 */
export interface SolveOptions {
  /** Target relative duality gap. Default `1e-6`. */
  readonly tolerance?: number;
  /** Iteration cap. Default solver-specific. */
  readonly maxIterations?: number;
  /** Wall-clock limit in milliseconds. Default none. */
  readonly timeLimitMs?: number;
  /** Aborts the solve; the result then has status `"aborted"`. */
  readonly signal?: AbortSignal;
  /** Starting point of length `dim`. */
  readonly warmStart?: Float64Array;
  /**
   * Called after every iteration (progress bars), and first for the starting point (iteration
   * 0) unless that is already certified; the same records, thinned, end up in `history`.
   *
   * @param record - the iteration's number, objective, best dual objective so far, relative
   *   gap and elapsed milliseconds (a fresh object; the solver does not reuse it)
   */
  readonly onIteration?: (record: IterationRecord) => void;
}

/**
 * Wall-clock breakdown of a solve, in milliseconds.
 *
 * @example
 * ```ts
 * import { fista, type SolveTimings } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const timings: SolveTimings = fista.solve(problem, { tolerance: 1e-8 }).timings;
 * // set-up and certificates are parts of the total
 * timings.setupMs + timings.certificateMs <= timings.totalMs; // true
 * ```
 */
export interface SolveTimings {
  /** Total time. */
  readonly totalMs: number;
  /** Set-up (factorizations, step-size estimates). */
  readonly setupMs: number;
  /** Certificate computations. */
  readonly certificateMs: number;
}

/**
 * What every solver returns.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, ipm, type SolveResult, squaredLoss } from "@convexformer/solvers";
 * // exact instance 2: A = [0 1], y = 1, λ = 1/8; optimum (0, 7/8), value 15/128
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.fromRows([[0, 1]])),
 *   loss: squaredLoss(new Float64Array([1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result: SolveResult = ipm.solve(problem, { tolerance: 1e-10 });
 * result.solver; // "ipm"
 * result.status; // "converged"
 * result.x; // [0, 0.875] ± 1e-9
 * result.objective; // ≈ 0.1171875
 * result.relativeGap <= 1e-10; // true
 * result.kktResidual < 1e-6; // true
 * result.history.at(-1)?.iteration === result.iterations; // true
 * ```
 */
export interface SolveResult {
  /** The returned iterate (the best one found). */
  readonly x: Float64Array;
  /** `P(x)`. */
  readonly objective: number;
  /** The dual objective `D(u)` of the best dual-feasible point found. */
  readonly dualObjective: number;
  /** `(objective − dualObjective) / max(1, |objective|)`. */
  readonly relativeGap: number;
  /** Norm of the minimum-norm subgradient of `P` at `x` (not its square). */
  readonly kktResidual: number;
  /** Iterations performed. */
  readonly iterations: number;
  /** How the solve ended. */
  readonly status: SolveStatus;
  /** The solver's name. */
  readonly solver: string;
  /** Per-iteration records (may be thinned on long runs). */
  readonly history: readonly IterationRecord[];
  /** Where the time went. */
  readonly timings: SolveTimings;
}

/**
 * The size of a problem as a solver's memory estimate sees it (see
 * {@link Solver.estimateMemoryBytes}): known before the operator's data is built.
 *
 * @example
 * ```ts
 * import { ipm, type ProblemSize } from "@convexformer/solvers";
 * const size: ProblemSize = { rows: 1000, cols: 200, loss: "logistic" };
 * (ipm.estimateMemoryBytes?.(size) ?? 0) > 8 * 1000 * 200; // true
 * ```
 */
export interface ProblemSize {
  /** Rows of the operator (samples × outputs). */
  readonly rows: number;
  /** Columns of the operator (the dimension of `x`). */
  readonly cols: number;
  /** The loss's name (`"squared"`, `"logistic"`, `"cross-entropy"`, …). */
  readonly loss: string;
}

/**
 * A solver of composite problems, typed by the options it accepts: `Options` is
 * {@link SolveOptions} plus the solver's own keys (`Solver<FistaOptions>`,
 * `Solver<AdmmOptions>`, `Solver<IpmOptions>`). New solvers implement this, register one
 * line in the registry (and one in `SolverOptionsMap`), and pass `runSolverConformance` from
 * `@convexformer/solvers/testing`. Besides `solve`, a solver declares what callers (the CLI)
 * need to know without branching on its name: a one-line `description`, an
 * `estimateMemoryBytes` when it needs more than memory linear in the problem, and
 * `checkpoints` (its {@link CheckpointCodec}) when its solves can be checkpointed and resumed.
 *
 * @typeParam Options - the options `solve` accepts (default: the shared {@link SolveOptions})
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, type FistaOptions, fista, groupL2, type Solver, squaredLoss } from "@convexformer/solvers";
 * const solver: Solver<FistaOptions> = fista;
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = solver.solve(problem, { tolerance: 1e-10, restart: "function" });
 * result.status; // "converged"
 * Math.abs(result.objective - 15 / 64) < 1e-9; // true
 * ```
 */
export interface Solver<Options extends SolveOptions = SolveOptions> {
  /** Registry name (`"fista"`, `"admm"`, `"ipm"`, …). */
  readonly name: string;
  /** One line for help texts (`convexformer solve --help` lists the registry with these). */
  readonly description?: string;
  /**
   * Present when solves can be checkpointed and resumed: the codec of the solver's checkpoint,
   * and `solve` accepts the options `checkpoint` (`{ write(checkpoint), everyIterations?,
   * everyMs? }`) and `resumeFrom` (a checkpoint, decoded).
   */
  readonly checkpoints?: CheckpointCodec;
  /**
   * The most memory, in bytes, a solve of a problem of this size may allocate, for a solver
   * whose memory is more than linear in the problem (dense designs, factorizations); absent,
   * the solver needs a few vectors besides the operator's products. Callers compare it with
   * their memory limit before building the problem.
   *
   * @param size - rows, columns and loss of the problem (see {@link ProblemSize})
   */
  estimateMemoryBytes?(size: ProblemSize): number;
  /**
   * Solves `problem`; never throws for non-convergence (see `status`), throws typed errors for bad input.
   *
   * @param problem - the composite problem `min F(Ax) + λ R(x)` (validated by `validateProblem`:
   *   matching dimensions, `λ > 0`, finite operator data)
   * @param options - the shared {@link SolveOptions} plus the solver's own keys (default `{}`;
   *   unknown keys throw `InvalidOptionError`)
   */
  solve(problem: CompositeProblem, options?: Options): SolveResult;
}
