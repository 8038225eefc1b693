import { BUILT_IN_PROGRAMS } from "./program-registry.js";

/**
 * The convex programs this package builds, by name ({@link getProgram} gives each one's entry):
 * - `"scalar"`: (9), one group per token row, scalar targets;
 * - `"vector"`: (12), one group per (output, token), joint loss over `c` outputs;
 * - `"gated"`: (14), one group per (gate, output, token);
 * - `"sequence"`: the exact sequence program (33) (nonnegative blocks with equal row sums);
 * - `"sequence-relaxed"`: the max-row-sum **relaxation** of (33) (a lower bound, not
 *   equivalent to the sequence model (30)).
 *
 * @example
 * ```ts
 * import type { AttentionProgramKind } from "@convexformer/attention";
 * const kind: AttentionProgramKind = "gated";
 * ```
 */
export type AttentionProgramKind = (typeof BUILT_IN_PROGRAMS)[number]["kind"];

/**
 * The names of the paper's convex programs, in its order: {@link AttentionProgramKind} (the
 * program table, {@link listPrograms}, also holds the ones added with {@link registerProgram}).
 *
 * @example
 * ```ts
 * import { ATTENTION_PROGRAM_KINDS } from "@convexformer/attention";
 * ATTENTION_PROGRAM_KINDS.length; // 5
 * ATTENTION_PROGRAM_KINDS.includes("gated"); // true
 * ```
 */
export const ATTENTION_PROGRAM_KINDS: readonly AttentionProgramKind[] = BUILT_IN_PROGRAMS.map(
  (p) => p.kind,
);
