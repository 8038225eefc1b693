import {
  assertInteger,
  assertKnownOptions,
  createRng,
  groupNorms,
  type Rng,
} from "@convexformer/tensors";
import { attentionOperator } from "./attention-operator.js";
import type { AttentionProblem } from "./attention-problem.js";
import { gatePatterns } from "./gate-patterns.js";
import { validateArray } from "./model-input-validation.js";

/**
 * Outcome of {@link checkFreshGates}.
 *
 * @example
 * ```ts
 * import { checkFreshGates, type FreshGateReport, gatedAttentionProblem, sampleGates } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(3, 2, 2, Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)));
 * const problem = gatedAttentionProblem(X, sampleGates(X, 4, { seed: 1 }), squaredLoss(new Float64Array([1, 0, -1])), 10);
 * // λ = 10 is above λ_max for every gate here: no sampled gate improves the optimum
 * const report: FreshGateReport = checkFreshGates(problem, new Float64Array(problem.dim), { count: 20, seed: 2 });
 * report.gates; // 20
 * report.violations; // 0
 * ```
 */
export interface FreshGateReport {
  /** `K`: fresh gates drawn. */
  readonly gates: number;
  /** How many fresh gates violate the dual constraint `max_{l,k} ‖A_{(j,l,k)}ᵀ u‖ ≤ λ`. */
  readonly violations: number;
  /** Worst ratio `max_{j,l,k} ‖A_{(j,l,k)}ᵀ u‖ / λ` over the fresh gates (≤ 1: no violation). */
  readonly worstRatio: number;
  /** Per fresh gate, `max_{l,k} ‖A_{(j,l,k)}ᵀ u‖ / λ`. */
  readonly ratios: Float64Array;
  /** The scale `s` of the dual point `u = −s ∇F(A x)` (docs/concepts.md#certificates). */
  readonly dualScale: number;
}

/**
 * Options of {@link checkFreshGates}.
 *
 * @example
 * ```ts
 * import { checkFreshGates, type FreshGateOptions, gatedAttentionProblem, sampleGates } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(3, 2, 2, Float64Array.from({ length: 12 }, (_, i) => Math.cos(i)));
 * const problem = gatedAttentionProblem(X, sampleGates(X, 2, { seed: 3 }), squaredLoss(new Float64Array([1, 1, -1])), 50);
 * const options: FreshGateOptions = { count: 8, seed: 7 };
 * checkFreshGates(problem, new Float64Array(problem.dim), options).gates; // 8
 * ```
 */
export interface FreshGateOptions {
  /** Number of fresh gates `K` (default 100). */
  readonly count?: number;
  /** Seed of the fresh gates (default 1; use one different from the training gates' seed). */
  readonly seed?: number;
  /** A random stream instead of `seed`. */
  readonly rng?: Rng;
  /** A ratio counts as a violation when it exceeds `1 + tolerance` (default 1e-9). */
  readonly tolerance?: number;
}

/**
 * Global-optimality check of the gated program (14) against gates that were not sampled
 * (docs/concepts.md#certificates): builds the dual point `u = s·(−∇F(A x))`, `s = min(1, λ / max_g ‖A_gᵀ v‖)` at the
 * solution `x`, draws `K` fresh Gaussian gates, and tests `‖(D X)ᵀ u‖ ≤ λ` for their groups
 * (one product with `X_flat`). A violation means the optimum over the sampled gates is not the
 * optimum over all gate patterns; adding that gate would lower the objective.
 *
 * @param problem - the gated program (14) the solution belongs to (from
 *   {@link gatedAttentionProblem}); its data, loss, `λ` and layout are used
 * @param x - the solution to check, of length `problem.dim` (finite entries)
 * @param options - {@link FreshGateOptions}: `count` fresh gates (default 100), `seed` (default 1)
 *   or `rng`, `tolerance` (default 1e-9); unknown keys are errors
 *
 * @example
 * ```ts
 * import { checkFreshGates, gatedAttentionProblem, sampleGates } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(3, 2, 2, Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)));
 * const problem = gatedAttentionProblem(X, sampleGates(X, 4, { seed: 1 }), squaredLoss(new Float64Array([1, 0, -1])), 10);
 * const report = checkFreshGates(problem, new Float64Array(problem.dim), { count: 20, seed: 2 });
 * // λ = 10 is above λ_max for every gate here
 * report.violations; // 0
 * ```
 */
export function checkFreshGates(
  problem: AttentionProblem,
  x: Float64Array,
  options: FreshGateOptions = {},
): FreshGateReport {
  assertKnownOptions("options", options, ["count", "seed", "rng", "tolerance"]);
  const K = options.count ?? 100;
  assertInteger("options.count", K, 1);
  const tolerance = options.tolerance ?? 1e-9;
  validateArray("x", x, problem.dim);
  const { operator, loss, regularizer, lambda } = problem;
  const predictions = new Float64Array(operator.rows);
  operator.apply(x, predictions);
  const v = new Float64Array(operator.rows);
  loss.gradient(predictions, v);
  for (let i = 0; i < v.length; i++) v[i] = -(v[i] as number);
  const atv = new Float64Array(problem.dim);
  operator.adjoint(v, atv);
  const polar = regularizer.polar(atv);
  const s = polar > lambda ? lambda / polar : 1;
  for (let i = 0; i < v.length; i++) v[i] = s * (v[i] as number);
  // fresh gates and their groups
  const X = operator.data;
  const { tokens: n, features: d, outputs: c } = problem.layout;
  const rng = options.rng ?? createRng(options.seed ?? 1);
  const u1 = rng.fillNormal(new Float64Array(K * n));
  const u2 = rng.fillNormal(new Float64Array(K * d));
  const fresh = attentionOperator(X, c, gatePatterns({ u1, u2 }, X));
  const g = new Float64Array(fresh.cols);
  fresh.adjoint(v, g);
  const groups = K * c * n;
  const ptr = new Int32Array(groups + 1);
  for (let t = 0; t <= groups; t++) ptr[t] = t * d;
  const norms = new Float64Array(groups);
  groupNorms(groups, ptr, g, 1, 0, norms, 1, 0);
  const ratios = new Float64Array(K);
  let violations = 0;
  let worst = 0;
  for (let j = 0; j < K; j++) {
    let r = 0;
    for (let t = j * c * n; t < (j + 1) * c * n; t++)
      r = Math.max(r, (norms[t] as number) / lambda);
    ratios[j] = r;
    if (r > 1 + tolerance) violations++;
    worst = Math.max(worst, r);
  }
  return { gates: K, violations, worstRatio: worst, ratios, dualScale: s };
}
