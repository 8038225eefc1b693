import { createRng, Matrix } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import { createProblem, withLambda } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import { crossEntropyLoss } from "../losses/cross-entropy-loss.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";

/** A named conformance problem, with its design matrix (so tests can corrupt it). */
export interface ConformanceProblem {
  /** A short description, used in failure messages. */
  readonly name: string;
  /** The problem. */
  readonly problem: CompositeProblem;
  /** The dense design matrix behind `problem.operator` (shared, not a copy). */
  readonly matrix: Matrix;
}

/**
 * Spec §7 instance 1 as a group lasso: `N = n = 2`, `d = 1`, `X_i = e_i` (so `A = I`),
 * `y = (1, −1)`, `β = 1/8`, one group per token. Optimum `z = (7/8, −7/8)`, value `15/64`.
 *
 * @example
 * ```ts
 * import { specInstance1 } from "@convexformer/solvers/testing";
 * specInstance1().problem.lambda; // 0.125
 * ```
 */
export function specInstance1(): ConformanceProblem {
  const matrix = Matrix.identity(2);
  const problem = createProblem({
    operator: denseOperator(matrix),
    loss: squaredLoss(new Float64Array([1, -1])),
    regularizer: groupL2({ sizes: [1, 1] }),
    lambda: 1 / 8,
  });
  return { name: "spec §7 instance 1", problem, matrix };
}

/**
 * Spec §7 instance 2 as a group lasso: `N = 1`, `n = 2`, `d = 1`, `X = [0; 1]` (so
 * `A = [0 1]`), `y = 1`, `β = 1/8`. Optimum `Z = (0, 7/8)`, value `15/128`.
 *
 * @example
 * ```ts
 * import { specInstance2 } from "@convexformer/solvers/testing";
 * specInstance2().problem.dim; // 2
 * ```
 */
export function specInstance2(): ConformanceProblem {
  const matrix = Matrix.fromRows([[0, 1]]);
  const problem = createProblem({
    operator: denseOperator(matrix),
    loss: squaredLoss(new Float64Array([1])),
    regularizer: groupL2({ sizes: [1, 1] }),
    lambda: 1 / 8,
  });
  return { name: "spec §7 instance 2", problem, matrix };
}

/** Options of {@link randomGroupLasso}. */
export interface RandomGroupLassoOptions {
  /** `"squared"` (default), `"logistic"` or `"cross-entropy"`. */
  readonly loss?: "squared" | "logistic" | "cross-entropy";
  /** Samples `N`. Default 30. */
  readonly samples?: number;
  /** Features per output `p`. Default 40. */
  readonly features?: number;
  /** Group size (must divide `features`). Default 4. */
  readonly groupSize?: number;
  /** Classes for cross-entropy. Default 3. */
  readonly classes?: number;
  /** `λ / λ_max`. Default 0.2. */
  readonly lambdaRatio?: number;
  /** Seed of the data. Default 1. */
  readonly seed?: number;
}

/**
 * A seeded random group-lasso problem with Gaussian data (unit group weights): squared loss on
 * Gaussian targets, logistic on the signs of a planted linear model, or cross-entropy over
 * `c` classes with one `p`-vector per class (the design is `X ⊗ I_c`, predictions
 * `ŷ_il = ⟨X_i, x_l⟩`), at `λ = lambdaRatio · λ_max`.
 *
 * @param options - loss, sizes, `λ` ratio and seed
 * @example
 * ```ts
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * randomGroupLasso({ loss: "logistic", samples: 20, features: 12, groupSize: 3 }).problem.dim; // 12
 * ```
 */
export function randomGroupLasso(options: RandomGroupLassoOptions = {}): ConformanceProblem {
  const kind = options.loss ?? "squared";
  const N = options.samples ?? 30;
  const p = options.features ?? 40;
  const gs = options.groupSize ?? 4;
  const c = kind === "cross-entropy" ? (options.classes ?? 3) : 1;
  const rng = createRng(options.seed ?? 1);
  const X = new Matrix(N, p);
  rng.fillNormal(X.data);
  const planted = new Float64Array(p * c);
  for (let j = 0; j < p * c; j++) planted[j] = rng.uniform() < 0.3 ? rng.normal() : 0;
  let matrix: Matrix;
  if (c === 1) {
    matrix = X;
  } else {
    // rows (i, l), columns (l, j): entry X[i, j]
    matrix = new Matrix(N * c, c * p);
    for (let i = 0; i < N; i++) {
      for (let l = 0; l < c; l++) matrix.data.set(X.row(i), (i * c + l) * c * p + l * p);
    }
  }
  const scores = new Float64Array(N * c);
  for (let i = 0; i < N; i++) {
    for (let l = 0; l < c; l++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += X.get(i, j) * (planted[l * p + j] as number);
      scores[i * c + l] = s + 0.5 * rng.normal();
    }
  }
  let loss: CompositeProblem["loss"];
  if (kind === "squared") {
    loss = squaredLoss(scores);
  } else if (kind === "logistic") {
    loss = logisticLoss(scores.map((s) => (s >= 0 ? 1 : -1)));
  } else {
    const labels = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      let best = 0;
      for (let l = 1; l < c; l++)
        if ((scores[i * c + l] as number) > (scores[i * c + best] as number)) best = l;
      labels[i] = best;
    }
    loss = crossEntropyLoss(labels, { classes: c });
  }
  const sizes = new Array<number>((p * c) / gs).fill(gs);
  const base = createProblem({
    operator: denseOperator(matrix),
    loss,
    regularizer: groupL2({ sizes }),
    lambda: 1,
  });
  const problem = withLambda(base, (options.lambdaRatio ?? 0.2) * lambdaMax(base));
  return {
    name: `random ${kind} ${N}x${p * c} (groups of ${gs}, seed ${options.seed ?? 1})`,
    problem,
    matrix,
  };
}
