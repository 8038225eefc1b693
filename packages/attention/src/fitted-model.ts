import type { TokenBatch } from "@convexformer/tensors";
import type { AttentionWeights } from "./attention-weights.js";
import { getProgram } from "./program-registry.js";
import type { SequenceLayout } from "./sequence-operator.js";
import type { SequenceWeights } from "./sequence-weights.js";

/**
 * A fitted multi-head model (8) (`"scalar"`), (11) (`"vector"`) or (13) (`"gated"`, the
 * network carries its gates): the recovered network and predictions on new token batches.
 *
 * @example
 * ```ts
 * import { type FittedHeadsModel, fittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const model: FittedHeadsModel<"scalar"> = fittedModel({ model: "scalar", network: {
 *   heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0, 1]), w2: new Float64Array([2]), alpha: new Float64Array([0.5]) } });
 * model.predict(new TokenBatch(1, 2, 1, new Float64Array([5, 3]))); // Float64Array [3]
 * ```
 */
export interface FittedHeadsModel<
  M extends "scalar" | "vector" | "gated" = "scalar" | "vector" | "gated",
> {
  /** The program the model was fitted with. */
  readonly model: M;
  /** The network, in the one layout of (8)/(11)/(13). */
  readonly network: AttentionWeights;
  /**
   * `N × c` predictions on a new `N × n × d` batch (`attentionForward(network, X)`).
   *
   * @param X - a token batch with the network's `n` tokens and `d` features (any number of samples
   *   `N`; finite entries)
   */
  predict(X: TokenBatch): Float64Array;
}

/**
 * A fitted sequence-output model (30) (from the exact program (33)): the recovered network and
 * predictions on new token batches.
 *
 * @example
 * ```ts
 * import { type FittedSequenceModel, fittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const model: FittedSequenceModel = fittedModel({ model: "sequence", network: {
 *   heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([2]), alpha: new Float64Array([0.5]) } });
 * model.predict(new TokenBatch(1, 2, 1, new Float64Array([1, -1]))); // Float64Array [1, 1]
 * ```
 */
export interface FittedSequenceModel {
  /** `"sequence"`: the exact program (33). */
  readonly model: "sequence";
  /** The network, in the one layout of (30). */
  readonly network: SequenceWeights;
  /**
   * `N × n × c` predictions on a new `N × n × d` batch.
   *
   * @param X - a token batch with the network's `n` tokens and `d` features (any number of samples
   *   `N`; finite entries)
   */
  predict(X: TokenBatch): Float64Array;
}

/**
 * A model fitted with the max-row-sum relaxation of (33): not representable by (30), so it is
 * kept as its convex solution; predictions on new data apply the program's operator to it.
 *
 * @example
 * ```ts
 * import { type FittedRelaxedSequenceModel, fittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const model: FittedRelaxedSequenceModel = fittedModel({
 *   model: "sequence-relaxed",
 *   layout: { tokens: 2, features: 1, outputs: 1, signs: 1 },
 *   solution: new Float64Array([1, 0, 0, 1]), // the identity block
 * });
 * model.predict(new TokenBatch(1, 2, 1, new Float64Array([3, -1]))); // Float64Array [3, -1]
 * ```
 */
export interface FittedRelaxedSequenceModel {
  /** `"sequence-relaxed"`: the max-row-sum relaxation. */
  readonly model: "sequence-relaxed";
  /** No network: the relaxation's solutions are not networks (30). */
  readonly network?: undefined;
  /** The layout of {@link FittedRelaxedSequenceModel.solution} (`signs` 1). */
  readonly layout: SequenceLayout;
  /** The convex solution, one signed `n × n` block per feature and output. */
  readonly solution: Float64Array;
  /**
   * `N × n × c` predictions on a new `N × n × d` batch.
   *
   * @param X - a token batch with the layout's `n` tokens and `d` features (any number of samples
   *   `N`; finite entries)
   */
  predict(X: TokenBatch): Float64Array;
}

/**
 * The fitted model of each program, by program name.
 *
 * @example
 * ```ts
 * import type { FittedModelByKind } from "@convexformer/attention";
 * type Gated = FittedModelByKind["gated"]; // FittedHeadsModel<"gated">
 * const kind: Gated["model"] = "gated";
 * ```
 */
export interface FittedModelByKind {
  /** Program (9) → model (8). */
  readonly scalar: FittedHeadsModel<"scalar">;
  /** Program (12) → model (11). */
  readonly vector: FittedHeadsModel<"vector">;
  /** Program (14) → model (13). */
  readonly gated: FittedHeadsModel<"gated">;
  /** Program (33) → model (30). */
  readonly sequence: FittedSequenceModel;
  /** The relaxation of (33) → its solution. */
  readonly "sequence-relaxed": FittedRelaxedSequenceModel;
}

/**
 * A fitted model, discriminated by `model`: what {@link fitConvexAttention} returns (its
 * result is one), what {@link fittedModel} builds from weights and what
 * {@link parseFittedModel} loads. `FittedModel<"vector">` is the one kind.
 *
 * @example
 * ```ts
 * import { type FittedModel, fittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const m: FittedModel = fittedModel({ model: "vector", network: {
 *   heads: 1, tokens: 1, features: 1, outputs: 2,
 *   w1: new Float64Array([1]), w2: new Float64Array([1]), alpha: new Float64Array([1, -1]) } });
 * if (m.model === "vector") m.network.outputs; // 2
 * m.predict(new TokenBatch(1, 1, 1, new Float64Array([4]))); // Float64Array [4, -4]
 * ```
 */
export type FittedModel<M extends keyof FittedModelByKind = keyof FittedModelByKind> =
  FittedModelByKind[M];

/**
 * What {@link fittedModel} takes: a fitted model without its `predict`.
 *
 * @example
 * ```ts
 * import type { FittedModelData } from "@convexformer/attention";
 * const data: FittedModelData<"sequence-relaxed"> = {
 *   model: "sequence-relaxed", layout: { tokens: 1, features: 1, outputs: 1, signs: 1 },
 *   solution: new Float64Array([2]),
 * };
 * ```
 */
export type FittedModelData<M extends keyof FittedModelByKind = keyof FittedModelByKind> = {
  readonly [K in M]: Omit<FittedModelByKind[K], "predict">;
}[M];

/**
 * Builds a {@link FittedModel} from a network (or, for the relaxation, a convex solution),
 * checking it once: sizes, simplex rows, finiteness. The arrays are copied.
 *
 * @param data - the program name and its network (`{ model, network }`; a gated network for
 *   `"gated"`, one output for `"scalar"`), or for `"sequence-relaxed"` the convex solution and its
 *   layout (`{ model, layout, solution }`, `layout.signs` 1); checked once and copied
 * @throws `ShapeMismatchError` / `InvalidOptionError` naming the field (`weights.w1`, …) for
 *   bad weights; `InvalidOptionError` naming `data.model` for an unknown model
 *
 * @example
 * ```ts
 * import { fittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const m = fittedModel({ model: "scalar", network: { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0.5, 0.5]), w2: new Float64Array([1]), alpha: new Float64Array([2]) } });
 * m.predict(new TokenBatch(1, 2, 1, new Float64Array([1, 3]))); // Float64Array [4]
 * ```
 */
export function fittedModel<D extends FittedModelData>(data: D): FittedModel<D["model"]> {
  const model = (data as { readonly model?: unknown } | null)?.model as string;
  return getProgram(model, "data.model").fitted(data) as FittedModel<D["model"]>;
}
