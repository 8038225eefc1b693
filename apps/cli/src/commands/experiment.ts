import { rm } from "node:fs/promises";
import type { RunnerProgress } from "@convexformer/experiments";
import { EXPERIMENTS } from "@convexformer/experiments/node";
import { validateOutputDirectory, writeResultFolder } from "@convexformer/io/node";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
import { addExperimentOptions } from "../experiment-options.js";
import { integerOption } from "../numeric-options.js";
import { runInterruptibly } from "../run-interruptibly.js";
import { phaseProgress } from "../runner-progress.js";
import {
  type ExperimentJobInput,
  type ExperimentJobOutput,
  findExperiment,
} from "./experiment-job.js";

/** Files an experiment result folder may hold (besides its manifest): every figure registered. */
const EXPERIMENT_FILES = [
  "result.json",
  "command.txt",
  ...new Set(EXPERIMENTS.flatMap((e) => e.figures?.files ?? [])),
];

/** Options common to every `convexformer experiment` subcommand. */
interface CommonOptions {
  readonly out?: string;
  readonly resume?: boolean;
  readonly json?: boolean;
  readonly checkpointEvery?: number;
}

/**
 * Runs one experiment as `convexformer experiment <name>` does: checks `--out` before any work,
 * runs the experiment in a worker (SIGINT/SIGTERM stop it at the next step with what was
 * computed, status `aborted`, exit 130/143), checkpoints beside the result folder
 * (`<out>.checkpoint.json`, removed when the run completes) so `--resume` continues it, and
 * writes `result.json`, `command.txt` and the figures as one atomic result folder. Returns the
 * exit code: 0 complete, 1 failed, 2 bad usage, 130/143 interrupted.
 *
 * @param job - the experiment (a name in the registry), its configuration, whether to resume,
 *   the checkpoint interval (the checkpoint file itself is set here, from `options.out`)
 * @param options - `out`: the result folder (checked before any work: absent, or an earlier
 *   result); `command`: the command line written to `command.txt`; `json`: print one JSON line
 *   instead of the table (default false); `name`: the prefix of error messages (default
 *   `convexformer experiment <name>`); `checkpoint`: keep `<out>.checkpoint.json` when the
 *   experiment checkpoints (default true; an experiment whose descriptor says it does not,
 *   such as E2-convex and E3, never does)
 * @param io - where the table and the messages go
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { processIo, runExperiment } from "convexformer";
 * const out = join(mkdtempSync(join(tmpdir(), "cf-")), "e2");
 * const code = await runExperiment(
 *   { experiment: "e2-convex", config: { prime: 7, gates: 4 }, resume: false },
 *   { out, command: "convexformer experiment e2-convex --prime 7 --gates 4" },
 *   processIo(),
 * );
 * code; // 0
 * ```
 */
export async function runExperiment(
  job: ExperimentJobInput,
  options: {
    readonly out: string;
    readonly command: string;
    readonly json?: boolean;
    readonly name?: string;
    readonly checkpoint?: boolean;
  },
  io: CliIo,
): Promise<number> {
  const name = options.name ?? `convexformer experiment ${job.experiment}`;
  const bar = phaseProgress(io);
  try {
    const experiment = findExperiment(job.experiment);
    const out = await validateOutputDirectory("--out", options.out, EXPERIMENT_FILES);
    const checkpoint =
      options.checkpoint === false || !experiment.checkpoints
        ? undefined
        : `${out}.checkpoint.json`;
    const outcome = await runInterruptibly<ExperimentJobInput, ExperimentJobOutput>(
      {
        module: new URL("./experiment-job.js", import.meta.url),
        exportName: "experimentJob",
        input: { ...job, ...(checkpoint === undefined ? {} : { checkpoint }) },
      },
      {
        onReport: (message) => {
          const m = message as { type: string } & RunnerProgress;
          if (m.type === "progress") bar.update(m);
        },
        onInterrupt: (signal) => {
          bar.stop();
          io.stderr(
            `${name}: ${signal}: stopping at the next step and keeping what was computed (${signal === "SIGINT" ? "Ctrl-C" : signal} again quits at once, saving nothing)\n`,
          );
        },
      },
    );
    bar.stop();
    const { result, files, text } = outcome.value;
    await writeResultFolder(out, { ...files, "command.txt": `${options.command}\n` });
    if (checkpoint !== undefined && result.status === "complete")
      await rm(checkpoint, { force: true });
    if (options.json === true) {
      io.stdout(
        `${JSON.stringify({ experiment: result.experiment, status: result.status, out, metrics: result.metrics })}\n`,
      );
    } else {
      io.stdout(
        `${text}\nwrote ${out}${result.status === "aborted" && checkpoint !== undefined ? ` (resume with --resume; checkpoint ${checkpoint})` : ""}\n`,
      );
    }
    return outcome.exitCode ?? (result.status === "complete" ? 0 : 1);
  } catch (error) {
    bar.stop();
    return commandErrorExitCode(name, error, io);
  }
}

function commandLine(): string {
  return ["convexformer", ...process.argv.slice(2)].join(" ");
}

/**
 * Registers `experiment` and one subcommand per registered experiment (`EXPERIMENTS` of
 * `@convexformer/experiments/node`): its description, options and `--help` (with defaults)
 * from the descriptor's option table, plus `--out`, `--json` and, for experiments that
 * checkpoint, `--resume` and `--checkpoint-every`; each run writes an atomic result folder.
 *
 * @param program - the command tree to add `experiment` and its subcommands to
 * @param io - where the commands write (`processIo()` for the process streams)
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerExperimentCommand } from "./experiment.js"; // internal module
 * registerExperimentCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerExperimentCommand(program: Command, io: CliIo): void {
  const group = program
    .command("experiment")
    .description(
      `run the registered experiments: ${EXPERIMENTS.map((e) => e.name).join(", ")} (convexformer experiment <name> --help)`,
    );
  for (const experiment of EXPERIMENTS) {
    const defaultOut = `convexformer-out/${experiment.name}`;
    const cmd = group.command(experiment.name).description(experiment.description);
    const readConfig = addExperimentOptions(cmd, experiment.options);
    cmd
      .option("--out <dir>", "result folder (replaced as a whole, atomically)", defaultOut)
      .option("--json", "print one JSON line instead of the table");
    if (experiment.checkpoints)
      cmd
        .option("--resume", "continue from the checkpoint beside --out (<out>.checkpoint.json)")
        .option(
          "--checkpoint-every <steps>",
          "checkpoint every this many steps",
          integerOption("--checkpoint-every"),
        );
    cmd.addHelpText(
      "after",
      "\nExit codes: 0 complete, 1 failed, 2 bad usage or data, 130 SIGINT / 143 SIGTERM (the run stops at the next\nstep, what was computed is written with status aborted; --resume continues it).",
    );
    cmd.action(async (...args: unknown[]) => {
      const o = cmd.opts<CommonOptions & Record<string, unknown>>();
      process.exitCode = await runExperiment(
        {
          experiment: experiment.name,
          config: readConfig(o, args),
          resume: o.resume === true,
          ...(o.checkpointEvery === undefined ? {} : { checkpointEvery: o.checkpointEvery }),
        },
        { out: o.out ?? defaultOut, command: commandLine(), json: o.json === true },
        io,
      );
    });
  }
}
