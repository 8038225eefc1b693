import { ShapeMismatchError, validateFinite } from "@convexformer/tensors";
import type { CompositeProblem } from "./composite-problem.js";

/**
 * The optimality certificate of a point `x` (docs/concepts.md#certificates). The dual point is built from `x`:
 * `v = −∇F(Ax)`, `s = min(1, λ / R°(Aᵀv))`, `u = s·v`, which is dual feasible
 * (`R°(Aᵀu) ≤ λ`), so `dualObjective = D(u) ≤ P* ≤ objective` and
 * `objective − P* ≤ relativeGap · max(1, |objective|)`.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { type Certificate, certify, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1 (optimum (7/8, −7/8), value 15/64), certified at a point that is not optimal
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const c: Certificate = certify(problem, new Float64Array([0.5, 0]));
 * c.objective; // 0.6875
 * // −∇F(Ax) = y − x = (0.5, −1) has R° = 1 > λ: scaled by s = λ / 1
 * c.dualScale; // 0.125
 * c.dualObjective; // 0.177734375
 * c.relativeGap; // 0.509765625
 * // so P* lies in [0.1777, 0.6875]; it is 15/64 = 0.234375
 * c.kktResidual > 0; // true
 * ```
 */
export interface Certificate {
  /** `P(x) = F(Ax) + λ R(x)`. */
  readonly objective: number;
  /** `D(u) = −F*(−u)` at the scaled dual point (`-Infinity` only for a broken loss). */
  readonly dualObjective: number;
  /**
   * `(P − D) / max(1, |P|)`, never negative: a difference below zero can only come from
   * rounding (weak duality) and is reported as 0.
   */
  readonly relativeGap: number;
  /**
   * The norm (not the square) of the minimum-norm subgradient of `P` at `x`; for group ℓ2:
   * `sqrt(Σ_g r_g²)` with `r_g = ‖∇_g F + λ w_g x_g/‖x_g‖‖` on active groups and
   * `max(0, ‖∇_g F‖ − λ w_g)` on zero groups.
   */
  readonly kktResidual: number;
  /** The scale `s ∈ (0, 1]` applied to `−∇F(Ax)` to make it dual feasible. */
  readonly dualScale: number;
}

/**
 * Buffers holding the by-products of a certificate computation (see
 * `SolveMonitor.certificateBuffers`): the predictions, both gradients and the dual point of
 * the last certified `x`, which a solver reuses instead of recomputing them.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, groupL2, SolveMonitor, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const monitor = new SolveMonitor(problem, {}, { solver: "demo", defaultMaxIterations: 1 });
 * monitor.certify(new Float64Array([0.5, 0]));
 * const buffers = monitor.certificateBuffers;
 * // Aᵀ∇F(Ax) = x − y
 * buffers.gradient; // Float64Array [-0.5, 1]
 * ```
 */
export interface CertificateBuffers {
  /** `A x` (length `rows`). */
  readonly predictions: Float64Array;
  /** `∇F(Ax)` (length `rows`). */
  readonly lossGradient: Float64Array;
  /** `Aᵀ∇F(Ax)`, the gradient of the smooth part (length `dim`). */
  readonly gradient: Float64Array;
  /** The dual point `u` (length `rows`). */
  readonly dual: Float64Array;
}

/** Allocates a {@link CertificateBuffers} for `problem`. @internal */
export function certificateBuffers(problem: CompositeProblem): CertificateBuffers {
  const rows = problem.operator.rows;
  return {
    predictions: new Float64Array(rows),
    lossGradient: new Float64Array(rows),
    gradient: new Float64Array(problem.dim),
    dual: new Float64Array(rows),
  };
}

/**
 * {@link certify} writing its by-products into `work`; when `predictionsKnown` the caller has
 * already written `A x` into `work.predictions`. @internal
 */
export function certifyInto(
  problem: CompositeProblem,
  x: Float64Array,
  work: CertificateBuffers,
  predictionsKnown: boolean,
): Certificate {
  const { operator, loss, regularizer, lambda } = problem;
  const { predictions, lossGradient, gradient, dual } = work;
  if (!predictionsKnown) operator.apply(x, predictions);
  const f = loss.gradient(predictions, lossGradient);
  operator.adjoint(lossGradient, gradient); // ∇(F∘A)(x) = Aᵀ∇F
  const objective = f + lambda * regularizer.value(x);
  // v = −∇F, Aᵀv = −gradient; polar of −gradient (gauges may be asymmetric)
  for (let i = 0; i < gradient.length; i++) gradient[i] = -(gradient[i] as number);
  const polar = regularizer.polar(gradient);
  for (let i = 0; i < gradient.length; i++) gradient[i] = -(gradient[i] as number);
  const s = polar > lambda ? lambda / polar : 1;
  for (let i = 0; i < dual.length; i++) dual[i] = -s * (lossGradient[i] as number);
  const dualObjective = loss.dualValue(dual);
  const gap = objective - dualObjective;
  const relativeGap = gap > 0 ? gap / Math.max(1, Math.abs(objective)) : gap <= 0 ? 0 : Number.NaN;
  const kktResidual =
    regularizer.subgradientResidual !== undefined
      ? regularizer.subgradientResidual(x, gradient, lambda)
      : proxGradientResidual(problem, x, gradient);
  return {
    objective,
    dualObjective,
    relativeGap: Number.isNaN(objective) ? Number.NaN : relativeGap,
    kktResidual,
    dualScale: s,
  };
}

function proxGradientResidual(
  problem: CompositeProblem,
  x: Float64Array,
  gradient: Float64Array,
): number {
  const z = new Float64Array(x.length);
  for (let i = 0; i < z.length; i++) z[i] = (x[i] as number) - (gradient[i] as number);
  problem.regularizer.prox(z, problem.lambda, z);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const d = (x[i] as number) - (z[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

/**
 * Certifies `x` for `problem` (docs/concepts.md#certificates): primal and dual objective, relative duality gap and
 * KKT residual. Costs one `apply` (skipped when `predictions = A x` is given), one loss
 * gradient, one `adjoint` and one dual evaluation.
 *
 * @param problem - the composite problem `min F(Ax) + λ R(x)` (not validated again: build it
 *   with `createProblem`)
 * @param x - the point to certify, length `dim`, finite (checked: `ShapeMismatchError`,
 *   `NonFiniteInputError`); not modified
 * @param predictions - `A x`, when the caller already has it (length `operator.rows`, finite;
 *   not modified): saves one `apply`
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { certify, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: optimum z = (7/8, −7/8), value 15/64
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const c = certify(problem, new Float64Array([7 / 8, -7 / 8]));
 * c.objective;   // 0.234375
 * c.relativeGap; // 0
 * ```
 */
export function certify(
  problem: CompositeProblem,
  x: Float64Array,
  predictions?: Float64Array,
): Certificate {
  if (x.length !== problem.dim) {
    throw new ShapeMismatchError("x", `expected length ${problem.dim}, got ${x.length}`);
  }
  validateFinite("x", x);
  if (predictions !== undefined) validateFinite("predictions", predictions);
  const work = certificateBuffers(problem);
  if (predictions !== undefined) {
    if (predictions.length !== problem.operator.rows) {
      throw new ShapeMismatchError(
        "predictions",
        `expected length ${problem.operator.rows}, got ${predictions.length}`,
      );
    }
    work.predictions.set(predictions);
  }
  return certifyInto(problem, x, work, predictions !== undefined);
}
