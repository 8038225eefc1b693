/**
 * `convexformer`: the command line of Convexformer. The binary is `convexformer`; this entry
 * point exports the command tree and the commands' functions for embedding and testing.
 *
 * @packageDocumentation
 */
export { writeFileAtomic } from "./atomic-write.js";
export {
  CHECKPOINT_FILES,
  type CheckpointMeta,
  checkpointFiles,
  readCheckpoint,
} from "./checkpoint-files.js";
export { type CliIo, processIo } from "./cli-io.js";
export { registerBenchCommand, runBench } from "./commands/bench.js";
export { DEMO_OUT, type DemoOptions, registerDemoCommand, runDemo } from "./commands/demo.js";
export { registerExperimentCommand, runExperiment } from "./commands/experiment.js";
export type {
  ExperimentJobInput,
  ExperimentJobOutput,
} from "./commands/experiment-job.js";
export { addDataOptions, registerFitCommand, runFit } from "./commands/fit.js";
export type { FitJobInput, FitJobOutput, FitSummary } from "./commands/fit-job.js";
export { registerInterpretCommand, runInterpret } from "./commands/interpret.js";
export { registerPredictCommand, runPredict } from "./commands/predict.js";
export { registerRecoverCommand, runRecover } from "./commands/recover.js";
export { registerSolveCommand, runSolve, type SolveCommandOptions } from "./commands/solve.js";
export type { SolveJobInput, SolveJobOutput, SolveSummary } from "./commands/solve-job.js";
export { deadlineSignal } from "./deadline-signal.js";
export { type FitTargets, fitTargets } from "./fit-targets.js";
export { describeEntry, validateFiniteEntries } from "./input-checks.js";
export { readInputNpy, readInputText } from "./input-files.js";
export { formatBytes, memoryLimitBytes } from "./memory-limit.js";
export {
  loadModelData,
  type ModelData,
  type ModelDataSpec,
  type TextPipeline,
} from "./model-data.js";
export { decimalOption, integerOption } from "./numeric-options.js";
export { validateOutputDirectory } from "./output-directory.js";
export { type PredictionMetrics, predictionMetrics } from "./prediction-metrics.js";
export {
  type LoadedProblem,
  type LoadProblemOptions,
  loadProblemDirectory,
  MAX_INFERRED_CLASSES,
  PROBLEM_KINDS,
  type ProblemKind,
  type ProblemSpec,
  parseSpec,
} from "./problem-files.js";
export { cliVersion, createProgram, programDescription } from "./program.js";
export { gapProgress } from "./progress.js";
export { BENCHMARKS, type BenchmarkName, findRepositoryRoot } from "./repository-root.js";
export {
  ForcedExitError,
  INTERRUPT_EXIT_CODES,
  type InterruptibleJob,
  type InterruptibleOptions,
  type InterruptibleOutcome,
  type InterruptSignal,
  type JobContext,
  runInterruptibly,
} from "./run-interruptibly.js";
export { type PhaseReport, phaseProgress } from "./runner-progress.js";
export { loadSavedModel, type SavedModel } from "./saved-model.js";
export { readSavedSolution } from "./saved-solution.js";
export { SetupInterruptedError } from "./setup-interrupted.js";
export { sharedFlagSignal } from "./shared-abort-signal.js";
export { UsageError } from "./usage-error.js";
