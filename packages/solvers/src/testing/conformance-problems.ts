import { createRng, gemv, InvalidOptionError, Matrix } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import { createProblem, withLambda } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import type { LinearOperator } from "../linear-operator.js";
import { crossEntropyLoss } from "../losses/cross-entropy-loss.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { l1 } from "../regularizers/l1.js";

/**
 * A named conformance problem, with its design matrix (so tests can corrupt it).
 *
 * @example
 * ```ts
 * import { certify } from "@convexformer/solvers";
 * import { type ConformanceProblem, specInstance1 } from "@convexformer/solvers/testing";
 * const instance: ConformanceProblem = specInstance1();
 * instance.name; // "exact instance 1"
 * instance.matrix.rows; // 2
 * certify(instance.problem, new Float64Array([7 / 8, -7 / 8])).objective; // 15/64
 * // the matrix is the operator's own: a NaN written into it reaches the problem
 * instance.matrix.set(0, 0, Number.NaN);
 * certify(instance.problem, new Float64Array(2)).objective; // NaN
 * ```
 */
export interface ConformanceProblem {
  /** A short description, used in failure messages. */
  readonly name: string;
  /** The problem. */
  readonly problem: CompositeProblem;
  /** The dense design matrix behind `problem.operator` (shared, not a copy). */
  readonly matrix: Matrix;
}

/**
 * Exact instance 1 (docs/concepts.md#exact-instances) as a group lasso: `N = n = 2`, `d = 1`, `X_i = e_i` (so `A = I`),
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
  return { name: "exact instance 1", problem, matrix };
}

/**
 * Exact instance 2 (docs/concepts.md#exact-instances) as a group lasso: `N = 1`, `n = 2`, `d = 1`, `X = [0; 1]` (so
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
  return { name: "exact instance 2", problem, matrix };
}

/**
 * Options of {@link randomGroupLasso}.
 *
 * @example
 * ```ts
 * import { lambdaMax } from "@convexformer/solvers";
 * import { type RandomGroupLassoOptions, randomGroupLasso } from "@convexformer/solvers/testing";
 * // softmax cross-entropy over 3 classes: one 4-vector per class, dimension 12, groups of 2
 * const options: RandomGroupLassoOptions = { loss: "cross-entropy", samples: 8, features: 4, groupSize: 2, classes: 3, lambdaRatio: 0.5 };
 * const { problem, name } = randomGroupLasso(options);
 * name; // "random cross-entropy 8x12 (groups of 2, seed 1)"
 * problem.dim; // 12
 * problem.loss.outputs; // 3
 * problem.lambda / lambdaMax(problem); // 0.5
 * randomGroupLasso({ features: 10, groupSize: 4 }); // throws InvalidOptionError
 * ```
 */
export interface RandomGroupLassoOptions {
  /** `"squared"` (default), `"logistic"` or `"cross-entropy"`. */
  readonly loss?: "squared" | "logistic" | "cross-entropy";
  /** Samples `N`. Default 30. */
  readonly samples?: number;
  /** Features per output `p`. Default 40. */
  readonly features?: number;
  /** Group size (must divide the dimension `features · classes`). Default 4. */
  readonly groupSize?: number;
  /**
   * Unequal group sizes instead of `groupSize`: positive integers summing to the dimension
   * `features · classes`.
   */
  readonly groupSizes?: readonly number[];
  /** `"unit"` (default) or `"random"`: seeded weights `w_g` drawn uniformly from `[0.25, 4]`. */
  readonly groupWeights?: "unit" | "random";
  /** `"group-l2"` (default) or `"l1"` (every coordinate its own group; weights as above). */
  readonly regularizer?: "group-l2" | "l1";
  /** The loss's `scaling`: `"sum"` (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /**
   * `"dense"` (default: `denseOperator`, with `toDense` and column access) or `"matrix-free"`:
   * only `apply` and `adjoint` (no `toDense`, no `applyColumns`), as a large implicit
   * operator would be.
   */
  readonly operator?: "dense" | "matrix-free";
  /** Classes for cross-entropy. Default 3. */
  readonly classes?: number;
  /** `λ / λ_max`. Default 0.2. */
  readonly lambdaRatio?: number;
  /** Seed of the data. Default 1. */
  readonly seed?: number;
}

/**
 * A seeded random group-lasso problem with Gaussian data: squared loss on Gaussian targets,
 * logistic on the signs of a planted linear model, or cross-entropy over `c` classes with one
 * `p`-vector per class (the design is `X ⊗ I_c`, predictions `ŷ_il = ⟨X_i, x_l⟩`), at
 * `λ = lambdaRatio · λ_max`; groups of equal or given unequal sizes with unit or random
 * weights, or ℓ1; sum or mean scaling; a dense or a matrix-free operator.
 *
 * @param options - loss, samples, features, classes, group sizes and weights, regularizer,
 *   scaling, operator kind, `λ / λ_max` and seed (see {@link RandomGroupLassoOptions}; every
 *   field has a default, so `{}` gives a 30 × 40 squared-loss problem with groups of 4)
 * @throws InvalidOptionError when the group sizes do not fit the dimension
 * @example
 * ```ts
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * randomGroupLasso({ loss: "logistic", samples: 20, features: 12, groupSize: 3 }).problem.dim; // 12
 * const uneven = randomGroupLasso({ features: 10, groupSizes: [1, 2, 3, 4], groupWeights: "random" });
 * uneven.problem.regularizer.groups?.count; // 4
 * randomGroupLasso({ operator: "matrix-free" }).problem.operator.toDense; // undefined
 * ```
 */
export function randomGroupLasso(options: RandomGroupLassoOptions = {}): ConformanceProblem {
  const kind = options.loss ?? "squared";
  const N = options.samples ?? 30;
  const p = options.features ?? 40;
  const gs = options.groupSize ?? 4;
  const c = kind === "cross-entropy" ? (options.classes ?? 3) : 1;
  const dim = p * c;
  const kindOfRegularizer = options.regularizer ?? "group-l2";
  const sizes =
    kindOfRegularizer === "l1"
      ? new Array<number>(dim).fill(1)
      : (options.groupSizes ?? new Array<number>(Math.max(0, Math.floor(dim / gs))).fill(gs));
  if (
    !sizes.every((v) => Number.isInteger(v) && v > 0) ||
    sizes.reduce((a, b) => a + b, 0) !== dim
  ) {
    throw new InvalidOptionError(
      options.groupSizes === undefined ? "options.groupSize" : "options.groupSizes",
      options.groupSizes ?? gs,
      `must split the dimension ${dim} into positive integer group sizes`,
    );
  }
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
  const scaling = options.scaling ?? "sum";
  let loss: CompositeProblem["loss"];
  if (kind === "squared") {
    loss = squaredLoss(scores, { scaling });
  } else if (kind === "logistic") {
    loss = logisticLoss(
      scores.map((s) => (s >= 0 ? 1 : -1)),
      { scaling },
    );
  } else {
    const labels = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      let best = 0;
      for (let l = 1; l < c; l++)
        if ((scores[i * c + l] as number) > (scores[i * c + best] as number)) best = l;
      labels[i] = best;
    }
    loss = crossEntropyLoss(labels, { classes: c, scaling });
  }
  const count = kindOfRegularizer === "l1" ? dim : sizes.length;
  const weighted = options.groupWeights === "random";
  const weights = new Float64Array(count).fill(1);
  // log-uniform on [1/4, 4]: some weights far from 1 either way
  if (weighted) for (let g = 0; g < count; g++) weights[g] = 4 ** (2 * rng.uniform() - 1);
  const regularizer =
    kindOfRegularizer === "l1"
      ? l1(dim, weighted ? { weights } : {})
      : groupL2(weighted ? { sizes, weights } : { sizes });
  const operatorKind = options.operator ?? "dense";
  const base = createProblem({
    operator: operatorKind === "dense" ? denseOperator(matrix) : matrixFreeOperator(matrix),
    loss,
    regularizer,
    lambda: 1,
  });
  const problem = withLambda(base, (options.lambdaRatio ?? 0.2) * lambdaMax(base));
  const groupsText =
    kindOfRegularizer === "l1"
      ? "ℓ1"
      : options.groupSizes === undefined
        ? `groups of ${gs}`
        : `groups of sizes ${sizes.join(",")}`;
  const extras = [
    groupsText,
    ...(weighted ? ["random weights"] : []),
    ...(scaling === "mean" ? ["mean scaling"] : []),
    ...(operatorKind === "matrix-free" ? ["matrix-free"] : []),
    `seed ${options.seed ?? 1}`,
  ];
  return {
    name: `random ${kind} ${N}x${dim} (${extras.join(", ")})`,
    problem,
    matrix,
  };
}

/** `A` through `apply` and `adjoint` only (no `toDense`, no column access). */
function matrixFreeOperator(matrix: Matrix): LinearOperator {
  const { rows, cols, data } = matrix;
  return {
    rows,
    cols,
    apply: (x, out) => gemv("no-transpose", rows, cols, 1, data, cols, 1, 0, x, 1, 0, 0, out, 1, 0),
    adjoint: (r, out) => gemv("transpose", rows, cols, 1, data, cols, 1, 0, r, 1, 0, 0, out, 1, 0),
  };
}
