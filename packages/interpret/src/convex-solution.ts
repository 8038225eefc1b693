import {
  type AttentionProblem,
  type ConvexAttentionLayout,
  type FitResult,
  type GateVectors,
  getProgram,
  type SequenceLayout,
  type SequenceProblem,
} from "@convexformer/attention";
import {
  InvalidOptionError,
  ShapeMismatchError,
  validateFinite,
  validateInteger,
} from "@convexformer/tensors";

/**
 * A solution of one of the token programs (9), (12), (14), as plain arrays: the variable `x`
 * laid out as `layout` (rows `z_{j,l,k}`, one per gate `j`, output `l`, token `k`), the number
 * of training samples `N` (for the Carathéodory bound `N·c + 1`), and the gate vectors of (14).
 *
 * @example
 * ```ts
 * import type { TokenProgramSolution } from "@convexformer/interpret";
 * // exact instance 1: z = (7/8, −7/8), N = 2
 * const s: TokenProgramSolution = {
 *   kind: "token", program: "scalar", samples: 2, gates: undefined,
 *   x: new Float64Array([7 / 8, -7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
 * };
 * ```
 */
export interface TokenProgramSolution {
  /** Discriminant: a token program (9), (12) or (14). */
  readonly kind: "token";
  /** Which program. */
  readonly program: "scalar" | "vector" | "gated";
  /** The variable (`P·c·n·d` entries). */
  readonly x: Float64Array;
  /** Its layout. */
  readonly layout: ConvexAttentionLayout;
  /** `N`: training samples. */
  readonly samples: number;
  /** The gate vectors of (14); `undefined` for (9) and (12). */
  readonly gates: GateVectors | undefined;
}

/**
 * A solution of the sequence programs (33) (exact, `signs = 2`: blocks `C⁺_{ql}`, `C⁻_{ql}`) or
 * of the max-row-sum relaxation (`signs = 1`: one signed block `C_{ql}`), as plain arrays.
 *
 * @example
 * ```ts
 * import type { SequenceProgramSolution } from "@convexformer/interpret";
 * // one feature, one output, n = 2: C⁺ = [1 0; 1 0] (both rows read token 1), C⁻ = 0
 * const s: SequenceProgramSolution = {
 *   kind: "sequence", program: "sequence", samples: 1,
 *   x: new Float64Array([1, 0, 1, 0, 0, 0, 0, 0]), layout: { tokens: 2, features: 1, outputs: 1, signs: 2 },
 * };
 * ```
 */
export interface SequenceProgramSolution {
  /** Discriminant: a sequence program. */
  readonly kind: "sequence";
  /** Which program: the exact (33) or its relaxation. */
  readonly program: "sequence" | "sequence-relaxed";
  /** The variable (`d·c·signs·n²` entries). */
  readonly x: Float64Array;
  /** Its layout. */
  readonly layout: SequenceLayout;
  /** `N`: training samples. */
  readonly samples: number;
}

/**
 * A convex attention solution in plain arrays: what every function of this package reads.
 *
 * @example
 * ```ts
 * import type { ConvexSolution } from "@convexformer/interpret";
 * const s: ConvexSolution = {
 *   kind: "token", program: "scalar", samples: 1, gates: undefined,
 *   x: new Float64Array([0, 7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
 * };
 * s.kind; // "token"
 * ```
 */
export type ConvexSolution = TokenProgramSolution | SequenceProgramSolution;

/**
 * Adapter from `fitConvexAttention`'s result to a {@link ConvexSolution}: reads only
 * `kind`, `solution`, `problem.layout`, `problem.operator.samples` and the gates, so a change
 * of the result type touches this one function.
 *
 * @param fit - a result of `fitConvexAttention` from `@convexformer/attention` (any program); only
 *   `kind`, `solution`, the problem's layout and sample count, and the gates are read
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { convexSolutionOf } from "@convexformer/interpret";
 * import { TokenBatch } from "@convexformer/tensors";
 * // exact instance 2
 * const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1]), lambda: 1 / 8, tolerance: 1e-12 });
 * const s = convexSolutionOf(fit);
 * s.kind;    // "token"
 * s.samples; // 1
 * ```
 */
export function convexSolutionOf(fit: FitResult): ConvexSolution {
  const problem = fit.problem;
  const samples = problem.operator.samples;
  if (getProgram(problem.kind).targetsPerToken) {
    const sequence = problem as SequenceProblem;
    return validateSolution({
      kind: "sequence",
      program: sequence.kind,
      x: fit.solution,
      layout: sequence.layout,
      samples,
    });
  }
  const token = problem as AttentionProblem;
  return validateSolution({
    kind: "token",
    program: token.kind,
    x: fit.solution,
    layout: token.layout,
    samples,
    gates: token.gates,
  });
}

/**
 * Validates a {@link ConvexSolution} (sizes are positive integers, `x` has the layout's
 * length and finite entries) and returns it.
 *
 * @param solution - the solution to check: `kind` `"token"` or `"sequence"`, a `layout` of positive
 *   integer sizes, `samples ≥ 1` and `x` of the layout's length with finite entries; returned as it
 *   is (not copied)
 * @throws `InvalidOptionError` for a bad size or kind, `ShapeMismatchError` for a wrong length,
 *   `NonFiniteInputError` for a non-finite entry
 *
 * @example
 * ```ts
 * import { validateSolution } from "@convexformer/interpret";
 * const s = validateSolution({ kind: "token", program: "scalar", samples: 1, gates: undefined,
 *   x: new Float64Array([0, 0.875]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * s.x.length; // 2
 * ```
 */
export function validateSolution<S extends ConvexSolution>(solution: S): S {
  validateInteger("solution.samples", solution.samples, 1);
  let expected: number;
  if (solution.kind === "token") {
    const { gates, outputs, tokens, features } = solution.layout;
    validateInteger("solution.layout.gates", gates, 1);
    validateInteger("solution.layout.outputs", outputs, 1);
    validateInteger("solution.layout.tokens", tokens, 1);
    validateInteger("solution.layout.features", features, 1);
    expected = gates * outputs * tokens * features;
  } else if (solution.kind === "sequence") {
    const { tokens, features, outputs, signs } = solution.layout;
    validateInteger("solution.layout.tokens", tokens, 1);
    validateInteger("solution.layout.features", features, 1);
    validateInteger("solution.layout.outputs", outputs, 1);
    if (signs !== 1 && signs !== 2) {
      throw new InvalidOptionError("solution.layout.signs", signs, "must be 1 or 2");
    }
    expected = features * outputs * signs * tokens * tokens;
  } else {
    throw new InvalidOptionError(
      "solution.kind",
      (solution as { kind: unknown }).kind,
      'must be "token" or "sequence"',
    );
  }
  if (!(solution.x instanceof Float64Array) || solution.x.length !== expected) {
    throw new ShapeMismatchError(
      "solution.x",
      `expected a Float64Array of length ${expected}, got ${solution.x instanceof Float64Array ? solution.x.length : typeof solution.x}`,
    );
  }
  validateFinite("solution.x", solution.x);
  return solution;
}
