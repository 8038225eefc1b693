import { vectorAttentionProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import { headsProgram } from "./heads-program.js";

/**
 * The program table's entry for the vector program (12): one group per (output, token), a
 * joint loss over `c` outputs (cross-entropy included); recovers the model (11).
 *
 * @example
 * ```ts
 * import { vectorProgram } from "@convexformer/attention";
 * vectorProgram.equation; // "(12)"
 * vectorProgram.maxHeads({ samples: 4, tokens: 3, features: 2, outputs: 5, gates: 1 }); // 15
 * ```
 */
export const vectorProgram: AttentionProgram<"vector"> = headsProgram({
  kind: "vector",
  equation: "(12)",
  modelEquation: "(11)",
  label: "vector attention (12)",
  description: "program (12): one group per (output, token), c outputs; recovers model (11)",
  gated: false,
  singleOutput: false,
  build: (X, loss, lambda) => vectorAttentionProblem(X, loss, lambda),
});
