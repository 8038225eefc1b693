import { fileURLToPath } from "node:url";
import type { IterationRecord } from "@convexformer/solvers";
import { ConvexformerError } from "@convexformer/tensors";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { decimalOption } from "../numeric-options.js";
import { checkOutputDirectory } from "../output-directory.js";
import { gapProgress } from "../progress.js";
import { writeResultFolder } from "../result-folder.js";
import { ForcedExitError, runInterruptibly } from "../run-interruptibly.js";
import { UsageError } from "../usage-error.js";

/** The files a demo result folder holds. */
const DEMO_FILES = ["result.json", "z.npy", "token-importance.svg"];

/** Options of `convexformer demo`. */
export interface DemoOptions {
  /** Directory with `X.npy` (`N × n × d`) and `y.npy` (`N`); default the embedded dataset. */
  readonly data?: string;
  /** Output directory. Default `runs/demo`. */
  readonly out: string;
  /** `λ = ratio · λ_max`. Default 0.01. */
  readonly lambdaRatio: number;
  /** Fraction of samples used for training (the rest are held out). Default 0.75. */
  readonly trainFraction: number;
  /** Solver name. Default `fista`. */
  readonly solver: string;
  /** Target relative duality gap. Default 1e-8. */
  readonly tol: number;
}

/** The embedded default dataset shipped with the CLI (see `scripts/make-demo-data.ts`). */
export const DEMO_DATA_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));

/**
 * `convexformer demo`: fits the convex scalar attention program (9) to a dataset (by default
 * the embedded one: a planted two-head simplex-attention teacher on tokens 2 and 5 plus noise),
 * certifies the global optimum by its duality gap, recovers the network (one head per nonzero
 * token row), checks that its nonconvex objective equals the convex one, evaluates it on held-out
 * samples and writes `result.json`, `z.npy` and `token-importance.svg` as one atomic result
 * folder (`--out` is checked before any work). The fit runs in a worker (`runInterruptibly`):
 * SIGINT / SIGTERM stop it within an iteration, the best iterate is kept (status `aborted`),
 * the folder written and the exit code is 130 / 143. Returns the exit code.
 *
 * @example
 * ```ts
 * import { processIo, runDemo } from "convexformer";
 * await runDemo({ out: "runs/demo", lambdaRatio: 0.01, trainFraction: 0.75, solver: "fista", tol: 1e-8 }, processIo());
 * ```
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  let progress: ReturnType<typeof gapProgress> | undefined;
  try {
    const dataDir = options.data ?? DEMO_DATA_DIR;
    const out = await checkOutputDirectory("--out", options.out, DEMO_FILES);
    const bar = gapProgress(io, options.tol);
    progress = bar;
    const outcome = await runInterruptibly<
      { options: DemoOptions; dataDir: string; embedded: boolean },
      { files: Record<string, string | Uint8Array>; text: string; status: string }
    >(
      {
        module: new URL("./demo-job.js", import.meta.url),
        exportName: "demoJob",
        input: { options, dataDir, embedded: options.data === undefined },
      },
      {
        onReport: (message) => {
          const m = message as { type: string; record?: IterationRecord; text?: string };
          if (m.type === "progress" && m.record !== undefined) bar.update(m.record);
          if (m.type === "info" && m.text !== undefined) io.stderr(m.text);
        },
        onInterrupt: (signal) => {
          bar.stop();
          io.stderr(
            `convexformer demo: ${signal}: stopping the fit after this iteration and keeping the best iterate (${signal === "SIGINT" ? "Ctrl-C" : signal} again quits at once, saving nothing)\n`,
          );
        },
      },
    );
    bar.stop();
    await writeResultFolder(out, outcome.value.files);
    io.stdout(outcome.value.text);
    return outcome.exitCode ?? (outcome.value.status === "converged" ? 0 : 1);
  } catch (error) {
    progress?.stop();
    if (error instanceof ForcedExitError) {
      io.stderr(`convexformer demo: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError || error instanceof ConvexformerError) {
      io.stderr(`convexformer demo: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function ratio(name: string) {
  return decimalOption(name, { min: 0, max: 1 });
}

/**
 * Registers `demo` on the program.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo, registerDemoCommand } from "convexformer";
 * registerDemoCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description(
      "fit convex attention to the embedded default dataset (or --data), certify it, recover the network, write result.json and an SVG",
    )
    .option(
      "--data <dir>",
      "directory with X.npy (N × n × d) and y.npy (N) instead of the embedded dataset",
    )
    .option("--out <dir>", "output directory", "runs/demo")
    .option("--lambda-ratio <r>", "λ = r · λ_max", ratio("--lambda-ratio"), 0.01)
    .option(
      "--train-fraction <f>",
      "fraction of samples used for training",
      ratio("--train-fraction"),
      0.75,
    )
    .option("--solver <name>", "solver", "fista")
    .option("--tol <gap>", "target relative duality gap", ratio("--tol"), 1e-8)
    .addHelpText(
      "after",
      "\nExit codes: 0 certified, 1 not converged, 2 bad usage or data, 130 SIGINT / 143 SIGTERM (the fit stops\nwithin an iteration, the best iterate is kept with status aborted and written to --out).",
    )
    .action(async (options: DemoOptions) => {
      process.exitCode = await runDemo(options, io);
    });
}
