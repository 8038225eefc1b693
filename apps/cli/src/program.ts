import { readFileSync } from "node:fs";
import { Command } from "commander";

/** The CLI's own package version, read from its package.json. */
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
 * `src/commands/` and registers itself here.
 *
 * @example
 * ```ts
 * import { createProgram } from "convexformer";
 * await createProgram().parseAsync(["node", "convexformer", "--help"]);
 * ```
 */
export function createProgram(): Command {
  const program = new Command("convexformer")
    .description(
      "Convex training of attention (arXiv:2211.11052, corrected): solve, fit, recover, interpret, experiment, bench.",
    )
    .version(cliVersion())
    .showHelpAfterError()
    .exitOverride();
  return program;
}
