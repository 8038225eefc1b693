/**
 * The programs E3 benchmarks: (9) scalar, (12) joint cross-entropy, (14) gated, (33)
 * sequence, and the one-token gated program (14), which is scnn's convex gated-ReLU problem.
 *
 * @example
 * ```ts
 * import type { E3Program } from "@convexformer/experiments";
 * const p: E3Program = "scnn";
 * ```
 */
export type E3Program = "scalar" | "vector-ce" | "gated" | "sequence" | "scnn";

/**
 * The instance sizes of E3.
 *
 * @example
 * ```ts
 * import type { E3Size } from "@convexformer/experiments";
 * const s: E3Size = "medium";
 * ```
 */
export type E3Size = "small" | "medium" | "large";

/**
 * One row of E3's table.
 *
 * @example
 * ```ts
 * import type { E3Row } from "@convexformer/experiments";
 * const t6 = (row: E3Row) => row.reached.find((r) => r.gap === 1e-6)?.milliseconds;
 * ```
 */
export interface E3Row {
  /** The program. */
  readonly program: E3Program;
  /** The size. */
  readonly size: E3Size;
  /** Variables of the program. */
  readonly dimension: number;
  /** A solver name, or `"adam"` for the nonconvex alternative. */
  readonly solver: string;
  /** Final status (`"error"` with `error` when the solver refused the instance). */
  readonly status: string;
  /**
   * Time and iterations to each gap (`null`: not reached). For Adam: the gap is the relative
   * distance to the certified convex optimum, and `1e-3` is always among them (before the
   * configured gaps), the nonconvex alternative's usual target.
   */
  readonly reached: readonly {
    /** The relative gap. */
    readonly gap: number;
    /** Milliseconds until first reached (`null`: never). */
    readonly milliseconds: number | null;
    /** Iterations until first reached (`null`: never). */
    readonly iterations: number | null;
  }[];
  /** Final objective. */
  readonly objective: number | null;
  /** Final relative gap (Adam: relative distance to the convex optimum). */
  readonly relativeGap: number | null;
  /** Active groups (heads) of the solution. */
  readonly activeGroups: number | null;
  /** Total milliseconds. */
  readonly milliseconds: number;
  /** Iterations (Adam: steps). */
  readonly iterations: number;
  /** Why the solver could not run this instance. */
  readonly error?: string;
}
