/**
 * `@convexformer/baselines`: the nonconvex side of Convexformer in tfjs. Standard multi-head
 * softmax attention (3), the simplex-attention models (4), (8), (11), (13), (30) with the
 * paper's regularized objectives as training losses, a decoder-only transformer for the
 * grokking experiment (softmax or simplex attention), SGD/Adam/AdamW trainers.
 *
 * Weights go in and out (`exportWeights` / `loadWeights`) in the one definition of each
 * model's layout, `@convexformer/attention`'s `StandardAttentionWeights` (3),
 * `SimplexAttentionWeights` (4), `AttentionWeights` (8)/(11)/(13) and `SequenceWeights` (30),
 * whose float64 evaluators are the ground truth these float32 models are tested against; the
 * loss names are its `LOSS_NAMES`. Import those types from `@convexformer/attention`. The
 * error classes thrown here are re-exported.
 *
 * Call {@link setupTfjs} once before building models (wasm backend, cpu fallback).
 *
 * @packageDocumentation
 */

export {
  ConvexformerError,
  CorruptFileError,
  type ErrorCode,
  InvalidOptionError,
  NonFiniteInputError,
  ShapeMismatchError,
  UnsupportedFormatError,
} from "@convexformer/tensors";
export { AttentionModel, type ObjectiveGradients } from "./attention-model.js";
export type {
  AttentionModelConfig,
  AttentionModelOptions,
  OutputKind,
  SimplexParameterization,
} from "./attention-model-config.js";
export type { AttentionKind, DecoderTransformerOptions } from "./decoder/decoder-options.js";
export { DecoderTransformer } from "./decoder-transformer.js";
export type { EarlyStop, EarlyStopMetric, EvaluationRecord } from "./evaluation-record.js";
export { type CorrectCount, correctCount, lossSum } from "./losses.js";
export type { NamedWeight } from "./named-weight.js";
export {
  Optimizer,
  type OptimizerName,
  type OptimizerOptions,
  type OptimizerState,
} from "./optimizer.js";
export type { ProjectedVariable } from "./projected-variable.js";
export { SequenceHeads, type SequenceHeadsOptions } from "./sequence-heads.js";
export { SimplexAttention, type SimplexAttentionOptions } from "./simplex-attention.js";
export { SimplexHeads, type SimplexHeadsOptions } from "./simplex-heads.js";
export { projectOntoSimplex } from "./simplex-projection.js";
export { StandardAttention, type StandardAttentionOptions } from "./standard-attention.js";
export { type Batch, TensorDataset } from "./tensor-dataset.js";
export { type BaselineBackend, type BaselineTfjs, setupTfjs } from "./tfjs-backend.js";
export { seededNormal, seededUniform, tensorFromFloat64, tensorToFloat64 } from "./tfjs-init.js";
export { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";
export { type StopReason, type TrainOptions, type TrainResult, train } from "./train.js";
export type { Evaluation, LossAndGradients, Trainable } from "./trainable.js";
export type { TrainingState } from "./training-state.js";
