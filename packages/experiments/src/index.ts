/**
 * `@convexformer/experiments`: the experiments of Convexformer (paper §4, adapted as
 * docs/guide/experiments.md describes). Datasets (modular arithmetic for E2, the student–teacher
 * generator of E1 with a frozen random transformer block), text through pretrained word
 * vectors (tokenizer with pad mask, features), resumable training with checkpoints, and the
 * runners E1, E2 (with its fully convex variant) and E3. Browser-safe; the file loaders
 * (`.npy`, JSON/JSONL, text JSONL, GloVe, wink embeddings), the result-folder writer and the
 * file checkpoint store are in `@convexformer/experiments/node`.
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
export { positionalEncoding } from "./datasets/positional-encoding.js";
export {
  type StudentTeacherData,
  type StudentTeacherOptions,
  studentTeacher,
  type TeacherTarget,
} from "./datasets/student-teacher.js";
export { type TokenFeaturesOptions, tokenFeatures } from "./datasets/token-features.js";
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
  SoftwareVersions,
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
export {
  type TextFeatures,
  type TextFeaturesOptions,
  type TextRecord,
  textFeatures,
} from "./text/text-features.js";
export { splitWords, type TokenizedText, tokenize } from "./text/tokenize.js";
export type { WordEmbeddings } from "./text/word-embeddings.js";
export {
  type Checkpoint,
  type CheckpointStore,
  decodeCheckpoint,
  encodeCheckpoint,
  type JsonValue,
  memoryCheckpointStore,
} from "./training/checkpoint.js";
export { type ResumableTrainOptions, resumableTrain } from "./training/resumable-train.js";
