import { join, resolve } from "node:path";
import { problemKinds } from "@convexformer/attention";
import { UsageError } from "@convexformer/io";
import {
  parseSpec,
  readInputText,
  readSolverCheckpoint,
  SOLVER_CHECKPOINT_FILES,
  type SolverCheckpointMeta,
  solverCheckpointFiles,
  validateOutputDirectory,
  writeResultFolder,
} from "@convexformer/io/node";
import {
  DEFAULT_TOLERANCE,
  type FistaCheckpoint,
  getSolver,
  type IterationRecord,
  listSolvers,
} from "@convexformer/solvers";
import { writeNpy } from "@convexformer/tensors";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
import { decimalOption, integerOption } from "../numeric-options.js";
import { gapProgress } from "../progress.js";
import { runInterruptibly } from "../run-interruptibly.js";
import type { SolveJobInput, SolveJobOutput, SolveSummary } from "./solve-job.js";

/**
 * Options of `convexformer solve`, as parsed from the command line (the second argument of
 * {@link runSolve}).
 *
 * @example
 * ```ts
 * import type { SolveCommandOptions } from "convexformer";
 * // `convexformer solve <dir> --solver fista --tolerance 1e-8 --save run --json`
 * const options: SolveCommandOptions = { solver: "fista", tolerance: 1e-8, save: "run", json: true };
 * options.solver; // "fista"
 * ```
 */
export interface SolveCommandOptions {
  /** Registered solver name. */
  readonly solver: string;
  /**
   * Target relative duality gap, in (0, 1). With `resume` and left out: the checkpoint's;
   * otherwise `DEFAULT_TOLERANCE` of `@convexformer/solvers`.
   */
  readonly tolerance?: number;
  /** Iteration cap (all iterations, across resumes). */
  readonly maxIterations?: number;
  /** Time limit in seconds for the whole command, loading included. */
  readonly timeLimit?: number;
  /** Directory where the result folder is written (atomically, as a whole). */
  readonly save?: string;
  /** Seconds between checkpoints written to `save` (FISTA). Default 10. */
  readonly checkpointEvery?: number;
  /** A result folder holding a checkpoint to continue from (FISTA); `save` defaults to it. */
  readonly resume?: string;
  /** Print one JSON line instead of the text summary. */
  readonly json?: boolean;
}

/** The files a `solve` result folder may hold. */
const SOLVE_FILES = ["x.npy", "result.json", ...SOLVER_CHECKPOINT_FILES];

/**
 * `convexformer solve <problem-dir>`: solves a problem handed over as files and reports the
 * certificate. The solve runs in a worker (`runInterruptibly`): SIGINT / SIGTERM stop it within
 * an iteration, the best iterate and its certificate are kept with status `aborted`, saved when
 * `save` is given (with a checkpoint for `--resume`), and the exit code is 130 / 143. `save` is
 * checked before any work; the result folder is replaced atomically (`writeResultFolder`), and
 * during FISTA solves it receives a checkpoint every `checkpointEvery` seconds. Returns the exit
 * code: 0 converged (certified), 1 the solve did not reach the tolerance, 2 bad usage or bad
 * files, 130 / 143 interrupted.
 *
 * @param dir - the problem directory (`problem.json` and its `.npy` files); may be left out
 *   only with `options.resume` (the problem directory its checkpoint names is used)
 * @param options - the parsed command-line options (see {@link SolveCommandOptions})
 * @param io - where the summary (or the `--json` line) and the messages go
 * @example
 * ```ts
 * import { processIo, runSolve } from "convexformer";
 * const code = await runSolve("my-problem", { solver: "fista", tolerance: 1e-6, json: true }, processIo());
 * ```
 */
export async function runSolve(
  dir: string | undefined,
  options: SolveCommandOptions,
  io: CliIo,
): Promise<number> {
  const startedAt = Date.now();
  let progress: ReturnType<typeof gapProgress> | undefined;
  try {
    const { input, meta, save, saveTo } = await prepareSolve(dir, options, startedAt);
    const bar = gapProgress(io, input.tolerance);
    progress = bar;
    let spec: unknown = input.resumeSpec;
    const outcome = await runInterruptibly<
      SolveJobInput,
      SolveJobOutput | { readonly setupInterrupted: string }
    >(
      { module: new URL("./solve-job.js", import.meta.url), exportName: "solveJob", input },
      {
        onReport: async (message) => {
          const m = message as {
            type: string;
            record?: IterationRecord;
            checkpoint?: FistaCheckpoint;
            spec?: unknown;
          };
          if (m.type === "progress" && m.record !== undefined) bar.update(m.record);
          if (m.type === "checkpoint" && m.checkpoint !== undefined && save !== undefined) {
            await writeResultFolder(save, {
              ...solverCheckpointFiles(m.checkpoint, { ...meta, spec }),
              "x.npy": writeNpy({
                dtype: "float64",
                shape: [m.checkpoint.x.length],
                data: m.checkpoint.x,
              }),
              "result.json": `${JSON.stringify({ status: "in-progress", solver: options.solver, iterations: m.checkpoint.monitor.iteration, latest: m.checkpoint.monitor.history.at(-1) ?? null, note: "a checkpoint of a running solve; x.npy is its current iterate (flat); resume with --resume" }, null, 2)}\n`,
            });
          }
          if (m.type === "spec") spec = m.spec;
        },
        onInterrupt: (signal) => {
          bar.stop();
          io.stderr(
            `convexformer solve: ${signal}: stopping after this iteration and keeping the best iterate (${signal === "SIGINT" ? "Ctrl-C" : signal} again quits at once, saving nothing)\n`,
          );
        },
      },
    );
    bar.stop();
    const out = outcome.value;
    if ("setupInterrupted" in out) {
      io.stderr(
        `convexformer solve: ${(out as { setupInterrupted: string }).setupInterrupted}; nothing to save\n`,
      );
      return outcome.exitCode ?? 1;
    }
    const { summary } = out;
    if (save !== undefined) {
      await writeResultFolder(save, {
        "x.npy": writeNpy({ dtype: "float64", shape: out.solutionShape, data: out.x }),
        "result.json": `${JSON.stringify({ problem: out.spec, ...summary, history: out.history }, null, 2)}\n`,
        ...(out.checkpoint === undefined
          ? {}
          : solverCheckpointFiles(out.checkpoint, {
              ...meta,
              problemDir: out.problemDir,
              spec: out.spec,
            })),
      });
    }
    if (options.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else {
      const saved =
        save === undefined
          ? undefined
          : `${join(save, "x.npy")}, result.json${out.checkpoint === undefined ? "" : `, checkpoint (continue with: convexformer solve --resume ${saveTo})`}`;
      io.stdout(formatSummary(summary, outcome.interruptedBy, saved));
    }
    return outcome.exitCode ?? (summary.status === "converged" ? 0 : 1);
  } catch (error) {
    progress?.stop();
    return commandErrorExitCode("convexformer solve", error, io);
  }
}

/**
 * Checks the options before any work (solver, checkpoint to resume, `problem.json`, tolerance,
 * the result folder) and builds the worker's input and the checkpoints' meta.
 */
async function prepareSolve(
  dir: string | undefined,
  options: SolveCommandOptions,
  startedAt: number,
): Promise<{
  input: SolveJobInput;
  meta: SolverCheckpointMeta;
  save: string | undefined;
  saveTo: string | undefined;
}> {
  if (!listSolvers().includes(options.solver)) {
    throw new UsageError(
      `--solver: unknown solver "${options.solver}" (registered: ${listSolvers().join(", ")})`,
      "--solver",
    );
  }
  let resumed: { meta: SolverCheckpointMeta; checkpoint: FistaCheckpoint } | undefined;
  if (options.resume !== undefined) {
    if (getSolver(options.solver).checkpoints === undefined)
      throw new UsageError(
        `--resume: only ${resumableSolvers().join(", ")} solves can be resumed; got --solver ${options.solver}`,
        "--resume",
      );
    resumed = await readSolverCheckpoint(options.resume);
  }
  const problemDir = dir ?? resumed?.meta.problemDir;
  if (problemDir === undefined)
    throw new UsageError("solve: give a <problem-dir> (or --resume <result-dir>)");
  // problem.json errors come at once, before a worker starts (the worker reads it again and
  // reports a missing folder or file in its own words)
  const specFile = join(problemDir, "problem.json");
  const specText = await readInputText(specFile).catch(() => undefined);
  if (specText !== undefined) parseSpec(specText, specFile);
  const tolerance = options.tolerance ?? resumed?.meta.tolerance ?? DEFAULT_TOLERANCE;
  if (!(tolerance > 0 && tolerance < 1))
    throw new UsageError(`--tolerance must be in (0, 1); got ${tolerance}`, "--tolerance");
  const maxIterations = options.maxIterations ?? resumed?.meta.maxIterations;
  const saveTo = options.save ?? options.resume;
  const save =
    saveTo === undefined
      ? undefined
      : await validateOutputDirectory(
          options.save === undefined ? "--resume" : "--save",
          saveTo,
          SOLVE_FILES,
        );
  const meta: SolverCheckpointMeta = {
    problemDir: resolve(problemDir),
    spec: undefined,
    solver: options.solver,
    tolerance,
    ...(maxIterations === undefined ? {} : { maxIterations }),
  };
  const input: SolveJobInput = {
    dir: problemDir,
    solver: options.solver,
    tolerance,
    startedAt,
    ...(maxIterations === undefined ? {} : { maxIterations }),
    ...(options.timeLimit === undefined ? {} : { timeLimitMs: options.timeLimit * 1000 }),
    ...(save === undefined || getSolver(options.solver).checkpoints === undefined
      ? {}
      : { checkpointEveryMs: (options.checkpointEvery ?? 10) * 1000 }),
    ...(resumed === undefined
      ? {}
      : { resumeFrom: resumed.checkpoint, resumeSpec: resumed.meta.spec }),
  };
  return { input, meta, save, saveTo };
}

/** The text summary of a solve (`saved`: the line naming what `--save` wrote). */
function formatSummary(
  summary: SolveSummary,
  interruptedBy: string | undefined,
  saved: string | undefined,
): string {
  return [
    `solver          ${summary.solver}`,
    `status          ${summary.status}${interruptedBy === undefined ? "" : ` (${interruptedBy})`}`,
    `objective       ${summary.objective}`,
    `dual objective  ${summary.dualObjective}`,
    `relative gap    ${summary.relativeGap.toExponential(3)}`,
    `KKT residual    ${summary.kktResidual.toExponential(3)} (norm of the min-norm subgradient)`,
    `iterations      ${summary.iterations}`,
    `seconds         ${summary.seconds.toFixed(3)}`,
    `active groups   ${summary.activeGroups}`,
    ...(saved === undefined ? [] : [`saved           ${saved}`]),
    "",
  ].join("\n");
}

/**
 * Registers `solve` on the program; its action runs {@link runSolve} and sets
 * `process.exitCode`.
 *
 * @param program - the command tree to add `solve` to
 * @param io - where the command writes (`processIo()` for the process streams)
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerSolveCommand } from "./solve.js"; // internal module
 * registerSolveCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerSolveCommand(program: Command, io: CliIo): void {
  program
    .command("solve")
    .description(
      `solve a problem given as files: <problem-dir>/problem.json (kind: ${problemKinds().join(", ")}) plus X.npy, y.npy (and G.npy for gated-relu)`,
    )
    .argument(
      "[problem-dir]",
      "directory holding problem.json and the .npy arrays (default with --resume: the checkpoint's)",
    )
    .option(
      "--solver <name>",
      `solver: ${listSolvers()
        .map((name) => `${name} (${getSolver(name).description ?? "registered"})`)
        .join("; ")}`,
      "fista",
    )
    .option(
      "--tolerance <gap>",
      `target relative duality gap, in (0, 1) (default ${DEFAULT_TOLERANCE.toExponential()})`,
      decimalOption("--tolerance", { min: 0, max: 1 }),
    )
    .option("--max-iterations <n>", "iteration cap", integerOption("--max-iterations"))
    .option(
      "--time-limit <seconds>",
      "wall-clock limit in seconds for the whole command, loading and set-up included",
      decimalOption("--time-limit", { min: 0 }),
    )
    .option(
      "--save <dir>",
      "write the result folder there (x.npy, result.json, a checkpoint when unfinished), replaced atomically",
    )
    .option(
      "--checkpoint-every <seconds>",
      "with --save and a resumable solver: write a checkpoint this often (default 10)",
      decimalOption("--checkpoint-every", { min: 0 }),
    )
    .option(
      "--resume <dir>",
      `continue the interrupted solve saved in <dir> (written back there unless --save; resumable: ${resumableSolvers().join(", ")})`,
    )
    .option(
      "--json",
      "print one JSON line: solver, status, objective, dualObjective, relativeGap, ...",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 converged (certified gap), 1 not converged (the status says why), 2 bad usage or bad files,\n130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: the best iterate is kept (status aborted), saved with --save\nwith a checkpoint, and the summary printed; a second signal quits at once without saving.",
    )
    .action(async (dir: string | undefined, options: SolveCommandOptions) => {
      process.exitCode = await runSolve(dir, options, io);
    });
}

/** The registered solvers whose solves can be checkpointed and resumed. */
function resumableSolvers(): string[] {
  return listSolvers().filter((name) => getSolver(name).checkpoints !== undefined);
}
