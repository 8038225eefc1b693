import { type ConvexAttentionLayout, headsNeeded } from "@convexformer/attention";
import { validateInteger } from "@convexformer/tensors";

/**
 * The support of a token-program solution against the Carathéodory bound (docs/concepts.md#token-sparsity) and the
 * number of heads its recovered network needs (docs/concepts.md#maps).
 *
 * @example
 * ```ts
 * import type { SupportReport } from "@convexformer/interpret";
 * const r: SupportReport = { rows: 2, tokens: 2, bound: 3, withinBound: true, headsNeeded: 2, maxHeads: 2 };
 * ```
 */
export interface SupportReport {
  /** Nonzero rows `z_{j,l,k}` (exact zeros, as the proximal solvers and the pruning produce). */
  readonly rows: number;
  /** Distinct tokens `k` with at least one nonzero row. */
  readonly tokens: number;
  /** The Carathéodory bound `N·c + 1` (`N + 1` for scalar outputs). */
  readonly bound: number;
  /** `rows ≤ bound` (always true after `pruneSupport`; may be false for an unpruned optimum). */
  readonly withinBound: boolean;
  /**
   * Heads the recovered network needs: one per nonzero row, as `headsNeeded` of
   * `@convexformer/attention` (0 for the zero solution, whose network is the zero function).
   */
  readonly headsNeeded: number;
  /** `P·c·n`: the most distinct single-token heads the program has. */
  readonly maxHeads: number;
}

/**
 * Support size of a point of (9), (12) or (14), the bound `N·c + 1` and the heads needed.
 *
 * @param x - the variable, laid out as `layout`
 * @param layout - its layout
 * @param samples - `N`, the number of training samples
 *
 * @example
 * ```ts
 * import { supportReport } from "@convexformer/interpret";
 * // exact instance 1: both tokens used, N + 1 = 3
 * const r = supportReport(new Float64Array([7 / 8, -7 / 8]), { gates: 1, outputs: 1, tokens: 2, features: 1 }, 2);
 * r.rows;        // 2
 * r.bound;       // 3
 * r.headsNeeded; // 2
 * ```
 */
export function supportReport(
  x: Float64Array,
  layout: ConvexAttentionLayout,
  samples: number,
): SupportReport {
  validateInteger("samples", samples, 1);
  const rows = headsNeeded(x, layout);
  const { gates: P, outputs: c, tokens: n, features: d } = layout;
  const used = new Uint8Array(n);
  for (let g = 0; g < P * c * n; g++) {
    for (let q = 0; q < d; q++) {
      if (x[g * d + q] !== 0) {
        used[g % n] = 1;
        break;
      }
    }
  }
  const bound = samples * c + 1;
  return {
    rows,
    tokens: used.reduce((a, b) => a + b, 0),
    bound,
    withinBound: rows <= bound,
    headsNeeded: rows,
    maxHeads: P * c * n,
  };
}
