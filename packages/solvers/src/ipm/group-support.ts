import type { Certificate } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";

/**
 * Group-wise quantities the working-set and screening logic of the interior point and ADMM
 * share: the scores `‖A_gᵀ∇F(Ax)‖ / w_g` (a group may be nonzero at the optimum only if its
 * score can reach `λ`) and the gap-safe screening test.
 *
 * @example
 * ```ts
 * import { groupScores } from "./group-support.js"; // internal module
 * const scores = groupScores(new Float64Array([3, 4, 1]), new Int32Array([0, 2, 3]), new Float64Array([1, 2]));
 * // [5, 0.5]
 * ```
 *
 * @param gradient - `Aᵀ∇F(Ax)` (length `dim`)
 * @param ptr - group offsets
 * @param weights - group weights
 * @returns one score per group
 */
export function groupScores(
  gradient: Float64Array,
  ptr: Int32Array,
  weights: Float64Array,
): Float64Array {
  const G = weights.length;
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++)
      s += (gradient[j] as number) ** 2;
    out[g] = Math.sqrt(s) / (weights[g] as number);
  }
  return out;
}

/**
 * Frobenius norms of each group's columns of a dense row-major design (upper bounds on the
 * spectral norms `‖A_g‖₂` the gap-safe test needs).
 *
 * @param a - `A`, row-major
 * @param rows - rows
 * @param cols - columns
 * @param ptr - group offsets
 * @returns one norm per group
 *
 * @example
 * ```ts
 * import { groupColumnNorms } from "./group-support.js"; // internal module
 * groupColumnNorms(new Float64Array([3, 0, 4, 1]), 2, 2, new Int32Array([0, 1, 2])); // [5, 1]
 * ```
 */
export function groupColumnNorms(
  a: Float64Array,
  rows: number,
  cols: number,
  ptr: Int32Array,
): Float64Array {
  const colSq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) colSq[j] = (colSq[j] as number) + (a[o + j] as number) ** 2;
  }
  const G = ptr.length - 1;
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) s += colSq[j] as number;
    out[g] = Math.sqrt(s);
  }
  return out;
}

/**
 * Gap-safe screening (Ndiaye et al.): the dual optimum lies within `r = sqrt(2 L gap)` of
 * the certificate's dual point `u = s·(−∇F(Ax))` (the dual is `1/L`-strongly concave, `L` the
 * loss's smoothness), so a group with `s·score_g·w_g + r‖A_g‖ < λ w_g` is zero at every
 * optimum. Marks such groups in `screened` and returns how many were newly marked.
 *
 * @param problem - the problem (for `λ` and `L`)
 * @param certificate - a certificate of the current iterate
 * @param scores - {@link groupScores} at the iterate
 * @param weights - group weights
 * @param columnNorms - {@link groupColumnNorms}
 * @param screened - per-group flags, updated
 * @returns the number of groups newly screened out
 *
 * @example
 * ```ts
 * import { gapSafeScreen } from "./group-support.js"; // internal module
 * declare const problem: import("../composite-problem.js").CompositeProblem;
 * declare const cert: import("../certificate.js").Certificate;
 * declare const scores: Float64Array, weights: Float64Array, norms: Float64Array;
 * gapSafeScreen(problem, cert, scores, weights, norms, new Uint8Array(weights.length));
 * ```
 */
export function gapSafeScreen(
  problem: CompositeProblem,
  certificate: Certificate,
  scores: Float64Array,
  weights: Float64Array,
  columnNorms: Float64Array,
  screened: Uint8Array,
): number {
  const gap = Math.max(0, certificate.objective - certificate.dualObjective);
  if (!Number.isFinite(gap)) return 0;
  const radius = Math.sqrt(2 * problem.loss.smoothness * gap);
  const lambda = problem.lambda;
  let count = 0;
  for (let g = 0; g < weights.length; g++) {
    if (screened[g] === 1) continue;
    const w = weights[g] as number;
    const bound =
      certificate.dualScale * (scores[g] as number) * w + radius * (columnNorms[g] as number);
    if (bound < lambda * w * (1 - 1e-12)) {
      screened[g] = 1;
      count++;
    }
  }
  return count;
}
