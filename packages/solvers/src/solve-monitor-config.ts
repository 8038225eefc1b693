/**
 * How a solver configures its {@link SolveMonitor}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, SolveMonitor, type SolveMonitorConfig, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const config: SolveMonitorConfig = { solver: "my-solver", defaultMaxIterations: 500, extraOptionKeys: ["stepSize"] };
 * new SolveMonitor(problem, {}, config).maxIterations; // 500
 * new SolveMonitor(problem, { maxIterations: 20 }, config).maxIterations; // 20
 * // the solver's own key is accepted; any other unknown key is an error
 * const own = { tolerance: 1e-8, stepSize: 0.5 };
 * new SolveMonitor(problem, own, config).tolerance; // 1e-8
 * const misspelled = { tolerance: 1e-8, stepsize: 0.5 };
 * new SolveMonitor(problem, misspelled, config); // throws InvalidOptionError
 * ```
 */
export interface SolveMonitorConfig {
  /** The solver's registry name, reported in the result. */
  readonly solver: string;
  /** `maxIterations` when the options do not give one. */
  readonly defaultMaxIterations: number;
  /** Solver-specific option names accepted besides the shared ones. */
  readonly extraOptionKeys?: readonly string[];
  /** Most records kept in `history` (older ones are thinned to every other). Default 1000. */
  readonly historyLimit?: number;
  /**
   * An objective above `P(x₀) + divergenceFactor · max(1, |P(x₀)|)` counts as blown up
   * (status `"diverged"`). Default `1e12`.
   */
  readonly divergenceFactor?: number;
}
