import type { NewtonSystemForm } from "./newton-system.js";

/** Bytes per float64 entry. */
const F64 = 8;

/**
 * The most memory, in bytes, the interior point may need for a `rows × cols` problem: the
 * dense design (`operator.toDense()`), its restriction to a working set (a copy of up to every
 * column), and the Newton system of the chosen form (every group in the working set, the worst
 * case): `cols²` for the primal form plus the cached Gram (squared loss) or `B = LᵀA`
 * (`rows × cols`), or `rows²` plus two `rows × cols` scratch matrices for the sample-space form.
 * `"auto"` counts the smaller of the two, as the solver picks the cheaper form. Computed in
 * floating point (the counts can exceed 2⁵³ for absurd sizes: the answer is then only huge,
 * never wrong in direction). @internal
 *
 * @example
 * ```ts
 * import { ipmMemoryBytes } from "./dense-memory.js"; // internal module
 * // 8 bytes × (design 1000 + restricted copy 1000 + primal system 100 + 100)
 * ipmMemoryBytes(100, 10, true, "primal"); // 17600
 * ```
 */
export function ipmMemoryBytes(
  rows: number,
  cols: number,
  quadratic: boolean,
  form: NewtonSystemForm,
): number {
  const design = rows * cols;
  const restricted = rows * cols;
  const primal = cols * cols + (quadratic ? cols * cols : rows * cols);
  const dual = rows * rows + 2 * rows * cols;
  const system = form === "primal" ? primal : form === "dual" ? dual : Math.min(primal, dual);
  return F64 * (design + restricted + system);
}
