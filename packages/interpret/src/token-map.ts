import { tokenImportance } from "@convexformer/attention";
import { Matrix } from "@convexformer/tensors";
import { checkSolution, type TokenProgramSolution } from "./convex-solution.js";
import { type SupportReport, supportReport } from "./support-report.js";

/**
 * The convex model's "attention map" for the token programs (9), (12), (14) (docs/concepts.md#token-sparsity): the
 * importance `‖z_{j,l,k}‖₂` of every token, per output and per gate, with the support report.
 *
 * @example
 * ```ts
 * import { tokenMap } from "@convexformer/interpret";
 * const m = tokenMap({ kind: "token", program: "scalar", samples: 1, gates: undefined,
 *   x: new Float64Array([0, 7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * m.perToken; // Float64Array [0, 0.875]
 * ```
 */
export interface TokenMap {
  /** Discriminant. */
  readonly kind: "token";
  /** The program the solution belongs to. */
  readonly program: "scalar" | "vector" | "gated";
  /** `n`: tokens. */
  readonly tokens: number;
  /** `c`: outputs. */
  readonly outputs: number;
  /** `P`: gates (1 for (9) and (12)). */
  readonly gates: number;
  /** `P × c × n` row-major: `‖z_{j,l,k}‖₂`. */
  readonly norms: Float64Array;
  /** `n`: `Σ_{j,l} ‖z_{j,l,k}‖₂`. */
  readonly perToken: Float64Array;
  /** `c × n`: `Σ_j ‖z_{j,l,k}‖₂` (row `l` = output `l`). */
  readonly perOutput: Matrix;
  /** `P × n`: `Σ_l ‖z_{j,l,k}‖₂` (row `j` = gate `j`). */
  readonly perGate: Matrix;
  /** Support size, the bound `N·c + 1` and the heads needed. */
  readonly support: SupportReport;
}

/**
 * Token map of a solution of (9), (12) or (14): `‖z_{j,l,k}‖` per token, per output, per gate,
 * and the support report (nonzero rows against `N·c + 1`, heads needed).
 *
 * @param solution - a solution of (9), (12) or (14) with its layout and sample count (e.g. from
 *   {@link convexSolutionOf}); checked by {@link checkSolution}
 *
 * @example
 * ```ts
 * import { tokenMap } from "@convexformer/interpret";
 * // exact instance 1: z = (7/8, −7/8), two samples
 * const m = tokenMap({ kind: "token", program: "scalar", samples: 2, gates: undefined,
 *   x: new Float64Array([7 / 8, -7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * m.perToken;             // Float64Array [0.875, 0.875]
 * m.support.headsNeeded;  // 2
 * ```
 */
export function tokenMap(solution: TokenProgramSolution): TokenMap {
  checkSolution(solution);
  const { x, layout, samples } = solution;
  const importance = tokenImportance(x, layout);
  const { gates: P, outputs: c, tokens: n } = layout;
  return {
    kind: "token",
    program: solution.program,
    tokens: n,
    outputs: c,
    gates: P,
    norms: importance.norms,
    perToken: importance.perToken,
    perOutput: new Matrix(c, n, importance.perOutput),
    perGate: new Matrix(P, n, importance.perGate),
    support: supportReport(x, layout, samples),
  };
}
