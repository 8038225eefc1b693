/**
 * `@convexformer/attention`: convex attention (Ergen, Neyshabur, Mehta, arXiv:2211.11052,
 * **corrected** as in `docs/convex-attention-corrections.md`). The nonconvex models (3), (4),
 * (8), (11), (13), (30) as float64 evaluators; their convex group-lasso programs (9), (12),
 * (14), (33) as `CompositeProblem`s whose operators never materialize the design matrix;
 * exact maps both ways; Carathéodory token-sparsity pruning; gate sampling and the
 * fresh-gate global-optimality check; and `fitConvexAttention()`, one call from token batches
 * to a certified solution and a recovered network.
 *
 * The error classes it throws are re-exported here (`instanceof` works with either import).
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

export { attentionForward, attentionObjective } from "./attention-network.js";
export { type AttentionOperator, attentionOperator } from "./attention-operator.js";
export {
  type AttentionProblem,
  gatedAttentionProblem,
  relaxedSequenceAttentionProblem,
  type SequenceProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
export type {
  AttentionProgram,
  MemoryEstimate,
  ProgramRecovery,
  ProgramShape,
} from "./attention-program.js";
export { ATTENTION_PROGRAM_KINDS, type AttentionProgramKind } from "./attention-program-kind.js";
export type { AttentionWeights } from "./attention-weights.js";
export {
  type ConvexAttentionLayout,
  layoutDimension,
  layoutGroups,
} from "./convex-attention-layout.js";
export { type ConvexAttentionPoint, headsNeeded, recoverNetwork, toConvex } from "./convex-maps.js";
export { equalRowSumRegularizer } from "./equal-row-sum-regularizer.js";
export { fitConvexAttention } from "./fit-convex-attention.js";
export type { FitOptions } from "./fit-options.js";
export type {
  FitDetails,
  FitResult,
  FitResultByKind,
  HeadsFitResult,
  RelaxedSequenceFitResult,
  SequenceFitResult,
} from "./fit-result.js";
export { FIT_MANAGED_SOLVE_OPTIONS, type FitSolverOptions } from "./fit-solver-options.js";
export {
  type FittedHeadsModel,
  type FittedModel,
  type FittedModelByKind,
  type FittedModelData,
  type FittedRelaxedSequenceModel,
  type FittedSequenceModel,
  fittedModel,
} from "./fitted-model.js";
export { parseFittedModel, serializeFittedModel } from "./fitted-model-json.js";
export {
  checkFreshGates,
  type FreshGateOptions,
  type FreshGateReport,
} from "./fresh-gate-check.js";
export { gatePatterns } from "./gate-patterns.js";
export type { GateVectors } from "./gate-vectors.js";
export { gatedProgram } from "./gated-program.js";
export { type HeadsProgramSpec, headsProgram } from "./heads-program.js";
export { JsonFieldReader } from "./json-field-reader.js";
export { type LossFromTargetsOptions, lossFromTargets } from "./loss-from-targets.js";
export { LOSS_NAMES, type LossName, validateLossName } from "./loss-names.js";
export { maxRowSumRelaxation } from "./max-row-sum-relaxation.js";
export {
  type PredictionMetrics,
  type PredictionMetricsOptions,
  predictionMetrics,
} from "./prediction-metrics.js";
export {
  type ProblemArrays,
  type ProgramProblem,
  problemFromArrays,
  problemKindProgram,
  problemKinds,
} from "./problem-from-arrays.js";
export {
  BUILT_IN_PROGRAMS,
  getProgram,
  listPrograms,
  registerProgram,
} from "./program-registry.js";
export { type PruneResult, pruneSupport } from "./prune-support.js";
export { relaxedSequenceProgram } from "./relaxed-sequence-program.js";
export { type SampledGates, type SampleGatesOptions, sampleGates } from "./sample-gates.js";
export { scalarProgram } from "./scalar-program.js";
export { sequenceAttentionForward, sequenceAttentionObjective } from "./sequence-attention.js";
export { recoverSequenceNetwork, sequenceToConvex } from "./sequence-maps.js";
export {
  type SequenceLayout,
  type SequenceOperator,
  sequenceOperator,
} from "./sequence-operator.js";
export { sequenceProgram } from "./sequence-program.js";
export type { SequenceWeights } from "./sequence-weights.js";
export { simplexAttentionForward, simplexAttentionObjective } from "./simplex-attention.js";
export type { SimplexAttentionWeights } from "./simplex-attention-weights.js";
export { standardAttentionForward, standardAttentionObjective } from "./standard-attention.js";
export type { StandardAttentionWeights } from "./standard-attention-weights.js";
export {
  type LabelTargets,
  MAX_INFERRED_CLASSES,
  type TargetsFromLabelsOptions,
  targetsFromLabels,
} from "./targets-from-labels.js";
export { type TokenImportance, tokenImportance } from "./token-importance.js";
export { vectorProgram } from "./vector-program.js";
