import { Matrix } from "@convexformer/tensors";
import { checkSolution, type SequenceProgramSolution } from "./convex-solution.js";

/**
 * Token map of the sequence programs (33): for every feature `q` and output `l`, the signed
 * block `B_{ql} = C⁺_{ql} − C⁻_{ql}` (exact form) or `C_{ql}` (relaxation) mixes the tokens
 * (`Ŷ[:, l] = Σ_q B_{ql} X[:, q]`). Its **row mass** `Σ_m |B[k, m]|` says how strongly output
 * token `k` is produced, its **column mass** `Σ_k |B[k, m]|` how strongly source token `m` is
 * read.
 *
 * @example
 * ```ts
 * import { sequenceTokenMap } from "@convexformer/interpret";
 * const m = sequenceTokenMap({ kind: "sequence", program: "sequence", samples: 1,
 *   x: new Float64Array([1, 0, 1, 0, 0, 0, 0, 0]), layout: { tokens: 2, features: 1, outputs: 1, signs: 2 } });
 * m.perToken; // Float64Array [2, 0]: both rows read token 1
 * ```
 */
export interface SequenceTokenMap {
  /** Discriminant. */
  readonly kind: "sequence";
  /** The exact program (33) or the relaxation. */
  readonly program: "sequence" | "sequence-relaxed";
  /** `n`: tokens. */
  readonly tokens: number;
  /** `d`: features. */
  readonly features: number;
  /** `c`: outputs. */
  readonly outputs: number;
  /** `(d·c) × n`: row `q·c + l` holds the row masses `Σ_m |B_{ql}[k, m]|` over `k`. */
  readonly rowMass: Matrix;
  /** `(d·c) × n`: row `q·c + l` holds the column masses `Σ_k |B_{ql}[k, m]|` over `m`. */
  readonly columnMass: Matrix;
  /**
   * `n × n`: `Σ_{q,l} |B_{ql}|`, the convex model's token-mixing map (row `k`: output token,
   * column `m`: source token), comparable with the attention maps of (3) and (4).
   */
  readonly mixing: Matrix;
  /** `n`: total column mass per source token (summed over `q` and `l`). */
  readonly perToken: Float64Array;
  /** Nonzero blocks `(q, l, ±)` (`(q, l)` for the relaxation). */
  readonly blocks: number;
  /**
   * Heads of the recovered sequence network (30): one per nonzero block of the exact program;
   * `undefined` for the relaxation, whose points (30) cannot represent.
   */
  readonly headsNeeded: number | undefined;
}

/**
 * Row and column masses of `C⁺ − C⁻` per feature and output for a solution of (33) (or of the
 * max-row-sum relaxation), the total mass per source token and the heads needed.
 *
 * @param solution - a solution of the exact sequence program (33) or its relaxation with its layout
 *   and sample count (e.g. from {@link convexSolutionOf}); checked by {@link checkSolution}
 *
 * @example
 * ```ts
 * import { sequenceTokenMap } from "@convexformer/interpret";
 * // C⁺ = [0 1; 0 1] (every token reads token 2), C⁻ = [1 0; 0 1]: B = [−1 1; 0 0]
 * const m = sequenceTokenMap({ kind: "sequence", program: "sequence", samples: 1,
 *   x: new Float64Array([0, 1, 0, 1, 1, 0, 0, 1]), layout: { tokens: 2, features: 1, outputs: 1, signs: 2 } });
 * m.rowMass.data;    // Float64Array [2, 0]
 * m.columnMass.data; // Float64Array [1, 1]
 * m.headsNeeded;     // 2
 * ```
 */
export function sequenceTokenMap(solution: SequenceProgramSolution): SequenceTokenMap {
  checkSolution(solution);
  const { x, layout } = solution;
  const { tokens: n, features: d, outputs: c, signs: S } = layout;
  const nn = n * n;
  const rowMass = new Float64Array(d * c * n);
  const columnMass = new Float64Array(d * c * n);
  const perToken = new Float64Array(n);
  const mixing = new Float64Array(nn);
  let blocks = 0;
  for (let q = 0; q < d; q++) {
    for (let l = 0; l < c; l++) {
      const ql = q * c + l;
      for (let s = 0; s < S; s++) {
        const base = (ql * S + s) * nn;
        for (let e = 0; e < nn; e++) {
          if (x[base + e] !== 0) {
            blocks++;
            break;
          }
        }
      }
      const plus = ql * S * nn;
      for (let k = 0; k < n; k++) {
        for (let m = 0; m < n; m++) {
          const e = k * n + m;
          const b = (x[plus + e] as number) - (S === 2 ? (x[plus + nn + e] as number) : 0);
          const a = Math.abs(b);
          rowMass[ql * n + k] = (rowMass[ql * n + k] as number) + a;
          columnMass[ql * n + m] = (columnMass[ql * n + m] as number) + a;
          perToken[m] = (perToken[m] as number) + a;
          mixing[e] = (mixing[e] as number) + a;
        }
      }
    }
  }
  return {
    kind: "sequence",
    program: solution.program,
    tokens: n,
    features: d,
    outputs: c,
    rowMass: new Matrix(d * c, n, rowMass),
    columnMass: new Matrix(d * c, n, columnMass),
    mixing: new Matrix(n, n, mixing),
    perToken,
    blocks,
    headsNeeded: solution.program === "sequence" ? blocks : undefined,
  };
}
