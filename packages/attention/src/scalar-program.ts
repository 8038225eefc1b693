import { scalarAttentionProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import { headsProgram } from "./heads-program.js";

/**
 * The program table's entry for the scalar program (9): one group per token row, scalar
 * targets; recovers the multi-head model (8).
 *
 * @example
 * ```ts
 * import { scalarProgram } from "@convexformer/attention";
 * scalarProgram.equation;     // "(9)"
 * scalarProgram.singleOutput; // true
 * ```
 */
export const scalarProgram: AttentionProgram<"scalar"> = headsProgram({
  kind: "scalar",
  equation: "(9)",
  modelEquation: "(8)",
  label: "scalar attention (9)",
  description: "program (9): one group per token row, one output per sample; recovers model (8)",
  gated: false,
  singleOutput: true,
  build: (X, loss, lambda) => scalarAttentionProblem(X, loss, lambda),
});
