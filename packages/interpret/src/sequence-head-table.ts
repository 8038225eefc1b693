import { InvalidOptionError } from "@convexformer/tensors";
import { checkSolution, type SequenceProgramSolution } from "./convex-solution.js";
import { checkTolerance } from "./internal/check-tolerance.js";

/**
 * One recovered head of the exact sequence program (33) (docs/concepts.md#maps): block `(q, l, ±)` with row
 * sum `t > 0` becomes a head with `W_1 = C/t`, `W_2 = ±√t E_{ql}`, `α = √t`.
 *
 * @example
 * ```ts
 * import type { SequenceHeadRow } from "@convexformer/interpret";
 * const row: SequenceHeadRow = { head: 1, feature: 1, output: 1, sign: 1, mass: 1, topToken: 1, topTokenShare: 1 };
 * ```
 */
export interface SequenceHeadRow {
  /** Head number (1-based), in the order `recoverSequenceNetwork` builds them. */
  readonly head: number;
  /** The feature `q` it reads (1-based). */
  readonly feature: number;
  /** The output `l` it writes (1-based). */
  readonly output: number;
  /** `+1` for a block of `C⁺`, `−1` for `C⁻`. */
  readonly sign: 1 | -1;
  /** `t`: the common row sum of the block (the head's share of the penalty). */
  readonly mass: number;
  /** The source token (1-based) with the largest column mass in `W_1 = C/t`. */
  readonly topToken: number;
  /** That column's share of `W_1`'s total mass `n` (1 when every row reads that token only). */
  readonly topTokenShare: number;
}

/**
 * The recovered heads of a solution of the exact sequence program (33): one row per nonzero
 * block `(q, l, ±)` (blocks whose rows do not all have a positive sum are left out, as by
 * `recoverSequenceNetwork`).
 *
 * @param solution - a solution of the exact sequence program (33) (`program` `"sequence"`,
 *   `layout.signs` 2) with its layout; checked by {@link checkSolution}
 * @param options - `tolerance`: blocks with row sum `t ≤ tolerance` are left out (default 0, a
 *   finite number ≥ 0)
 * @throws `InvalidOptionError` for a solution of the relaxation (it has no recovered network)
 *
 * @example
 * ```ts
 * import { sequenceHeadTable } from "@convexformer/interpret";
 * const rows = sequenceHeadTable({ kind: "sequence", program: "sequence", samples: 1,
 *   x: new Float64Array([1, 0, 1, 0, 0, 0, 0, 0]), layout: { tokens: 2, features: 1, outputs: 1, signs: 2 } });
 * rows; // [{ head: 1, feature: 1, output: 1, sign: 1, mass: 1, topToken: 1, topTokenShare: 1 }]
 * ```
 */
export function sequenceHeadTable(
  solution: SequenceProgramSolution,
  options: { readonly tolerance?: number } = {},
): SequenceHeadRow[] {
  checkSolution(solution);
  const tolerance = checkTolerance(options);
  if (solution.program !== "sequence" || solution.layout.signs !== 2) {
    throw new InvalidOptionError(
      "solution.program",
      solution.program,
      "only the exact program (33) maps to heads of (30); the max-row-sum form is a relaxation",
    );
  }
  const { tokens: n, features: d, outputs: c } = solution.layout;
  const nn = n * n;
  const x = solution.x;
  const rows: SequenceHeadRow[] = [];
  const column = new Float64Array(n);
  for (let q = 0; q < d; q++) {
    for (let l = 0; l < c; l++) {
      for (let s = 0; s < 2; s++) {
        const base = ((q * c + l) * 2 + s) * nn;
        let lo = Infinity;
        let hi = -Infinity;
        column.fill(0);
        for (let k = 0; k < n; k++) {
          let sum = 0;
          for (let m = 0; m < n; m++) sum += x[base + k * n + m] as number;
          lo = Math.min(lo, sum);
          hi = Math.max(hi, sum);
          for (let m = 0; m < n; m++) {
            column[m] = (column[m] as number) + (x[base + k * n + m] as number) / sum;
          }
        }
        const t = (lo + hi) / 2;
        if (!(lo > 0 && t > tolerance)) continue;
        let top = 0;
        for (let m = 1; m < n; m++) if ((column[m] as number) > (column[top] as number)) top = m;
        rows.push({
          head: rows.length + 1,
          feature: q + 1,
          output: l + 1,
          sign: s === 0 ? 1 : -1,
          mass: t,
          topToken: top + 1,
          topTokenShare: (column[top] as number) / n,
        });
      }
    }
  }
  return rows;
}
