import { assertInteger, assertKnownOptions, InvalidOptionError } from "@convexformer/tensors";
import type { CompositeProblem } from "./composite-problem.js";
import { withLambda } from "./create-problem.js";
import { lambdaMax } from "./lambda-max.js";
import { getSolver } from "./registry.js";
import type { SolveOptions, SolveResult, Solver } from "./solver.js";

/**
 * Options of {@link solvePath}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, type SolveResult, solvePath, type SolvePathOptions, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: x(λ) = (1 − λ, −(1 − λ)) for λ < 1
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const saved: SolveResult[] = [];
 * const options: SolvePathOptions = {
 *   solver: "ipm",
 *   solveOptions: { tolerance: 1e-10 },
 *   onSolved: (_index, _lambda, result) => saved.push(result),
 * };
 * const lambdas = [0.75, 0.5, 0.25];
 * solvePath(problem, lambdas, options).results[2]?.x; // [0.75, -0.75] ± 1e-8
 * // an interrupted path resumes after the results it had handed out
 * const resumed = solvePath(problem, lambdas, { ...options, resumeFrom: { results: saved.slice(0, 2) } });
 * resumed.results.length; // 3
 * resumed.results[2]?.x[0]; // 0.75 ± 1e-8
 * ```
 */
export interface SolvePathOptions {
  /** The solver, or its registry name. Default `"fista"`. */
  readonly solver?: Solver | string;
  /** Options passed to every solve (`warmStart` is used for the first `λ` only). */
  readonly solveOptions?: SolveOptions;
  /**
   * Called after each `λ` is solved (progress; a caller checkpoints the path from here).
   *
   * @param index - the position of this `λ` in `lambdas` (0-based; a resumed path continues at
   *   `resumeFrom.results.length`)
   * @param lambda - the value of `λ` just solved
   * @param result - its solve's result (also in the returned `results`; an `"aborted"` or
   *   `"time-limit"` result is the last one the path hands out)
   */
  readonly onSolved?: (index: number, lambda: number, result: SolveResult) => void;
  /**
   * Continue an interrupted path: the results of its first `k` values of `λ` (as `onSolved`
   * handed them out, or the `results` of an aborted call minus its aborted last one). The path
   * picks up at `lambdas[k]`, warm-started from the last of them, and returns all results, so it
   * ends as the uninterrupted path would have.
   */
  readonly resumeFrom?: {
    /** The results of the λs already solved, in path order (the path continues after them). */
    readonly results: readonly SolveResult[];
  };
}

/**
 * The solutions along a regularization path.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, type PathResult, solvePath, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1 at λ = 1 (= λ_max: x = 0), 1/2 and 1/8
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const path: PathResult = solvePath(problem, [1, 0.5, 0.125], { solveOptions: { tolerance: 1e-10 } });
 * path.lambdas; // [1, 0.5, 0.125]
 * path.results.map((r) => r.x[0]); // [0, 0.5, 0.875] ± 1e-8
 * path.results.map((r) => r.objective); // [1, 0.75, 15/64] ± 1e-9
 * path.totalMs >= 0; // true
 * ```
 */
export interface PathResult {
  /** The `λ` values, in the order solved. */
  readonly lambdas: readonly number[];
  /** One result per `λ`. */
  readonly results: readonly SolveResult[];
  /** Total wall time in milliseconds. */
  readonly totalMs: number;
}

const OPTION_NAMES = ["solver", "solveOptions", "onSolved", "resumeFrom"] as const;

/**
 * Solves the problem for each `λ` in turn, warm-starting every solve at the previous solution
 * (give the `λ` values in decreasing order, e.g. from {@link lambdaGrid}, for the best warm
 * starts: solutions grow from `x = 0` at `λ_max`).
 *
 * @param problem - a problem (its `λ` is replaced through {@link withLambda}) or a builder
 *   `λ ↦ problem` (called once per `λ` solved)
 * @param lambdas - the values of `λ`, in the order to solve them (at least one; each finite and
 *   `> 0`; decreasing gives the best warm starts)
 * @param options - solver (default `"fista"`), per-solve options, the `onSolved` callback and
 *   `resumeFrom` (see {@link SolvePathOptions}; unknown keys throw `InvalidOptionError`)
 * @example
 * ```ts
 * import {
 *   createProblem,
 *   denseOperator,
 *   groupL2,
 *   lambdaGrid,
 *   solvePath,
 *   squaredLoss,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const path = solvePath(problem, lambdaGrid(problem, { count: 10, ratio: 0.01 }));
 * path.results.length; // 10
 * path.results[0]?.status; // "converged"
 * ```
 */
export function solvePath(
  problem: CompositeProblem | ((lambda: number) => CompositeProblem),
  lambdas: readonly number[] | Float64Array,
  options: SolvePathOptions = {},
): PathResult {
  assertKnownOptions("options", options, OPTION_NAMES);
  const t0 = performance.now();
  const solver =
    typeof options.solver === "string"
      ? getSolver(options.solver, { argument: "options.solver" })
      : (options.solver ?? getSolver("fista"));
  if (
    typeof solver !== "object" ||
    solver === null ||
    typeof (solver as Partial<Solver>).solve !== "function"
  ) {
    throw new InvalidOptionError(
      "options.solver",
      options.solver,
      "must be a solver name or a Solver",
    );
  }
  const list = Array.from(lambdas);
  if (list.length === 0)
    throw new InvalidOptionError("lambdas", list, "must hold at least one lambda");
  list.forEach((l, i) => {
    if (!(typeof l === "number" && Number.isFinite(l) && l > 0)) {
      throw new InvalidOptionError(`lambdas[${i}]`, l, "must be a finite number > 0");
    }
  });
  const done = options.resumeFrom?.results ?? [];
  if (!Array.isArray(done) || done.length > list.length)
    throw new InvalidOptionError(
      "options.resumeFrom.results",
      Array.isArray(done) ? done.length : typeof done,
      `must be an array of at most ${list.length} results (one per lambda already solved)`,
    );
  done.forEach((r, i) => {
    if (
      !(r?.x instanceof Float64Array) ||
      (r.status !== "converged" && r.status !== "max-iterations")
    )
      throw new InvalidOptionError(
        `options.resumeFrom.results[${i}]`,
        r?.status,
        "must be a finished solve (status converged or max-iterations) with its x",
      );
  });
  const results: SolveResult[] = done.slice();
  let warm: Float64Array | undefined = results.at(-1)?.x ?? options.solveOptions?.warmStart;
  for (let i = results.length; i < list.length; i++) {
    const lambda = list[i] as number;
    const p = typeof problem === "function" ? problem(lambda) : withLambda(problem, lambda);
    const solveOptions: SolveOptions =
      warm !== undefined && warm.length === p.dim
        ? { ...options.solveOptions, warmStart: warm }
        : omitWarmStart(options.solveOptions);
    const result = solver.solve(p, solveOptions);
    results.push(result);
    warm = result.x;
    options.onSolved?.(i, lambda, result);
    // an interrupted path stops here (its last result says why); resumeFrom continues it
    if (result.status === "aborted" || result.status === "time-limit") break;
  }
  return { lambdas: list, results, totalMs: performance.now() - t0 };
}

function omitWarmStart(options: SolveOptions | undefined): SolveOptions {
  if (options === undefined) return {};
  const { warmStart: _ignored, ...rest } = options;
  return rest;
}

/**
 * Options of {@link lambdaGrid}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, lambdaGrid, type LambdaGridOptions, squaredLoss } from "@convexformer/solvers";
 * // λ_max = 1 here
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const options: LambdaGridOptions = { count: 5, ratio: 1 / 16 };
 * lambdaGrid(problem, options); // [1, 0.5, 0.25, 0.125, 0.0625]
 * lambdaGrid(problem).length; // 20
 * ```
 */
export interface LambdaGridOptions {
  /** Number of values (`≥ 1`). Default 20. */
  readonly count?: number;
  /** The last value is `ratio · λ_max` (`0 < ratio ≤ 1`). Default `1e-2`. */
  readonly ratio?: number;
}

/**
 * A geometric grid of `count` values from `λ_max` down to `ratio · λ_max` (decreasing).
 *
 * @param problem - the problem whose {@link lambdaMax} starts the grid (its own `λ` is not
 *   used); throws `InvalidOptionError` when `λ_max` is 0
 * @param options - `count` (integer `≥ 1`, default 20) and `ratio` (in `(0, 1]`, default
 *   `1e-2`); unknown keys throw `InvalidOptionError`
 * @example
 * ```ts
 * import {
 *   createProblem,
 *   denseOperator,
 *   groupL2,
 *   lambdaGrid,
 *   squaredLoss,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * // λmax = 1 here: [λmax, 0.1 λmax, 0.01 λmax]
 * lambdaGrid(problem, { count: 3, ratio: 0.01 }); // [1, 0.1, 0.01]
 * ```
 */
export function lambdaGrid(problem: CompositeProblem, options: LambdaGridOptions = {}): number[] {
  assertKnownOptions("options", options, ["count", "ratio"]);
  const count = options.count ?? 20;
  assertInteger("options.count", count, 1);
  const ratio = options.ratio ?? 1e-2;
  if (!(ratio > 0 && ratio <= 1))
    throw new InvalidOptionError("options.ratio", ratio, "must be in (0, 1]");
  const top = lambdaMax(problem);
  if (!(top > 0))
    throw new InvalidOptionError("problem", top, "λ_max is 0: x = 0 is optimal for every λ");
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(top * ratio ** (count === 1 ? 0 : k / (count - 1)));
  return out;
}
