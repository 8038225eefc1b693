import type { GroupStructure } from "@convexformer/solvers";
import { assertInteger } from "@convexformer/tensors";

/**
 * Shape of the variable of the convex programs (9), (12) and (14): one `n × d` matrix
 * `Z_{j,l}` per gate `j` and output `l`, with rows `z_{j,l,k}` (one per token `k`). The
 * scalar program (9) is `gates = outputs = 1`, the vector program (12) is `gates = 1`.
 *
 * Storage is one flat `Float64Array` of length `gates · outputs · tokens · features`, entry
 * `(j, l, k, q)` at `((j·outputs + l)·tokens + k)·features + q`; group `(j, l, k)` (one row,
 * `features` entries, contiguous) has index `(j·outputs + l)·tokens + k`.
 *
 * @example
 * ```ts
 * import { type ConvexAttentionLayout, layoutDimension } from "@convexformer/attention";
 * const layout: ConvexAttentionLayout = { gates: 1, outputs: 3, tokens: 4, features: 8 };
 * layoutDimension(layout); // 96
 * ```
 */
export interface ConvexAttentionLayout {
  /** `P`: number of gates (1 for the ungated programs). */
  readonly gates: number;
  /** `c`: number of outputs (1 for scalar targets). */
  readonly outputs: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
}

/**
 * Number of variables `P · c · n · d` of a convex attention program.
 *
 * @param layout - the four sizes `gates` (`P`), `outputs` (`c`), `tokens` (`n`), `features` (`d`),
 *   each an integer ≥ 1 (`InvalidOptionError` naming the field otherwise)
 *
 * @example
 * ```ts
 * import { layoutDimension } from "@convexformer/attention";
 * layoutDimension({ gates: 2, outputs: 1, tokens: 3, features: 4 }); // 24
 * ```
 */
export function layoutDimension(layout: ConvexAttentionLayout): number {
  validateLayout(layout);
  return layout.gates * layout.outputs * layout.tokens * layout.features;
}

/**
 * The group structure of a convex attention program: one group per row `z_{j,l,k}` (size `d`),
 * `P · c · n` groups with unit weights, in the storage order of {@link ConvexAttentionLayout}.
 *
 * @param layout - the four sizes, checked as in {@link layoutDimension}
 *
 * @example
 * ```ts
 * import { layoutGroups } from "@convexformer/attention";
 * const groups = layoutGroups({ gates: 1, outputs: 1, tokens: 2, features: 3 });
 * groups.count; // 2
 * groups.ptr;   // Int32Array [0, 3, 6]
 * ```
 */
export function layoutGroups(layout: ConvexAttentionLayout): GroupStructure {
  validateLayout(layout);
  const count = layout.gates * layout.outputs * layout.tokens;
  const ptr = new Int32Array(count + 1);
  for (let g = 0; g <= count; g++) ptr[g] = g * layout.features;
  const weights = new Float64Array(count).fill(1);
  return { count, ptr, weights };
}

/** Validates the four sizes of a layout (internal). */
export function validateLayout(layout: ConvexAttentionLayout): void {
  assertInteger("layout.gates", layout.gates, 1);
  assertInteger("layout.outputs", layout.outputs, 1);
  assertInteger("layout.tokens", layout.tokens, 1);
  assertInteger("layout.features", layout.features, 1);
}
