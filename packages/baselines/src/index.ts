/**
 * `@convexformer/baselines`: the nonconvex side of Convexformer in tfjs. Standard multi-head
 * softmax attention (3), the simplex-attention models (4), (8), (11), (13), (30) with the
 * paper's regularized objectives as training losses, a decoder-only transformer for the
 * grokking experiment (softmax or simplex attention), SGD/Adam/AdamW trainers, and weights
 * in and out as plain float64 arrays in the layouts the attention package uses.
 *
 * Call {@link setupTfjs} once before building models (wasm backend, cpu fallback).
 *
 * @packageDocumentation
 */
export {
  AttentionModel,
  type AttentionModelConfig,
  type AttentionModelOptions,
  type ObjectiveGradients,
  type OutputKind,
  type ProjectedVariable,
  type SimplexParameterization,
} from "./attention-model.js";
export {
  type AttentionKind,
  DecoderTransformer,
  type DecoderTransformerOptions,
} from "./decoder-transformer.js";
export {
  assertLossName,
  type CorrectCount,
  correctCount,
  LOSS_NAMES,
  type LossName,
  lossSum,
  type Reduction,
} from "./losses.js";
export type { NamedWeight } from "./named-weight.js";
export { Optimizer, type OptimizerName, type OptimizerOptions } from "./optimizer.js";
export {
  SequenceHeads,
  type SequenceHeadsOptions,
  type SequenceHeadsWeights,
} from "./sequence-heads.js";
export {
  SimplexAttention,
  type SimplexAttentionOptions,
  type SimplexAttentionWeights,
} from "./simplex-attention.js";
export {
  type GateVectors,
  type HeadsWeights,
  SimplexHeads,
  type SimplexHeadsOptions,
} from "./simplex-heads.js";
export { projectOntoSimplex } from "./simplex-projection.js";
export {
  StandardAttention,
  type StandardAttentionOptions,
  type StandardAttentionWeights,
} from "./standard-attention.js";
export { type Batch, TensorDataset } from "./tensor-dataset.js";
export { type BaselineBackend, setupTfjs } from "./tfjs-backend.js";
export { seededNormal, seededUniform, tensorFromFloat64, tensorToFloat64 } from "./tfjs-init.js";
export { fastMatMul, linearMap } from "./tfjs-matmul.js";
export {
  type EarlyStop,
  type EarlyStopMetric,
  type EvaluationRecord,
  type StopReason,
  type TrainOptions,
  type TrainResult,
  train,
} from "./train.js";
export type { Evaluation, LossAndGradients, Trainable } from "./trainable.js";
