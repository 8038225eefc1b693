import type { SmoothLoss } from "@convexformer/solvers";
import type { TokenBatch } from "@convexformer/tensors";
import type { AttentionProblem, SequenceProblem } from "./attention-problem.js";
import type { FittedModel, FittedModelData } from "./fitted-model.js";
import type { GateVectors } from "./gate-vectors.js";
import type { JsonFieldReader } from "./json-field-reader.js";
import type { PruneResult } from "./prune-support.js";
import type { TokenImportance } from "./token-importance.js";

/**
 * The sizes a program's heads bound and memory estimate depend on: `N` samples of `n` tokens ×
 * `d` features, `c` outputs and `P` gates (1 for the ungated programs).
 *
 * @example
 * ```ts
 * import type { ProgramShape } from "@convexformer/attention";
 * const shape: ProgramShape = { samples: 100, tokens: 4, features: 8, outputs: 3, gates: 1 };
 * ```
 */
export interface ProgramShape {
  /** `N`. */
  readonly samples: number;
  /** `n`. */
  readonly tokens: number;
  /** `d`. */
  readonly features: number;
  /** `c`. */
  readonly outputs: number;
  /** `P` (1 without gates). */
  readonly gates: number;
}

/**
 * A program's memory estimate: the bytes its problem and a first-order solver's work vectors
 * need, what drives them (`"gates"`, `"outputs"`, `"data"`, or `"classes"` for a cross-entropy
 * loss: the input a caller names when the estimate is over a limit) and the sizes in words.
 *
 * @example
 * ```ts
 * import { getProgram } from "@convexformer/attention";
 * const m = getProgram("vector").memory({ samples: 10, tokens: 2, features: 3, outputs: 4, gates: 1 });
 * m.cause;  // "outputs"
 * m.detail; // "c × n × d = 4 × 2 × 3 variables"
 * ```
 */
export interface MemoryEstimate {
  /** Estimated bytes. */
  readonly bytes: number;
  /** The input that drives the estimate. */
  readonly cause: "gates" | "outputs" | "data" | "classes";
  /** The sizes behind it, in words. */
  readonly detail: string;
}

/**
 * What a program's `recover` returns: the (pruned) solution, the fitted model's data, the heads
 * it needs, and for the token programs the pruning report and the token-importance profile.
 *
 * @example
 * ```ts
 * import { getProgram, scalarAttentionProblem } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const problem = scalarAttentionProblem(X, squaredLoss(new Float64Array([1, -1])), 1 / 8);
 * const r = getProgram("scalar").recover(problem, new Float64Array([7 / 8, -7 / 8]), { prune: true });
 * r.headsNeeded;  // 2
 * r.model.model;  // "scalar"
 * ```
 */
export interface ProgramRecovery {
  /** The solution after pruning (the input when the program does not prune). */
  readonly solution: Float64Array;
  /** The fitted model's data (a network, or the relaxation's solution). */
  readonly model: FittedModelData;
  /** Heads the recovered network needs. */
  readonly headsNeeded: number;
  /** The pruning report, when the program prunes and `prune` was asked. */
  readonly pruning: PruneResult | undefined;
  /** The token-importance profile of the token programs (9), (12), (14). */
  readonly tokenImportance: TokenImportance | undefined;
}

/**
 * One convex program, as one entry of the program table ({@link registerProgram},
 * {@link getProgram}): everything that differs between (9), (12), (14), (33) and its relaxation,
 * so that {@link fitConvexAttention}, the saved model's codec ({@link serializeFittedModel}),
 * the problem files ({@link problemFromArrays}) and the interpret package read the entry and
 * never switch on a program's name. docs/adding-a-program.md walks through adding one.
 *
 * @example
 * ```ts
 * import { getProgram } from "@convexformer/attention";
 * const p = getProgram("gated");
 * p.equation;          // "(14)"
 * p.gated;             // true
 * p.targetsPerToken;   // false
 * ```
 */
export interface AttentionProgram<K extends string = string> {
  /** The program's name (`options.model`, the `model` of a saved model, `attention-<kind>` in problem files). */
  readonly kind: K;
  /** The paper's equation number, e.g. `"(9)"`. */
  readonly equation: string;
  /** A short label for tables and figure titles. */
  readonly label: string;
  /** One sentence on what the program is. */
  readonly description: string;
  /** Whether targets are one row per token (`N·n` rows) rather than one per sample (`N` rows). */
  readonly targetsPerToken: boolean;
  /** Whether the program takes gate vectors (and `options.gates` / `gateSeed`). */
  readonly gated: boolean;
  /** Whether the program takes one output per row only (the scalar program (9)). */
  readonly singleOutput: boolean;
  /**
   * The program's `CompositeProblem` at `λ`.
   *
   * @param data - the `N × n × d` token batch
   * @param loss - the loss over the program's prediction rows
   * @param lambda - `λ > 0`
   * @param gates - the gate vectors (gated programs; `undefined` otherwise)
   */
  build(
    data: TokenBatch,
    loss: SmoothLoss,
    lambda: number,
    gates: GateVectors | undefined,
  ): AttentionProblem | SequenceProblem;
  /**
   * The most distinct heads the program's network can have for these sizes.
   *
   * @param shape - the sizes
   */
  maxHeads(shape: ProgramShape): number;
  /**
   * Recovers the network from a solution (pruning its support first when the program prunes
   * and `options.prune` is set).
   *
   * @param problem - the problem the solution solves (a problem this entry built)
   * @param solution - the convex solution, laid out as `problem.layout`
   * @param options - `prune`: prune the support first; `heads`: pad the network to this many heads
   */
  recover(
    problem: AttentionProblem | SequenceProblem,
    solution: Float64Array,
    options: { readonly prune: boolean; readonly heads?: number },
  ): ProgramRecovery;
  /**
   * The shape a saved solution has (e.g. `[c, n, d]`).
   *
   * @param problem - a problem this entry built
   */
  solutionShape(problem: AttentionProblem | SequenceProblem): readonly number[];
  /**
   * Estimated memory of the problem and a first-order solver's vectors.
   *
   * @param shape - the sizes
   */
  memory(shape: ProgramShape): MemoryEstimate;
  /**
   * Builds the fitted model (checked, arrays copied) from its data.
   *
   * @param data - a network (or the relaxation's solution) with this entry's `model`
   */
  fitted(data: FittedModelData): FittedModel;
  /**
   * The fitted model's fields as JSON values (every number exact), without `format`, `version`
   * and `model`.
   *
   * @param model - a fitted model of this entry
   */
  toJson(model: FittedModelData): Record<string, unknown>;
  /**
   * Reads what {@link AttentionProgram.toJson} wrote back into the fitted model's data.
   *
   * @param root - the parsed JSON object
   * @param reader - reads typed fields, naming the field on failure
   */
  fromJson(root: Record<string, unknown>, reader: JsonFieldReader): FittedModelData;
}
