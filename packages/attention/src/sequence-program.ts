import { InvalidOptionError, type TokenBatch } from "@convexformer/tensors";
import { type SequenceProblem, sequenceAttentionProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import type { FittedModel, FittedModelData } from "./fitted-model.js";
import { sequenceAttentionForward, validateSequenceWeights } from "./sequence-attention.js";
import { recoverSequenceNetwork } from "./sequence-maps.js";
import { sequenceHeads, sequenceMemory } from "./sequence-program-parts.js";
import type { SequenceWeights } from "./sequence-weights.js";

/**
 * The program table's entry for the exact sequence program (33): nonnegative `n × n` blocks
 * with equal row sums, one target row per token; recovers the sequence model (30). Not pruned.
 *
 * @example
 * ```ts
 * import { sequenceProgram } from "@convexformer/attention";
 * sequenceProgram.targetsPerToken; // true
 * sequenceProgram.maxHeads({ samples: 4, tokens: 3, features: 2, outputs: 1, gates: 1 }); // 4
 * ```
 */
export const sequenceProgram = Object.freeze<AttentionProgram<"sequence">>({
  kind: "sequence" as const,
  equation: "(33)",
  label: "sequence attention (33)",
  description:
    "program (33): nonnegative blocks with equal row sums, one output row per token; recovers model (30)",
  targetsPerToken: true,
  gated: false,
  singleOutput: false,
  build: (X: TokenBatch, loss, lambda) => sequenceAttentionProblem(X, loss, lambda),
  maxHeads: (shape) => 2 * shape.features * shape.outputs,
  recover(problem, solution, options) {
    const p = problem as SequenceProblem;
    const network = recoverSequenceNetwork(solution, p.layout);
    if (options.heads !== undefined && options.heads < network.heads) {
      throw new InvalidOptionError(
        "options.heads",
        options.heads,
        `the solution needs ${network.heads} heads`,
      );
    }
    return {
      solution,
      model: { model: "sequence", network },
      headsNeeded: sequenceHeads(solution, p.layout.tokens),
      pruning: undefined,
      tokenImportance: undefined,
    };
  },
  solutionShape: (problem) => [problem.dim],
  memory: (shape) => sequenceMemory(shape, 2),
  fitted(data: FittedModelData): FittedModel {
    const w = (data as { readonly network: SequenceWeights }).network;
    validateSequenceWeights(w);
    const network: SequenceWeights = {
      heads: w.heads,
      tokens: w.tokens,
      features: w.features,
      outputs: w.outputs,
      W1: w.W1.slice(),
      W2: w.W2.slice(),
      alpha: w.alpha.slice(),
    };
    return Object.freeze({
      model: "sequence" as const,
      network,
      predict: (X: TokenBatch) => sequenceAttentionForward(network, X),
    });
  },
  toJson(data: FittedModelData) {
    const w = (data as { readonly network: SequenceWeights }).network;
    return {
      network: {
        heads: w.heads,
        tokens: w.tokens,
        features: w.features,
        outputs: w.outputs,
        W1: Array.from(w.W1),
        W2: Array.from(w.W2),
        alpha: Array.from(w.alpha),
      },
    };
  },
  fromJson(root, r) {
    const net = r.object(root.network, "network");
    const h = r.size(net.heads, "network.heads");
    const n = r.size(net.tokens, "network.tokens");
    const d = r.size(net.features, "network.features");
    const c = r.size(net.outputs, "network.outputs");
    const network: SequenceWeights = {
      heads: h,
      tokens: n,
      features: d,
      outputs: c,
      W1: r.numbers(net.W1, "network.W1", [h, n, n]),
      W2: r.numbers(net.W2, "network.W2", [h, d, c]),
      alpha: r.numbers(net.alpha, "network.alpha", [h]),
    };
    return { model: "sequence", network };
  },
});
