import {
  type ConvexAttentionLayout,
  layoutDimension,
  validateLayout,
} from "./convex-attention-layout.js";
import { rowNorm } from "./convex-maps.js";
import { validateArray } from "./model-input-validation.js";

/**
 * The convex model's "attention map" (docs/concepts.md#token-sparsity): the row norms `‖z_{j,l,k}‖₂`.
 *
 * @example
 * ```ts
 * import { tokenImportance } from "@convexformer/attention";
 * const t = tokenImportance(new Float64Array([3, 4, 0, 0]), { gates: 1, outputs: 1, tokens: 2, features: 2 });
 * t.perToken; // Float64Array [5, 0]
 * ```
 */
export interface TokenImportance {
  /** `P × c × n` row-major: `‖z_{j,l,k}‖₂` per gate `j`, output `l`, token `k`. */
  readonly norms: Float64Array;
  /** `n`: `Σ_{j,l} ‖z_{j,l,k}‖₂`, the total weight on token `k`. */
  readonly perToken: Float64Array;
  /** `c × n` row-major: `Σ_j ‖z_{j,l,k}‖₂` per output. */
  readonly perOutput: Float64Array;
  /** `P × n` row-major: `Σ_l ‖z_{j,l,k}‖₂` per gate. */
  readonly perGate: Float64Array;
}

/**
 * Token-importance profile of a point of (9), (12) or (14): row norms per gate, output and
 * token, and their sums per token, per output and per gate.
 *
 * @param x - a point of (9), (12) or (14) in the storage order of `layout` (length `P·c·n·d`,
 *   finite entries; not modified)
 * @param layout - its layout ({@link ConvexAttentionLayout}: `gates`, `outputs`, `tokens`,
 *   `features`, each an integer ≥ 1)
 *
 * @example
 * ```ts
 * import { tokenImportance } from "@convexformer/attention";
 * // exact instance 2: all weight on token 2
 * tokenImportance(new Float64Array([0, 7 / 8]), { gates: 1, outputs: 1, tokens: 2, features: 1 }).perToken;
 * // Float64Array [0, 0.875]
 * ```
 */
export function tokenImportance(x: Float64Array, layout: ConvexAttentionLayout): TokenImportance {
  validateLayout(layout);
  validateArray("x", x, layoutDimension(layout));
  const { gates: P, outputs: c, tokens: n, features: d } = layout;
  const norms = new Float64Array(P * c * n);
  const perToken = new Float64Array(n);
  const perOutput = new Float64Array(c * n);
  const perGate = new Float64Array(P * n);
  for (let j = 0; j < P; j++) {
    for (let l = 0; l < c; l++) {
      for (let k = 0; k < n; k++) {
        const g = (j * c + l) * n + k;
        const v = rowNorm(x, g * d, d);
        norms[g] = v;
        perToken[k] = (perToken[k] as number) + v;
        perOutput[l * n + k] = (perOutput[l * n + k] as number) + v;
        perGate[j * n + k] = (perGate[j * n + k] as number) + v;
      }
    }
  }
  return { norms, perToken, perOutput, perGate };
}
