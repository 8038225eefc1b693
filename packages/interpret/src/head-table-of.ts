import type { FitResult } from "@convexformer/attention";
import { convexSolutionOf } from "./convex-solution.js";
import { type HeadRow, headTable } from "./head-table.js";
import { type SequenceHeadRow, sequenceHeadTable } from "./sequence-head-table.js";

/**
 * The recovered-heads table of a `fitConvexAttention` result in one call: {@link headTable}
 * for (9), (12), (14), {@link sequenceHeadTable} for (33).
 *
 * @param fit - a result of `fitConvexAttention` from `@convexformer/attention` for (9), (12), (14)
 *   or the exact (33); a fit of the sequence relaxation is refused
 * @param options - `tolerance`: rows (blocks for (33)) with norm (row sum) `≤ tolerance` are left
 *   out (default 0)
 * @throws `InvalidOptionError` for a fit of the sequence relaxation (no recovered network)
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { headTableOf } from "@convexformer/interpret";
 * // exact instance 2: one head, on token 2
 * const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1]), lambda: 1 / 8, tolerance: 1e-12 });
 * const [head] = headTableOf(fit);
 * if (head !== undefined && "token" in head) head.token; // 2
 * ```
 */
export function headTableOf(
  fit: FitResult,
  options: { readonly tolerance?: number } = {},
): HeadRow[] | SequenceHeadRow[] {
  const solution = convexSolutionOf(fit);
  return solution.kind === "token"
    ? headTable(solution, options)
    : sequenceHeadTable(solution, options);
}
