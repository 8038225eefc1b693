/**
 * The names of the convex programs, in the order of the paper: {@link AttentionProgramKind}.
 *
 * @example
 * ```ts
 * import { ATTENTION_PROGRAM_KINDS } from "@convexformer/attention";
 * ATTENTION_PROGRAM_KINDS.length; // 5
 * ATTENTION_PROGRAM_KINDS.includes("gated"); // true
 * ```
 */
export const ATTENTION_PROGRAM_KINDS = [
  "scalar",
  "vector",
  "gated",
  "sequence",
  "sequence-relaxed",
] as const;

/**
 * The convex programs this package builds:
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
export type AttentionProgramKind = (typeof ATTENTION_PROGRAM_KINDS)[number];
