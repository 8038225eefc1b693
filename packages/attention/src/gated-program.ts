import { InvalidOptionError } from "@convexformer/tensors";
import { gatedAttentionProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import { headsProgram } from "./heads-program.js";

/**
 * The program table's entry for the gated program (14): one group per (gate, output, token),
 * fixed gate patterns; recovers the gated model (13). With one token per sample it is the
 * convex gated-ReLU network of scnn (the `gated-relu` problem files use this entry).
 *
 * @example
 * ```ts
 * import { gatedProgram } from "@convexformer/attention";
 * gatedProgram.gated; // true
 * gatedProgram.maxHeads({ samples: 4, tokens: 3, features: 2, outputs: 1, gates: 8 }); // 24
 * ```
 */
export const gatedProgram: AttentionProgram<"gated"> = headsProgram({
  kind: "gated",
  equation: "(14)",
  modelEquation: "(13)",
  label: "gated attention (14)",
  description:
    "program (14): one group per (gate, output, token), fixed gate patterns; recovers model (13)",
  gated: true,
  singleOutput: false,
  build: (X, loss, lambda, gates) => {
    if (gates === undefined)
      throw new InvalidOptionError("gates", gates, "the gated program (14) needs its gate vectors");
    return gatedAttentionProblem(X, gates, loss, lambda);
  },
});
