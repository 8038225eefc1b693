/**
 * `convexformer`: the command line of Convexformer. The binary is `convexformer`; this entry
 * point exports the command tree and one function per command for embedding and testing. The
 * file formats the commands read and write are in `@convexformer/io/node`, the usage errors in
 * `@convexformer/io`.
 *
 * @packageDocumentation
 */
export { type CliIo, processIo } from "./cli-io.js";
export { runBench } from "./commands/bench.js";
export { runDemo } from "./commands/demo.js";
export { runExperiment } from "./commands/experiment.js";
export type { ExperimentJobInput } from "./commands/experiment-job.js";
export { runFit } from "./commands/fit.js";
export type { FitJobInput } from "./commands/fit-job.js";
export { runInterpret } from "./commands/interpret.js";
export { runPredict } from "./commands/predict.js";
export { runRecover } from "./commands/recover.js";
export { runSolve, type SolveCommandOptions } from "./commands/solve.js";
export { createProgram } from "./program.js";
export { runInterruptibly } from "./run-interruptibly.js";
