/**
 * `@convexformer/attention`: convex attention (Ergen, Neyshabur, Mehta, arXiv:2211.11052,
 * **corrected** as in `docs/convex-attention-corrections.md`). The nonconvex models (3), (4),
 * (8), (11), (13), (30) as float64 evaluators; their convex group-lasso programs (9), (12),
 * (14), (33) as `CompositeProblem`s whose operators never materialize the design matrix;
 * exact maps both ways; Carathéodory token-sparsity pruning; gate sampling and the
 * fresh-gate global-optimality check; and `fitConvexAttention()`, one call from token batches
 * to a certified solution and a recovered network.
 *
 * @packageDocumentation
 */

export { attentionForward, attentionObjective } from "./attention-network.js";
export { type AttentionOperator, attentionOperator } from "./attention-operator.js";
export {
  type AttentionProblem,
  type AttentionProgramKind,
  gatedAttentionProblem,
  relaxedSequenceAttentionProblem,
  type SequenceProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
export { type ConvexAttentionPoint, headsNeeded, recoverNetwork, toConvex } from "./convex-maps.js";
export { equalRowSumRegularizer } from "./equal-row-sum-regularizer.js";
export {
  type FitLoss,
  type FitOptions,
  type FitResult,
  fitConvexAttention,
} from "./fit-convex-attention.js";
export {
  checkFreshGates,
  type FreshGateOptions,
  type FreshGateReport,
} from "./fresh-gate-check.js";
export {
  type GateVectors,
  gatePatterns,
  type SampledGates,
  type SampleGatesOptions,
  sampleGates,
} from "./gates.js";
export { type ConvexAttentionLayout, layoutDimension, layoutGroups } from "./layout.js";
export { maxRowSumRelaxation } from "./max-row-sum-relaxation.js";
export { type PruneResult, pruneSupport } from "./prune-support.js";
export { sequenceAttentionForward, sequenceAttentionObjective } from "./sequence-attention.js";
export { recoverSequenceNetwork, sequenceToConvex } from "./sequence-maps.js";
export {
  type SequenceLayout,
  type SequenceOperator,
  sequenceOperator,
} from "./sequence-operator.js";
export { simplexAttentionForward, simplexAttentionObjective } from "./simplex-attention.js";
export { standardAttentionForward, standardAttentionObjective } from "./standard-attention.js";
export { type TokenImportance, tokenImportance } from "./token-importance.js";
export type {
  AttentionWeights,
  SequenceWeights,
  SimplexAttentionWeights,
  StandardAttentionWeights,
} from "./weights.js";
