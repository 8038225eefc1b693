import type { IterationRecord, SolveResult, SolverName } from "@convexformer/solvers";
import type { AttentionProgramKind } from "./attention-program-kind.js";
import type { FitSolverOptions } from "./fit-solver-options.js";
import type { GateVectors } from "./gate-vectors.js";
import type { LossName } from "./loss-names.js";

/**
 * Options of {@link fitConvexAttention}; `M` is the program asked for, `S` the solver (a name
 * of `@convexformer/solvers`' `SolverOptionsMap`, whose options `solverOptions` then takes, or
 * `string` for a name known only at run time). Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { FitOptions } from "@convexformer/attention";
 * const options: FitOptions = { model: "vector", loss: "cross-entropy", targets: new Int32Array([0, 2, 1]), outputs: 3, lambdaRatio: 0.1 };
 * const typed: FitOptions<"scalar", "fista"> = {
 *   model: "scalar", targets: new Float64Array([1, -1]), solver: "fista", solverOptions: { workingSet: false },
 * };
 * ```
 */
export interface FitOptions<
  M extends AttentionProgramKind = AttentionProgramKind,
  S extends string = SolverName,
> {
  /**
   * Which convex program: `"scalar"` (9), `"vector"` (12), `"gated"` (14), `"sequence"` (33)
   * or `"sequence-relaxed"`; the result's type follows it ({@link FitResult}).
   */
  readonly model: M;
  /**
   * Targets: `N` (scalar) or `N·c` (vector, gated) values, `N·n·c` for the sequence programs;
   * labels `±1` for logistic; class indices (`Int32Array`, `N` or `N·n` of them) or one-hot rows for cross-entropy.
   */
  readonly targets: Float64Array | Int32Array;
  /** The loss (default `"squared"`). */
  readonly loss?: LossName;
  /** `c`: outputs / classes (inferred from the targets' length except for class indices). */
  readonly outputs?: number;
  /** `"sum"` over samples (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /** `λ > 0`. At most one of `lambda`, `lambdaRatio`, `lambdaPath`; default `lambdaRatio: 0.1`. */
  readonly lambda?: number;
  /** `λ = lambdaRatio · λ_max`, `0 < lambdaRatio`. */
  readonly lambdaRatio?: number;
  /** A decreasing list of `λ`s solved with warm starts (`solvePath`); the result is the last one's. */
  readonly lambdaPath?: readonly number[];
  /**
   * Gated program only (a type error for another literal `model`): number of gates to sample
   * (default 32) or the gate vectors themselves.
   */
  readonly gates?: M extends "gated" ? number | GateVectors : never;
  /** Seed of the sampled gates (default 0); gated program only. */
  readonly gateSeed?: M extends "gated" ? number : never;
  /** Solver registry name (default `"fista"`); an unregistered name is an `InvalidOptionError` naming `options.solver`. */
  readonly solver?: S;
  /**
   * That solver's own options (e.g. FISTA's `screening`, `workingSet`; typed by `S`), without
   * the ones set from this object ({@link FIT_MANAGED_SOLVE_OPTIONS}).
   */
  readonly solverOptions?: NoInfer<FitSolverOptions<S>>;
  /** Target relative duality gap (default `DEFAULT_TOLERANCE` of `@convexformer/solvers`, 1e-6). */
  readonly tolerance?: number;
  /** Iteration cap per solve. */
  readonly maxIterations?: number;
  /** Wall-clock limit per solve, in milliseconds. */
  readonly timeLimitMs?: number;
  /** Aborts the solve. */
  readonly signal?: AbortSignal;
  /**
   * Progress callback, called every iteration.
   *
   * @param record - the iteration's record: iteration number, objective, best dual objective,
   *   relative gap and elapsed milliseconds
   */
  readonly onIteration?: (record: IterationRecord) => void;
  /**
   * Called after each `λ` of a path.
   *
   * @param index - position of this `λ` in `lambdaPath` (0-based)
   * @param lambda - the `λ` just solved
   * @param result - the solver's result at that `λ` (solution, certificate, status)
   */
  readonly onPathStep?: (index: number, lambda: number, result: SolveResult) => void;
  /** Carathéodory-prune the solution to at most `N·c + 1` rows (default `true`; programs (9), (12), (14)). */
  readonly prune?: boolean;
  /** Exact number of heads of the recovered network (zero heads pad); default: as many as needed. */
  readonly heads?: number;
}

/** The keys {@link FitOptions} may have (internal). */
export const FIT_OPTION_NAMES = [
  "model",
  "targets",
  "loss",
  "outputs",
  "scaling",
  "lambda",
  "lambdaRatio",
  "lambdaPath",
  "gates",
  "gateSeed",
  "solver",
  "solverOptions",
  "tolerance",
  "maxIterations",
  "timeLimitMs",
  "signal",
  "onIteration",
  "onPathStep",
  "prune",
  "heads",
] as const;
