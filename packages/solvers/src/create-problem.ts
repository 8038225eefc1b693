import { assertKnownOptions, InvalidOptionError } from "@convexformer/tensors";
import type { CompositeProblem } from "./composite-problem.js";
import type { LinearOperator } from "./linear-operator.js";
import type { Regularizer } from "./regularizer.js";
import type { SmoothLoss } from "./smooth-loss.js";
import { validateProblem } from "./validate-problem.js";

/**
 * The parts of a {@link CompositeProblem}, as given to {@link createProblem}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, l1, logisticLoss, type ProblemParts } from "@convexformer/solvers";
 * // ℓ1-regularized logistic regression on 3 samples with 2 features
 * const parts: ProblemParts = {
 *   operator: denseOperator(Matrix.fromRows([[1, 0], [0, 1], [1, 1]])),
 *   loss: logisticLoss(new Float64Array([1, -1, 1])),
 *   regularizer: l1(2),
 *   lambda: 0.1,
 * };
 * createProblem(parts).dim; // 2
 * // the parts must fit together: a regularizer of the wrong dimension is refused
 * createProblem({ ...parts, regularizer: l1(3) }); // throws ShapeMismatchError
 * ```
 */
export interface ProblemParts {
  /** `A`. */
  readonly operator: LinearOperator;
  /** `F`, of size `operator.rows`. */
  readonly loss: SmoothLoss;
  /** `R`, of dimension `operator.cols`. */
  readonly regularizer: Regularizer;
  /** `λ > 0`. */
  readonly lambda: number;
}

const PART_NAMES = ["operator", "loss", "regularizer", "lambda"] as const;

/**
 * Builds and validates the composite problem `min_x F(Ax) + λ R(x)` (see
 * {@link validateProblem} for the checks). The result is frozen; use {@link withLambda} for
 * the same problem at another `λ`.
 *
 * @param parts - operator `A`, loss `F` (of size `A.rows`), regularizer `R` (of dimension
 *   `A.cols`) and `λ` (finite, `> 0`); all four required, unknown keys throw
 *   `InvalidOptionError`, mismatched sizes `ShapeMismatchError`
 * @throws ShapeMismatchError, InvalidOptionError, NonFiniteInputError
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * problem.dim; // 2
 * ```
 */
export function createProblem(parts: ProblemParts): CompositeProblem {
  assertKnownOptions("parts", parts, PART_NAMES);
  for (const key of PART_NAMES) {
    if (parts[key] === undefined)
      throw new InvalidOptionError(`parts.${key}`, undefined, "is required");
  }
  const problem: CompositeProblem = Object.freeze({
    dim: parts.operator.cols,
    operator: parts.operator,
    loss: parts.loss,
    regularizer: parts.regularizer,
    lambda: parts.lambda,
  });
  validateProblem(problem, "parts");
  return problem;
}

/**
 * The same problem with another `λ` (shares operator, loss and regularizer).
 *
 * @param problem - the problem to copy (not modified; its parts are shared, not copied)
 * @param lambda - the new `λ`: a finite number `> 0` (otherwise `InvalidOptionError`)
 * @example
 * ```ts
 * import {
 *   createProblem,
 *   denseOperator,
 *   groupL2,
 *   lambdaMax,
 *   squaredLoss,
 *   withLambda,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * lambdaMax(problem); // 1
 * const tenth = withLambda(problem, 0.1 * lambdaMax(problem));
 * tenth.lambda; // 0.1
 * problem.lambda; // 1/8
 * ```
 */
export function withLambda(problem: CompositeProblem, lambda: number): CompositeProblem {
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda <= 0) {
    throw new InvalidOptionError("lambda", lambda, "must be a finite number > 0");
  }
  return Object.freeze({
    dim: problem.dim,
    operator: problem.operator,
    loss: problem.loss,
    regularizer: problem.regularizer,
    lambda,
  });
}
