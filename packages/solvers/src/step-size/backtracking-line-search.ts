import { assertKnownOptions, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";

/**
 * Options of {@link BacktrackingLineSearch}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { BacktrackingLineSearch, type BacktrackingLineSearchOptions, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: ∇(F∘A) is 1-Lipschitz
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * // start at L = 0.25, grow ×4 on rejection, shrink ÷2 after each accepted step
 * const options: BacktrackingLineSearchOptions = { lipschitz: 0.25, increase: 4, decrease: 2 };
 * const search = new BacktrackingLineSearch(problem, options);
 * const out = { x: new Float64Array(2), predictions: new Float64Array(2) };
 * const step = search.step(new Float64Array(2), new Float64Array(2), new Float64Array([-1, 1]), out);
 * step.lipschitz; // 1
 * step.trials; // 2
 * search.lipschitz; // 0.5
 * new BacktrackingLineSearch(problem, { lipschitz: 1, increase: 1 }); // throws InvalidOptionError
 * ```
 */
export interface BacktrackingLineSearchOptions {
  /** The starting Lipschitz estimate `L > 0` (e.g. from `estimateLipschitz`). */
  readonly lipschitz: number;
  /** Factor by which `L` grows after a rejected trial (`> 1`). Default 2. */
  readonly increase?: number;
  /** Factor by which `L` shrinks after an accepted step (`≥ 1`; 1 keeps it). Default 1. */
  readonly decrease?: number;
}

/**
 * What one {@link BacktrackingLineSearch.step} found.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { BacktrackingLineSearch, type BacktrackingStep, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1, one step from y = 0 (A y = 0, ∇(F∘A)(0) = −(1, −1)) with L = 0.25 to start
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const out = { x: new Float64Array(2), predictions: new Float64Array(2) };
 * const step: BacktrackingStep = new BacktrackingLineSearch(problem, { lipschitz: 0.25 }).step(
 *   new Float64Array(2), new Float64Array(2), new Float64Array([-1, 1]), out,
 * );
 * // L = 0.25 and 0.5 are rejected, L = 1 (the true constant) accepted: x⁺ = (7/8, −7/8)
 * step.trials; // 3
 * step.lipschitz; // 1
 * step.smoothValue; // 1/64
 * step.test; // "value"
 * ```
 */
export interface BacktrackingStep {
  /** The `L` the step was accepted with (the step size was `1/L`). */
  readonly lipschitz: number;
  /** `F(A x⁺)`, the smooth part at the new point. */
  readonly smoothValue: number;
  /** Trials (prox evaluations) it took, `≥ 1`. */
  readonly trials: number;
  /** Which test accepted it: the function values, or the gradient difference near rounding. */
  readonly test: "value" | "gradient";
}

const OPTION_NAMES = ["lipschitz", "increase", "decrease"] as const;
/** Above this many units of rounding, the value test decides; below, the gradient test. */
const NOISE_UNITS = 1024;
/** Trials before giving up on a step (`L` has grown by `increase^60` by then). */
const MAX_TRIALS = 60;

/**
 * The backtracking line search of a proximal-gradient step, with the sufficient-decrease test
 * made robust to rounding near the optimum. From `y` (with `A y` and `∇(F∘A)(y) = Aᵀ∇F(Ay)`)
 * it tries `x⁺ = prox_{(λ/L) R}(y − ∇(F∘A)(y)/L)` and accepts when, with `d = x⁺ − y`,
 *
 * - `F(Ax⁺) ≤ F(Ay) + ⟨∇(F∘A)(y), d⟩ + (L/2)‖d‖²` (the descent lemma, on values) while
 *   `(L/2)‖d‖²` is well above the rounding of those values (1024 ulps of their magnitude), or
 * - `⟨∇F(Ax⁺) − ∇F(Ay), A d⟩ ≤ (L/2)‖d‖²` (the gradient-difference form) when it is not:
 *   for a convex `F` the left side bounds `F(Ax⁺) − F(Ay) − ⟨∇(F∘A)(y), d⟩` from above, so
 *   the same decrease holds, and it is computed from differences that do not cancel (up to
 *   the rounding of the gradients themselves, 1024 ulps, below which the step is taken).
 *
 * Otherwise `L` grows by `increase` and it tries again. Near the optimum the function values
 * of successive iterates agree to rounding and the value test alone would reject good steps
 * (driving `L` up and the step to zero) or accept bad ones; the gradient test keeps the step
 * size honest there. Each trial costs one `apply`, one prox and one loss gradient (no
 * `adjoint`). The caller keeps `y` (nothing given is written to except `out`).
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { BacktrackingLineSearch, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * // exact instance 1: A = I, y = (1, −1), λ = 1/8; optimum (7/8, −7/8)
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const search = new BacktrackingLineSearch(problem, { lipschitz: 0.25 });
 * const x = new Float64Array(2); // y = 0: A y = 0, ∇(F∘A)(0) = −(1, −1)
 * const out = { x: new Float64Array(2), predictions: new Float64Array(2) };
 * const step = search.step(x, new Float64Array(2), new Float64Array([-1, 1]), out);
 * // 0.25 and 0.5 rejected; 1, the true constant, accepted
 * step.lipschitz; // 1
 * out.x[0]; // 0.875
 * ```
 */
export class BacktrackingLineSearch {
  /** The current estimate `L` (starts at `options.lipschitz`; every step leaves it where it accepted, divided by `decrease`). */
  lipschitz: number;

  private readonly problem: CompositeProblem;
  private readonly increase: number;
  private readonly decrease: number;
  private readonly lossGradientAtY: Float64Array;
  private readonly lossGradientAtX: Float64Array;

  /**
   * @param problem - the problem the steps are for
   * @param options - the starting `L`, and the growth and shrink factors
   * @throws InvalidOptionError naming the option when `lipschitz` is not finite and `> 0`,
   *   `increase ≤ 1` or `decrease < 1`
   */
  constructor(problem: CompositeProblem, options: BacktrackingLineSearchOptions) {
    assertKnownOptions("options", options, OPTION_NAMES);
    const { lipschitz, increase = 2, decrease = 1 } = options;
    if (!(typeof lipschitz === "number" && Number.isFinite(lipschitz) && lipschitz > 0)) {
      throw new InvalidOptionError("options.lipschitz", lipschitz, "must be a finite number > 0");
    }
    if (!(typeof increase === "number" && Number.isFinite(increase) && increase > 1)) {
      throw new InvalidOptionError("options.increase", increase, "must be a finite number > 1");
    }
    if (!(typeof decrease === "number" && Number.isFinite(decrease) && decrease >= 1)) {
      throw new InvalidOptionError("options.decrease", decrease, "must be a finite number >= 1");
    }
    this.problem = problem;
    this.lipschitz = lipschitz;
    this.increase = increase;
    this.decrease = decrease;
    this.lossGradientAtY = new Float64Array(problem.operator.rows);
    this.lossGradientAtX = new Float64Array(problem.operator.rows);
  }

  /**
   * One accepted proximal-gradient step from `y`.
   *
   * @param y - the point to step from (length `dim`; not modified)
   * @param predictions - `A y` (length `rows`; not modified)
   * @param gradient - `∇(F∘A)(y) = Aᵀ∇F(Ay)` (length `dim`; not modified)
   * @param out - receives `x⁺` in `out.x` and `A x⁺` in `out.predictions` (must not alias the inputs)
   * @returns the accepted `L`, `F(Ax⁺)`, the trials and the test that accepted
   * @throws ShapeMismatchError when a length is wrong
   */
  step(
    y: Float64Array,
    predictions: Float64Array,
    gradient: Float64Array,
    out: { readonly x: Float64Array; readonly predictions: Float64Array },
  ): BacktrackingStep {
    const { operator, loss, regularizer, lambda, dim } = this.problem;
    const rows = operator.rows;
    for (const [name, array, length] of [
      ["y", y, dim],
      ["predictions", predictions, rows],
      ["gradient", gradient, dim],
      ["out.x", out.x, dim],
      ["out.predictions", out.predictions, rows],
    ] as const) {
      if (array.length !== length) {
        throw new ShapeMismatchError(name, `expected length ${length}, got ${array.length}`);
      }
    }
    const z = out.x;
    const Az = out.predictions;
    const gy = this.lossGradientAtY;
    const gz = this.lossGradientAtX;
    const Fy = loss.gradient(predictions, gy);
    let L = this.lipschitz;
    let Fz = Number.NaN;
    let test: "value" | "gradient" = "value";
    let trials = 0;
    while (trials < MAX_TRIALS) {
      trials++;
      const t = 1 / L;
      for (let i = 0; i < dim; i++) z[i] = (y[i] as number) - t * (gradient[i] as number);
      regularizer.prox(z, lambda * t, z);
      let lin = 0;
      let sq = 0;
      for (let i = 0; i < dim; i++) {
        const d = (z[i] as number) - (y[i] as number);
        lin += (gradient[i] as number) * d;
        sq += d * d;
      }
      operator.apply(z, Az);
      Fz = loss.gradient(Az, gz);
      if (sq === 0) break; // a fixed point: y is optimal for this step size
      const quadratic = 0.5 * L * sq;
      const noise = NOISE_UNITS * Number.EPSILON * (Math.abs(Fy) + Math.abs(Fz) + Math.abs(lin));
      let accepted: boolean;
      if (quadratic > noise) {
        test = "value";
        accepted = Fz - Fy - lin <= quadratic;
      } else {
        test = "gradient";
        let curvature = 0;
        let scale = 0;
        for (let i = 0; i < rows; i++) {
          const dp = (Az[i] as number) - (predictions[i] as number);
          const gi = gz[i] as number;
          const gyi = gy[i] as number;
          curvature += (gi - gyi) * dp;
          scale += (Math.abs(gi) + Math.abs(gyi)) * Math.abs(dp);
        }
        // below the rounding of the gradient difference itself the step is at the floor of
        // what float64 resolves: take it (rejecting would only shrink it further)
        accepted = curvature <= quadratic + NOISE_UNITS * Number.EPSILON * scale;
      }
      if (accepted && Number.isFinite(Fz)) break;
      if (L * this.increase > Number.MAX_VALUE) break;
      L *= this.increase;
    }
    this.lipschitz = L / this.decrease;
    return { lipschitz: L, smoothValue: Fz, trials, test };
  }
}
