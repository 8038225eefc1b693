/**
 * `@convexformer/solvers`: group-sparse composite problems `F(Ax) + λ R(x)` and the solvers
 * that certify their global optimum (FISTA, ADMM, interior point), with duality-gap
 * certificates, regularization paths, and a registry. The error classes it throws are
 * re-exported from `@convexformer/tensors`.
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
export { type AdmmOptions, admm } from "./admm/admm.js";
export { type BcdOptions, type BcdSolver, bcd } from "./bcd/bcd.js";
export {
  type Certificate,
  type CertificateBuffers,
  certify,
} from "./certificate.js";
export type { CheckpointCodec, EncodedCheckpoint } from "./checkpoint-codec.js";
export type { CompositeProblem } from "./composite-problem.js";
export { createProblem, type ProblemParts, withLambda } from "./create-problem.js";
export { DEFAULT_TOLERANCE } from "./default-tolerance.js";
export { type FistaOptions, type FistaRestart, type FistaSolver, fista } from "./fista/fista.js";
export type {
  FistaCheckpoint,
  FistaCheckpointHook,
  FistaRoundState,
} from "./fista/fista-checkpoint.js";
export { type IpmOptions, ipm } from "./ipm/ipm.js";
export { lambdaMax } from "./lambda-max.js";
export type { LinearOperator } from "./linear-operator.js";
export { type CrossEntropyLossOptions, crossEntropyLoss } from "./losses/cross-entropy-loss.js";
export { type LogisticLossOptions, logisticLoss } from "./losses/logistic-loss.js";
export type { LossOptions } from "./losses/loss-options.js";
export { type SquaredLossOptions, squaredLoss } from "./losses/squared-loss.js";
export { checkAdjoint } from "./operators/check-adjoint.js";
export { denseOperator } from "./operators/dense-operator.js";
export {
  type GetSolverOptions,
  getSolver,
  listSolvers,
  type RegisterSolverOptions,
  registerSolver,
} from "./registry.js";
export type { GroupStructure, Regularizer } from "./regularizer.js";
export { type GroupL2Options, groupL2 } from "./regularizers/group-l2.js";
export { type L1Options, l1 } from "./regularizers/l1.js";
export { blockNormBounds } from "./screening/block-norm-bounds.js";
export { type GapSafeScreenInput, gapSafeScreen } from "./screening/gap-safe-screen.js";
export type { SmoothLoss } from "./smooth-loss.js";
export { SolveMonitor } from "./solve-monitor.js";
export type { SolveMonitorConfig } from "./solve-monitor-config.js";
export type { SolveMonitorState } from "./solve-monitor-state.js";
export {
  type LambdaGridOptions,
  lambdaGrid,
  type PathResult,
  type SolvePathOptions,
  solvePath,
} from "./solve-path.js";
export type {
  IterationRecord,
  ProblemSize,
  SolveOptions,
  SolveResult,
  Solver,
  SolveStatus,
  SolveTimings,
} from "./solver.js";
export type { SolverName, SolverOptionsMap } from "./solver-options-map.js";
export {
  BacktrackingLineSearch,
  type BacktrackingLineSearchOptions,
  type BacktrackingStep,
} from "./step-size/backtracking-line-search.js";
export {
  type EstimateLipschitzOptions,
  estimateLipschitz,
} from "./step-size/estimate-lipschitz.js";
export { SOLVE_OPTION_KEYS, validateProblem, validateSolveOptions } from "./validate-problem.js";
export { type RestrictedProblem, restrictToGroups } from "./working-set/restrict-to-groups.js";
