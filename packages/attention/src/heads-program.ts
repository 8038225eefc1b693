import type { SmoothLoss } from "@convexformer/solvers";
import { InvalidOptionError, ShapeMismatchError, type TokenBatch } from "@convexformer/tensors";
import { attentionForward, validateAttentionWeights } from "./attention-network.js";
import type { AttentionProblem, SequenceProblem } from "./attention-problem.js";
import type { AttentionProgram } from "./attention-program.js";
import type { AttentionWeights } from "./attention-weights.js";
import { headsNeeded, recoverNetwork } from "./convex-maps.js";
import type { FittedModel, FittedModelData } from "./fitted-model.js";
import type { GateVectors } from "./gate-vectors.js";
import { pruneSupport } from "./prune-support.js";
import { tokenImportance } from "./token-importance.js";

/**
 * What differs between the token programs (9), (12), (14): the name, the texts, whether
 * the program is gated or scalar, how it builds its problem and its memory estimate.
 *
 * @example
 * ```ts
 * import { type HeadsProgramSpec, scalarAttentionProblem } from "@convexformer/attention";
 * const spec: HeadsProgramSpec<"scalar"> = {
 *   kind: "scalar", equation: "(9)", modelEquation: "(8)", label: "scalar attention (9)",
 *   description: "one group per token row, scalar targets",
 *   gated: false, singleOutput: true,
 *   build: (X, loss, lambda) => scalarAttentionProblem(X, loss, lambda),
 * };
 * ```
 */
export interface HeadsProgramSpec<K extends string>
  extends Pick<
    AttentionProgram<K>,
    "kind" | "equation" | "label" | "description" | "gated" | "singleOutput"
  > {
  /** The equation number of the nonconvex model it is equivalent to, e.g. `"(8)"`. */
  readonly modelEquation: string;
  /**
   * Builds the problem ({@link AttentionProgram.build}, returning the token program's
   * {@link AttentionProblem}).
   *
   * @param data - the `N × n × d` token batch
   * @param loss - the loss over the `N × c` predictions
   * @param lambda - `λ > 0`
   * @param gates - the gate vectors (gated programs; `undefined` otherwise)
   */
  build(
    data: TokenBatch,
    loss: SmoothLoss,
    lambda: number,
    gates: GateVectors | undefined,
  ): AttentionProblem;
}

/**
 * A program entry for a token program (a multi-head network (8)/(11)/(13) recovered from
 * `Z`): the spec's build, and the shared heads bound (`P·c·n`), Carathéodory pruning and
 * recovery, memory estimate, fitted model and JSON codec of the network.
 *
 * @param spec - the program's name, texts, gating and build ({@link HeadsProgramSpec})
 *
 * @example
 * ```ts
 * import { headsProgram, vectorAttentionProblem } from "@convexformer/attention";
 * const vector = headsProgram({
 *   kind: "vector", equation: "(12)", modelEquation: "(11)", label: "vector attention (12)",
 *   description: "one group per (output, token)", gated: false, singleOutput: false,
 *   build: (X, loss, lambda) => vectorAttentionProblem(X, loss, lambda),
 * });
 * vector.maxHeads({ samples: 5, tokens: 3, features: 2, outputs: 2, gates: 1 }); // 6
 * ```
 */
export function headsProgram<K extends string>(spec: HeadsProgramSpec<K>): AttentionProgram<K> {
  return Object.freeze<AttentionProgram<K>>({
    kind: spec.kind,
    equation: spec.equation,
    label: spec.label,
    description: spec.description,
    targetsPerToken: false,
    gated: spec.gated,
    singleOutput: spec.singleOutput,
    build: spec.build,
    maxHeads: (shape) => shape.gates * shape.outputs * shape.tokens,
    recover(problem, solution, options) {
      const p = problem as AttentionProblem;
      const pruning = options.prune
        ? pruneSupport(solution, p.layout, p.operator.data, p.operator.mask)
        : undefined;
      const x = pruning?.x ?? solution;
      const network = recoverNetwork(
        x,
        p.layout,
        p.gates,
        options.heads !== undefined ? { heads: options.heads } : {},
      );
      return {
        solution: x,
        model: { model: spec.kind, network } as FittedModelData,
        headsNeeded: headsNeeded(x, p.layout),
        pruning,
        tokenImportance: tokenImportance(x, p.layout),
      };
    },
    solutionShape(problem: AttentionProblem | SequenceProblem) {
      const { gates, outputs, tokens, features } = (problem as AttentionProblem).layout;
      if (spec.gated) return [gates, outputs, tokens, features];
      return spec.singleOutput ? [tokens, features] : [outputs, tokens, features];
    },
    memory(shape) {
      const { samples: N, tokens: n, features: d, outputs: c, gates: P } = shape;
      if (!spec.gated) {
        // the solver's work vectors over the variable and the predictions
        return {
          bytes: 8 * 16 * (c * n * d + N * c),
          cause: "outputs" as const,
          detail: `c × n × d = ${c} × ${n} × ${d} variables`,
        };
      }
      // gate vectors, pattern blocks, patterns (and their wasm copy), the solver's vectors
      return {
        bytes:
          8 * P * (n + d) + 8 * 256 * (n * d + N) + 3 * N * P + 8 * 16 * (P * c * n * d + N * c),
        cause: "gates" as const,
        detail: `N × P = ${N} × ${P} patterns, P × c × n × d = ${P} × ${c} × ${n} × ${d} variables`,
      };
    },
    fitted(data: FittedModelData): FittedModel {
      const input = data as { readonly model: K; readonly network: AttentionWeights };
      validateAttentionWeights(input.network);
      const model = input.model;
      if (spec.gated !== (input.network.gates !== undefined)) {
        throw new InvalidOptionError(
          "weights.gates",
          input.network.gates === undefined ? "missing" : "present",
          spec.gated
            ? `the gated model ${spec.modelEquation} needs its gates`
            : `the ${model} model has no gates (use model "gated")`,
        );
      }
      if (spec.singleOutput && input.network.outputs !== 1) {
        throw new ShapeMismatchError(
          "weights.outputs",
          `the ${model} model ${spec.modelEquation} has one output, got ${input.network.outputs}`,
        );
      }
      const network = copyAttentionWeights(input.network);
      return Object.freeze({
        model,
        network,
        predict: (X: TokenBatch) => attentionForward(network, X),
      }) as unknown as FittedModel;
    },
    toJson(data: FittedModelData) {
      const w = (data as { readonly network: AttentionWeights }).network;
      const network = {
        heads: w.heads,
        tokens: w.tokens,
        features: w.features,
        outputs: w.outputs,
        w1: Array.from(w.w1),
        w2: Array.from(w.w2),
        alpha: Array.from(w.alpha),
        ...(w.gates === undefined
          ? {}
          : { gates: { u1: Array.from(w.gates.u1), u2: Array.from(w.gates.u2) } }),
      };
      return { network };
    },
    fromJson(root, r) {
      const net = r.object(root.network, "network");
      const h = r.size(net.heads, "network.heads");
      const n = r.size(net.tokens, "network.tokens");
      const d = r.size(net.features, "network.features");
      const c = r.size(net.outputs, "network.outputs");
      const base = {
        heads: h,
        tokens: n,
        features: d,
        outputs: c,
        w1: r.numbers(net.w1, "network.w1", [h, n]),
        w2: r.numbers(net.w2, "network.w2", [h, d]),
        alpha: r.numbers(net.alpha, "network.alpha", [h, c]),
      };
      let network: AttentionWeights = base;
      if (net.gates !== undefined) {
        const gates = r.object(net.gates, "network.gates");
        network = {
          ...base,
          gates: {
            u1: r.numbers(gates.u1, "network.gates.u1", [h, n]),
            u2: r.numbers(gates.u2, "network.gates.u2", [h, d]),
          },
        };
      }
      return { model: spec.kind, network } as FittedModelData;
    },
  });
}

function copyAttentionWeights(w: AttentionWeights): AttentionWeights {
  const base = {
    heads: w.heads,
    tokens: w.tokens,
    features: w.features,
    outputs: w.outputs,
    w1: w.w1.slice(),
    w2: w.w2.slice(),
    alpha: w.alpha.slice(),
  };
  return w.gates === undefined
    ? base
    : { ...base, gates: { u1: w.gates.u1.slice(), u2: w.gates.u2.slice() } };
}
