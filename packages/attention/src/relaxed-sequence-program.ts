import {
  CorruptFileError,
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
} from "@convexformer/tensors";
import { relaxedSequenceAttentionProblem, type SequenceProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import type { FittedModel, FittedModelData } from "./fitted-model.js";
import { validateArray, validateTokenBatch } from "./model-input-validation.js";
import { type SequenceLayout, sequenceOperator } from "./sequence-operator.js";
import { sequenceHeads, sequenceMemory } from "./sequence-program-parts.js";

/**
 * The program table's entry for the max-row-sum **relaxation** of (33): one signed block per
 * feature and output (a lower bound, not equivalent to the model (30)); its fitted model keeps
 * the convex solution and predicts by applying the program's operator. Not pruned.
 *
 * @example
 * ```ts
 * import { relaxedSequenceProgram } from "@convexformer/attention";
 * relaxedSequenceProgram.kind; // "sequence-relaxed"
 * relaxedSequenceProgram.targetsPerToken; // true
 * ```
 */
export const relaxedSequenceProgram = Object.freeze<AttentionProgram<"sequence-relaxed">>({
  kind: "sequence-relaxed" as const,
  equation: "(33), relaxed",
  label: "relaxed sequence attention (33)",
  description:
    "the max-row-sum relaxation of (33): signed blocks, a lower bound of (33); kept as its solution",
  targetsPerToken: true,
  gated: false,
  singleOutput: false,
  build: (X: TokenBatch, loss, lambda) => relaxedSequenceAttentionProblem(X, loss, lambda),
  maxHeads: (shape) => 2 * shape.features * shape.outputs,
  recover(problem, solution) {
    const { tokens, features, outputs } = (problem as SequenceProblem).layout;
    return {
      solution,
      model: {
        model: "sequence-relaxed",
        layout: { tokens, features, outputs, signs: 1 },
        solution,
      },
      headsNeeded: sequenceHeads(solution, tokens),
      pruning: undefined,
      tokenImportance: undefined,
    };
  },
  solutionShape: (problem) => [problem.dim],
  memory: (shape) => sequenceMemory(shape, 1),
  fitted(data: FittedModelData): FittedModel {
    const input = data as { readonly layout: SequenceLayout; readonly solution: Float64Array };
    const { tokens: n, features: d, outputs: c, signs } = input.layout;
    for (const [k, v] of Object.entries({ tokens: n, features: d, outputs: c })) {
      if (!Number.isSafeInteger(v) || v < 1)
        throw new InvalidOptionError(`data.layout.${k}`, v, "must be an integer >= 1");
    }
    if (signs !== 1)
      throw new InvalidOptionError("data.layout.signs", signs, "must be 1 (the relaxation)");
    validateArray("data.solution", input.solution, d * c * n * n);
    const layout: SequenceLayout = { tokens: n, features: d, outputs: c, signs: 1 };
    const solution = input.solution.slice();
    return Object.freeze({
      model: "sequence-relaxed" as const,
      layout,
      solution,
      predict: (X: TokenBatch) => {
        validateTokenBatch("X", X);
        if (X.tokens !== n || X.features !== d) {
          throw new ShapeMismatchError(
            "X",
            `expected samples of ${n} tokens × ${d} features, got ${X.tokens} × ${X.features}`,
          );
        }
        const out = new Float64Array(X.samples * n * c);
        sequenceOperator(X, c, 1).apply(solution, out);
        return out;
      },
    });
  },
  toJson(data: FittedModelData) {
    const input = data as { readonly layout: SequenceLayout; readonly solution: Float64Array };
    return { layout: { ...input.layout }, solution: Array.from(input.solution) };
  },
  fromJson(root, r) {
    const layout = r.object(root.layout, "layout");
    const n = r.size(layout.tokens, "layout.tokens");
    const d = r.size(layout.features, "layout.features");
    const c = r.size(layout.outputs, "layout.outputs");
    if (layout.signs !== 1) {
      throw new CorruptFileError(
        "layout.signs",
        `${r.source}: must be 1 (the relaxation), got ${JSON.stringify(layout.signs)}`,
      );
    }
    return {
      model: "sequence-relaxed",
      layout: { tokens: n, features: d, outputs: c, signs: 1 },
      solution: r.numbers(root.solution, "solution", [d, c, n, n]),
    };
  },
});
