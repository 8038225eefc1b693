/**
 * `convexformer`: the command line of Convexformer. The binary is `convexformer`; this entry
 * point exports the command tree and the commands' functions for embedding and testing.
 *
 * @packageDocumentation
 */
export { writeFileAtomic } from "./atomic-write.js";
export { type CliIo, processIo } from "./cli-io.js";
export { DEMO_DATA_DIR, type DemoOptions, registerDemoCommand, runDemo } from "./commands/demo.js";
export { registerSolveCommand, runSolve, type SolveCommandOptions } from "./commands/solve.js";
export { readInputNpy, readInputText } from "./input-files.js";
export {
  type LoadedProblem,
  loadProblemDirectory,
  PROBLEM_KINDS,
  PROBLEM_LOSSES,
  type ProblemKind,
  type ProblemLoss,
  type ProblemSpec,
  parseSpec,
} from "./problem-files.js";
export { cliVersion, createProgram, programDescription } from "./program.js";
export { gapProgress } from "./progress.js";
export { type Bar, svgBarChart, textBarChart } from "./svg-bar-chart.js";
export { UsageError } from "./usage-error.js";
