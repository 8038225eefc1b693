import type { CompositeProblem } from "./composite-problem.js";

/**
 * How a solve ended. A status never lies: `"converged"` means the requested relative duality
 * gap holds for the returned `x`; every other status returns the best iterate found.
 */
export type SolveStatus = "converged" | "max-iterations" | "time-limit" | "aborted" | "diverged";

/**
 * One iteration's record, passed to `onIteration` and kept (thinned) in `history`.
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

/** Options every solver accepts (solvers may accept more; unknown keys are errors). */
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
  /** Called every iteration (progress bars). */
  readonly onIteration?: (record: IterationRecord) => void;
}

/** Wall-clock breakdown of a solve, in milliseconds. */
export interface SolveTimings {
  /** Total time. */
  readonly totalMs: number;
  /** Set-up (factorizations, step-size estimates). */
  readonly setupMs: number;
  /** Certificate computations. */
  readonly certificateMs: number;
}

/** What every solver returns. */
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
 * A solver of composite problems. New solvers implement this, register one line in the
 * registry, and pass `runSolverConformance` from `@convexformer/solvers/testing`.
 *
 * @example
 * ```ts
 * import {
 *   createProblem,
 *   denseOperator,
 *   getSolver,
 *   groupL2,
 *   type Solver,
 *   squaredLoss,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const solver: Solver = getSolver("fista");
 * // spec §7 instance 1 as a group lasso: optimum 15/64 at x = (7/8, −7/8)
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = solver.solve(problem, { tolerance: 1e-10 });
 * result.status; // "converged"
 * result.objective; // 15/64 ± 1e-9
 * ```
 */
export interface Solver {
  /** Registry name (`"fista"`, `"admm"`, `"ipm"`, …). */
  readonly name: string;
  /** Solves `problem`; never throws for non-convergence (see `status`), throws typed errors for bad input. */
  solve(problem: CompositeProblem, options?: SolveOptions): SolveResult;
}
