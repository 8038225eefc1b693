import type { LinearOperator } from "./linear-operator.js";
import type { Regularizer } from "./regularizer.js";
import type { SmoothLoss } from "./smooth-loss.js";

/**
 * `minimize_x  P(x) = F(A x) + λ·R(x)`: what every solver consumes. `solvers` knows nothing
 * about attention; the attention package builds these from token batches.
 *
 * @example
 * ```ts
 * import {
 *   type CompositeProblem,
 *   createProblem,
 *   denseOperator,
 *   groupL2,
 *   squaredLoss,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem: CompositeProblem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * problem.dim; // 2
 * problem.operator.cols === problem.dim; // true
 * ```
 */
export interface CompositeProblem {
  /** Number of variables (`operator.cols`, `regularizer.dim`). */
  readonly dim: number;
  /** `A`. */
  readonly operator: LinearOperator;
  /** `F`, of length `operator.rows`. */
  readonly loss: SmoothLoss;
  /** `R`. */
  readonly regularizer: Regularizer;
  /** `λ > 0`. */
  readonly lambda: number;
}
