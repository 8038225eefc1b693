import type { CompositeProblem } from "./composite-problem.js";
import { validateProblem } from "./validate-problem.js";

/**
 * `λ_max = R°(Aᵀ(−∇F(0)))`: the smallest `λ` for which `x = 0` is optimal (docs/concepts.md#certificates; for
 * group ℓ2, `max_g ‖A_gᵀ∇F(0)‖ / w_g`). Every `λ ≥ λ_max` has the unique-value optimum `x = 0`.
 * The problem's own `λ` is ignored.
 *
 * @param problem - the problem (its `lambda` is not used)
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, lambdaMax, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1,
 * });
 * lambdaMax(problem); // 1
 * ```
 */
export function lambdaMax(problem: CompositeProblem): number {
  validateProblem(problem);
  const { operator, loss, regularizer } = problem;
  const g = new Float64Array(operator.rows);
  loss.gradient(new Float64Array(operator.rows), g);
  for (let i = 0; i < g.length; i++) g[i] = -(g[i] as number);
  const atv = new Float64Array(problem.dim);
  operator.adjoint(g, atv);
  return regularizer.polar(atv);
}
