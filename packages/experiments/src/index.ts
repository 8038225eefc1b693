/**
 * `@convexformer/experiments`: the experiments of Convexformer (paper §4, adapted as
 * docs/guide/experiments.md describes). Datasets (modular arithmetic for E2, the student–teacher
 * generator of E1 with a frozen random transformer block), resumable training with
 * checkpoints, and the runners E1, E2 (with its fully convex variant), E3 and the text task.
 * Browser-safe; saving an experiment's result folder is in `@convexformer/experiments/node`.
 * Text features, the checkpoint format and every file loader are in `@convexformer/io`.
 *
 * @packageDocumentation
 */
export {
  createFrozenBlock,
  type FrozenBlock,
  type FrozenBlockOptions,
} from "./datasets/frozen-block.js";
export {
  MODULAR_OPERATORS,
  type ModularArithmeticOptions,
  type ModularDataset,
  type ModularOperator,
  type ModularSplit,
  modularArithmetic,
} from "./datasets/modular-arithmetic.js";
export {
  type StudentTeacherData,
  type StudentTeacherOptions,
  studentTeacher,
  type TeacherTarget,
} from "./datasets/student-teacher.js";
export {
  defineExperiment,
  type Experiment,
  type ExperimentDescriptor,
} from "./registry/define-experiment.js";
export type {
  AnyOptionSpec,
  AnyOptionsTable,
  OptionEntry,
  OptionGroup,
  OptionSpec,
  OptionsTable,
  ValueSpec,
} from "./registry/option-spec.js";
export type { E3Program, E3Row, E3Size } from "./runners/e3-row.js";
export type {
  Curve,
  ExperimentResult,
  RunnerHooks,
  RunnerProgress,
} from "./runners/experiment-result.js";
export { type E1Config, type E1Result, runE1 } from "./runners/run-e1.js";
export { type E2Config, type E2Metrics, type E2Result, runE2 } from "./runners/run-e2.js";
export {
  type E2ConvexConfig,
  type E2ConvexMetrics,
  type E2ConvexResult,
  runE2Convex,
} from "./runners/run-e2-convex.js";
export { type E3Config, type E3Result, runE3 } from "./runners/run-e3.js";
export {
  runText,
  type TextConfig,
  type TextMetrics,
  type TextResult,
  type WordWeight,
} from "./runners/run-text.js";
export type { E1Metrics, E1ModelMetrics } from "./runners/student-metrics.js";
export { type ResumableTrainOptions, resumableTrain } from "./training/resumable-train.js";
