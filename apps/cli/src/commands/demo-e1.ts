import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { runExperiment } from "./experiment.js";

/**
 * Where `convexformer demo` (the E1 version) writes its report and figures.
 *
 * @example
 * ```ts
 * import { DEMO_E1_OUT } from "convexformer";
 * DEMO_E1_OUT; // "convexformer-out/demo"
 * ```
 */
export const DEMO_E1_OUT = "convexformer-out/demo";

/**
 * The E1 version of `convexformer demo` (issue 11): the E1 default data (the student–teacher
 * generator of `@convexformer/experiments`), the convex program fitted with a certificate and
 * recovered, the standard attention and the nonconvex alternative trained by Adam on the same
 * data and loss, the comparison table (regularized objective, test error, time, relative gap,
 * heads needed, token sparsity numbers), a terminal token map of each model, and the report
 * (`result.json`, `command.txt`) and figures (`objective.svg`, `token-maps.svg`, with their
 * JSON) written atomically to `out` (default {@link DEMO_E1_OUT}). It is `convexformer
 * experiment e1` at its defaults, interruptible the same way. `config` overrides E1's
 * configuration (for tests; the demo passes none). Returns the exit code (0, 1, 2, 130/143).
 *
 * @param options - the output folder, `--json`, E1 overrides
 * @param io - where to write
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { processIo, runDemoE1 } from "convexformer";
 * const out = join(mkdtempSync(join(tmpdir(), "cf-")), "demo");
 * const code = await runDemoE1({ out, config: { scale: 0.25, steps: 20 } }, processIo());
 * code; // 0
 * ```
 */
export async function runDemoE1(
  options: {
    readonly out?: string;
    readonly json?: boolean;
    readonly config?: Readonly<Record<string, unknown>>;
  },
  io: CliIo,
): Promise<number> {
  return await runExperiment(
    { experiment: "e1", config: { ...(options.config ?? {}) }, resume: false },
    {
      out: options.out ?? DEMO_E1_OUT,
      command: "convexformer demo",
      ...(options.json === undefined ? {} : { json: options.json }),
    },
    io,
  );
}

/**
 * Registers the E1 `demo` command (`convexformer demo [--out dir] [--json]`) on a program that
 * has no `demo` yet (the lead swaps it for the current demo's registration).
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo, registerDemoE1Command } from "convexformer";
 * registerDemoE1Command(new Command("convexformer"), processIo());
 * ```
 */
export function registerDemoE1Command(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description(
      "the main job on the E1 default data: convex attention (certified, recovered) vs the nonconvex alternative vs standard attention, table, token maps, report and figures",
    )
    .option(
      "--out <dir>",
      "report and figures folder (replaced as a whole, atomically)",
      DEMO_E1_OUT,
    )
    .option("--json", "print one JSON line instead of the table")
    .addHelpText(
      "after",
      "\nExit codes: 0 complete, 1 failed, 2 bad usage, 130 SIGINT / 143 SIGTERM (what was computed is written, status aborted).",
    )
    .action(async (o: { out: string; json?: boolean }) => {
      process.exitCode = await runDemoE1({ out: o.out, json: o.json === true }, io);
    });
}
