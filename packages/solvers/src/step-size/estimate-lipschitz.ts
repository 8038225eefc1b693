import { assertInteger, assertKnownOptions } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";

/**
 * Options of {@link estimateLipschitz}.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, type EstimateLipschitzOptions, estimateLipschitz, groupL2, squaredLoss } from "@convexformer/solvers";
 * // A = diag(3, 1): the constant is ‖A‖₂² = 9; the power iteration approaches it from below
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.fromRows([[3, 0], [0, 1]])),
 *   loss: squaredLoss(new Float64Array([1, 1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 0.1,
 * });
 * const one: EstimateLipschitzOptions = { iterations: 1 };
 * estimateLipschitz(problem, one); // ≈ 4.4315
 * // stop is polled before each product (two per iteration): stopping at the third poll keeps
 * // the estimate of the first iteration
 * let polls = 0;
 * estimateLipschitz(problem, { iterations: 30, stop: () => ++polls > 2 }) === estimateLipschitz(problem, one); // true
 * ```
 */
export interface EstimateLipschitzOptions {
  /** Power iterations on `AᵀA` (each one `apply` and one `adjoint`). Default 8. */
  readonly iterations?: number;
  /**
   * Polled before every product: when it returns `true` the iteration ends early with the
   * estimate so far (a solve's signal or time limit during set-up).
   */
  readonly stop?: () => boolean;
}

const OPTION_NAMES = ["iterations", "stop"] as const;

/**
 * An estimate of the Lipschitz constant of `∇(F∘A)`, `smoothness(F) · ‖A‖₂²`, by power
 * iteration on `AᵀA` from a fixed (deterministic) vector: `smoothness · ‖A v‖² / ‖v‖²` after
 * the last iteration. A *lower* bound of the true constant (the power iteration approaches
 * `‖A‖₂²` from below), so use it as the starting value of a backtracking line search such as
 * {@link BacktrackingLineSearch}, which raises it where needed. Falls back to
 * `max(smoothness, 1e-12)` when `A` is zero on every iterate.
 *
 * @param problem - the problem (only `operator`, `loss` and `dim` are read)
 * @param options - `iterations` (power iterations, an integer `≥ 1`, default 8) and `stop`
 *   (polled before every product to end early); unknown keys throw `InvalidOptionError`
 * @returns the estimate, finite and `> 0`
 * @throws InvalidOptionError when `options.iterations` is not an integer `≥ 1`
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, estimateLipschitz, groupL2, squaredLoss } from "@convexformer/solvers";
 * // A = diag(3, 1): ‖A‖₂² = 9, and the squared loss ½‖Ax − y‖² has smoothness 1
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.fromRows([[3, 0], [0, 1]])),
 *   loss: squaredLoss(new Float64Array([1, 1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 0.1,
 * });
 * Math.abs(estimateLipschitz(problem, { iterations: 30 }) - 9) < 1e-9; // true
 * ```
 */
export function estimateLipschitz(
  problem: CompositeProblem,
  options: EstimateLipschitzOptions = {},
): number {
  assertKnownOptions("options", options, OPTION_NAMES);
  const iterations = options.iterations ?? 8;
  assertInteger("options.iterations", iterations, 1);
  const { operator, loss } = problem;
  const n = problem.dim;
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + ((i * 7919) % 13) / 13;
  const av = new Float64Array(operator.rows);
  let w = new Float64Array(n);
  let rayleigh = 0;
  const stop = options.stop;
  for (let it = 0; it < iterations; it++) {
    if (stop?.() === true) break;
    let nv = 0;
    for (let i = 0; i < n; i++) nv += (v[i] as number) * (v[i] as number);
    nv = Math.sqrt(nv);
    if (nv === 0 || !Number.isFinite(nv)) break;
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) / nv;
    operator.apply(v, av);
    let s = 0;
    for (let i = 0; i < av.length; i++) s += (av[i] as number) * (av[i] as number);
    rayleigh = s;
    if (stop?.() === true) break;
    operator.adjoint(av, w);
    const tmp = v;
    v = w;
    w = tmp;
  }
  const L = loss.smoothness * rayleigh;
  return L > 0 && Number.isFinite(L) ? L : Math.max(loss.smoothness, 1e-12);
}
