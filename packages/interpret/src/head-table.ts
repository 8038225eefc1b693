import { checkSolution, type TokenProgramSolution } from "./convex-solution.js";
import { checkTolerance } from "./internal/check-tolerance.js";
import { norm2 } from "./internal/norm2.js";

/**
 * One recovered head of a token program (docs/concepts.md#maps): it attends to exactly one token
 * (`w_1 = e_k`), feeds one output `l` through gate `j`, and carries weight `‖z_{j,l,k}‖₂`
 * (`w_2 = z/√‖z‖`, `α = √‖z‖ e_l`).
 *
 * @example
 * ```ts
 * import type { HeadRow } from "@convexformer/interpret";
 * const row: HeadRow = { head: 1, token: 2, output: 1, gate: 1, norm: 0.875 };
 * ```
 */
export interface HeadRow {
  /** Head number (1-based), in the order `recoverNetwork` of `@convexformer/attention` builds them. */
  readonly head: number;
  /** The token the head attends to (1-based, as in the paper). */
  readonly token: number;
  /** The output it feeds (1-based). */
  readonly output: number;
  /** Its gate (1-based; always 1 for (9) and (12)). */
  readonly gate: number;
  /** `‖z_{j,l,k}‖₂`: the head's weight norm (its share of the penalty). */
  readonly norm: number;
}

/**
 * The recovered heads of a solution of (9), (12) or (14) as a table: one row per nonzero row
 * `z_{j,l,k}` in storage order (gate, then output, then token), the same order and count as
 * the heads of `recoverNetwork`.
 *
 * @param solution - a solution of (9), (12) or (14) with its layout and sample count (e.g. from
 *   {@link convexSolutionOf}); checked by {@link checkSolution}
 * @param options - `tolerance`: rows with `‖z‖₂ ≤ tolerance` are left out (default 0, a finite
 *   number ≥ 0)
 *
 * @example
 * ```ts
 * import { headTable } from "@convexformer/interpret";
 * // exact instance 2: the one head attends to token 2 (the paper's map would read token 1)
 * const rows = headTable({ kind: "token", program: "scalar", samples: 1, gates: undefined,
 *   x: new Float64Array([0, 7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * rows; // [{ head: 1, token: 2, output: 1, gate: 1, norm: 0.875 }]
 * ```
 */
export function headTable(
  solution: TokenProgramSolution,
  options: { readonly tolerance?: number } = {},
): HeadRow[] {
  checkSolution(solution);
  const tolerance = checkTolerance(options);
  const { gates: P, outputs: c, tokens: n, features: d } = solution.layout;
  const x = solution.x;
  const rows: HeadRow[] = [];
  for (let g = 0; g < P * c * n; g++) {
    const norm = norm2(x, g * d, d);
    if (!(norm > tolerance)) continue;
    const k = g % n;
    const jl = (g - k) / n;
    const l = jl % c;
    const j = (jl - l) / c;
    rows.push({ head: rows.length + 1, token: k + 1, output: l + 1, gate: j + 1, norm });
  }
  return rows;
}
