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
 * import { cliVersion } from "./program.js"; // internal module
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
 * const out: string[] = [];
 * const program = createProgram({ stdout: (t) => out.push(t), stderr: () => {}, interactive: false });
 * program.name(); // "convexformer"
 * program.commands.some((command) => command.name() === "solve"); // true
 * // the binary runs: await program.parseAsync(process.argv)
 * ```
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command("convexformer")
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
  // listed from the registered commands, so the description never advertises a missing one
  return program.description(programDescription(program));
}

/**
 * The top-level description of the `convexformer` command: what it does, then the names of the
 * commands registered on `program` (so it lists exactly the commands that exist).
 *
 * @param program - the command tree, after its subcommands are registered
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { programDescription } from "./program.js"; // internal module
 * const program = new Command("convexformer");
 * program.command("solve");
 * program.command("demo");
 * programDescription(program); // "Convex training of attention (arXiv:2211.11052, corrected): solve, demo."
 * ```
 */
export function programDescription(program: Command): string {
  const names = program.commands.map((command) => command.name());
  return `Convex training of attention (arXiv:2211.11052, corrected): ${names.join(", ")}.`;
}
