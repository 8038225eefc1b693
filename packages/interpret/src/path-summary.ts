import type { ConvexAttentionLayout, FitResult, SequenceLayout } from "@convexformer/attention";
import type { PathResult, SolveStatus } from "@convexformer/solvers";
import { assertKnownOptions, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";

/**
 * One `λ` of a regularization path: support, objective, certificate and errors.
 *
 * @example
 * ```ts
 * import type { PathPoint } from "@convexformer/interpret";
 * const p: PathPoint = { index: 0, lambda: 1, rows: 0, tokens: 0, objective: 1, relativeGap: 0,
 *   status: "converged", iterations: 1, trainError: undefined, testError: undefined };
 * ```
 */
export interface PathPoint {
  /** Position on the path (0-based, in the order solved). */
  readonly index: number;
  /** `λ`. */
  readonly lambda: number;
  /** Nonzero groups: rows `z_{j,l,k}` for (9)/(12)/(14), blocks for (33). */
  readonly rows: number;
  /** Distinct tokens used (token programs: with a nonzero row; sequence: read with nonzero column mass). */
  readonly tokens: number;
  /** Primal objective. */
  readonly objective: number;
  /** Relative duality gap (docs/concepts.md#certificates). */
  readonly relativeGap: number;
  /** The solver's status. */
  readonly status: SolveStatus;
  /** Iterations of that solve. */
  readonly iterations: number;
  /** `options.trainError(x, λ)`, when given. */
  readonly trainError: number | undefined;
  /** `options.testError(x, λ)`, when given. */
  readonly testError: number | undefined;
}

/**
 * Options of {@link pathSummary}.
 *
 * @example
 * ```ts
 * import type { PathSummaryOptions } from "@convexformer/interpret";
 * const options: PathSummaryOptions = {
 *   layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
 *   trainError: (x) => x.reduce((a, v) => a + Math.abs(v), 0),
 * };
 * ```
 */
export interface PathSummaryOptions {
  /** The layout of the path's solutions (token programs or sequence programs). */
  readonly layout: ConvexAttentionLayout | SequenceLayout;
  /**
   * Training error of a solution (any scale: a loss, a misclassification rate).
   *
   * @param x - the solution at this `λ`, laid out as `layout` says
   * @param lambda - the `λ` it was solved at
   */
  readonly trainError?: (x: Float64Array, lambda: number) => number;
  /**
   * Test error of a solution.
   *
   * @param x - the solution at this `λ`, laid out as `layout` says
   * @param lambda - the `λ` it was solved at
   */
  readonly testError?: (x: Float64Array, lambda: number) => number;
}

/**
 * Summarizes a `solvePath` result of a convex attention program (scnn's "test accuracy vs
 * neuron sparsity", for tokens): per `λ` the support in rows and tokens, the objective, the
 * relative gap, the status, and optional train/test errors.
 *
 * @param path - a `solvePath` result of `@convexformer/solvers` over a convex attention program:
 *   its `lambdas` and one solve result per `λ`
 * @param options - {@link PathSummaryOptions}: the `layout` of the solutions (required; every
 *   solution must have its length) and optional `trainError` / `testError` functions; unknown keys
 *   are errors
 * @throws `ShapeMismatchError` when a solution's length does not match `options.layout`
 *
 * @example
 * ```ts
 * import { scalarAttentionProblem } from "@convexformer/attention";
 * import { solvePath, squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { pathSummary } from "@convexformer/interpret";
 * // exact instance 1 along λ = 1, 1/8: the support grows from 0 to both tokens
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const loss = squaredLoss(new Float64Array([1, -1]));
 * const path = solvePath((l) => scalarAttentionProblem(X, loss, l), [1, 1 / 8], { solveOptions: { tolerance: 1e-12 } });
 * const s = pathSummary(path, { layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * s.map((p) => p.rows); // [0, 2]
 * ```
 */
export function pathSummary(path: PathResult, options: PathSummaryOptions): PathPoint[] {
  assertKnownOptions("options", options, ["layout", "trainError", "testError"]);
  const { layout } = options;
  const group = "signs" in layout ? layout.tokens * layout.tokens : layout.features;
  const dim =
    "signs" in layout
      ? layout.features * layout.outputs * layout.signs * group
      : layout.gates * layout.outputs * layout.tokens * layout.features;
  if (!(dim > 0)) throw new InvalidOptionError("options.layout", layout, "has a zero size");
  return path.results.map((result, index) => {
    const x = result.x;
    if (x.length !== dim) {
      throw new ShapeMismatchError(
        `path.results[${index}].x`,
        `expected length ${dim} (options.layout), got ${x.length}`,
      );
    }
    const lambda = path.lambdas[index] as number;
    const n = layout.tokens;
    const used = new Uint8Array(n);
    let rows = 0;
    for (let g = 0; g * group < dim; g++) {
      let any = false;
      for (let e = g * group; e < (g + 1) * group; e++) {
        if (x[e] === 0) continue;
        any = true;
        // token of entry e: the row's token (token programs) or the column read (sequence)
        used["signs" in layout ? (e - g * group) % n : g % n] = 1;
      }
      if (any) rows++;
    }
    return {
      index,
      lambda,
      rows,
      tokens: used.reduce((a, b) => a + b, 0),
      objective: result.objective,
      relativeGap: result.relativeGap,
      status: result.status,
      iterations: result.iterations,
      trainError: options.trainError?.(x, lambda),
      testError: options.testError?.(x, lambda),
    };
  });
}

/**
 * {@link pathSummary} of the path of a `fitConvexAttention` result (fitted with `lambdaPath`).
 *
 * @param fit - a `fitConvexAttention` result fitted with `lambdaPath` (it has a `path`; the layout
 *   is taken from its problem)
 * @param errors - optional `trainError` and `testError` functions of a solution and its `λ`, as in
 *   {@link PathSummaryOptions} (default: none)
 * @throws `InvalidOptionError` when the fit has no path
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { pathSummaryOf } from "@convexformer/interpret";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambdaPath: [1, 1 / 8], tolerance: 1e-12 });
 * pathSummaryOf(fit).map((p) => p.tokens); // [0, 2]
 * ```
 */
export function pathSummaryOf(
  fit: FitResult,
  errors: Omit<PathSummaryOptions, "layout"> = {},
): PathPoint[] {
  if (fit.path === undefined) {
    throw new InvalidOptionError(
      "fit.path",
      undefined,
      "the fit has no path: fit with options.lambdaPath",
    );
  }
  return pathSummary(fit.path, { ...errors, layout: fit.problem.layout });
}
