import { readFileSync } from "node:fs";
import { Command } from "commander";
import { type CliIo, processIo } from "./cli-io.js";
import { registerBenchCommand } from "./commands/bench.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerExperimentCommand } from "./commands/experiment.js";
import { registerFitCommand } from "./commands/fit.js";
import { registerInterpretCommand } from "./commands/interpret.js";
import { registerPredictCommand } from "./commands/predict.js";
import { registerRecoverCommand } from "./commands/recover.js";
import { registerSolveCommand } from "./commands/solve.js";

/**
 * The CLI's own package version, read from its package.json.
 *
 * @example
 * ```ts
 * import { cliVersion } from "convexformer";
 * cliVersion(); // "0.1.0"
 * ```
 */
export function cliVersion(): string {
  const manifest = JSON.parse(
    readFileSync(new URL("../package.json", import.meta.url), "utf8"),
  ) as {
    version: string;
  };
  return manifest.version;
}

/**
 * Builds the `convexformer` command tree. Each subcommand lives in its own file under
 * `src/commands/` and registers itself here. Usage errors throw a commander `CommanderError`
 * (the binary turns them into exit code 2).
 *
 * @param io - where commands write (default: the process streams)
 * @example
 * ```ts
 * import { createProgram } from "convexformer";
 * await createProgram().parseAsync(["node", "convexformer", "solve", "my-problem", "--json"]);
 * ```
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command("convexformer")
    .description(
      "Convex training of attention (arXiv:2211.11052, corrected): solve, fit, recover, interpret, experiment, bench.",
    )
    .version(cliVersion())
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerSolveCommand(program, io);
  registerDemoCommand(program, io);
  registerExperimentCommand(program, io);
  registerFitCommand(program, io);
  registerPredictCommand(program, io);
  registerRecoverCommand(program, io);
  registerInterpretCommand(program, io);
  registerBenchCommand(program, io);
  return program;
}
