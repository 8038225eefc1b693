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
