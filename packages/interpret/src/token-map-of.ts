import type { FitResult } from "@convexformer/attention";
import { convexSolutionOf } from "./convex-solution.js";
import { type SequenceTokenMap, sequenceTokenMap } from "./sequence-token-map.js";
import { type TokenMap, tokenMap } from "./token-map.js";

/**
 * The token map of a `fitConvexAttention` result in one call: {@link tokenMap} for (9), (12),
 * (14), {@link sequenceTokenMap} for (33) and its relaxation.
 *
 * @param fit - a result of `fitConvexAttention` from `@convexformer/attention` (any program); only
 *   its solution, problem layout, sample count and gates are read
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { tokenMapOf } from "@convexformer/interpret";
 * // exact instance 1: both tokens carry 7/8, two heads, bound N + 1 = 3
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8, tolerance: 1e-12 });
 * const m = tokenMapOf(fit);
 * if (m.kind === "token") m.support.headsNeeded; // 2
 * ```
 */
export function tokenMapOf(fit: FitResult): TokenMap | SequenceTokenMap {
  const solution = convexSolutionOf(fit);
  return solution.kind === "token" ? tokenMap(solution) : sequenceTokenMap(solution);
}
