import type { IterationRecord, SolveResult } from "@convexformer/solvers";
import type { AttentionProgramKind } from "./attention-program-kind.js";
import type { GateVectors } from "./gates.js";
import type { LossName } from "./loss-names.js";

/**
 * Options of {@link fitConvexAttention}; `M` is the program asked for. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { FitOptions } from "@convexformer/attention";
 * const options: FitOptions = { model: "vector", loss: "cross-entropy", targets: new Int32Array([0, 2, 1]), outputs: 3, lambdaRatio: 0.1 };
 * ```
 */
export interface FitOptions<M extends AttentionProgramKind = AttentionProgramKind> {
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
  /** Gated program: number of gates to sample (default 32) or the gate vectors themselves. */
  readonly gates?: number | GateVectors;
  /** Seed of the sampled gates (default 0). */
  readonly gateSeed?: number;
  /** Solver registry name (default `"fista"`). */
  readonly solver?: string;
  /** Extra, solver-specific options (e.g. FISTA's `screening`, `workingSet`). */
  readonly solverOptions?: Readonly<Record<string, unknown>>;
  /** Target relative duality gap (default 1e-6). */
  readonly tolerance?: number;
  /** Iteration cap per solve. */
  readonly maxIterations?: number;
  /** Wall-clock limit per solve, in milliseconds. */
  readonly timeLimitMs?: number;
  /** Aborts the solve. */
  readonly signal?: AbortSignal;
  /** Progress callback, called every iteration. */
  readonly onIteration?: (record: IterationRecord) => void;
  /** Called after each `λ` of a path. */
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
