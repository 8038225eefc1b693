import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { getSolver, listSolvers, type SolveOptions, type SolveResult } from "@convexformer/solvers";
import { ConvexformerError, writeNpy } from "@convexformer/tensors";
import { type Command, InvalidArgumentError } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import type { CliIo } from "../cli-io.js";
import { loadProblemDirectory } from "../problem-files.js";
import { gapProgress } from "../progress.js";
import { UsageError } from "../usage-error.js";

/** Options of `convexformer solve`, as parsed from the command line. */
export interface SolveCommandOptions {
  /** Registered solver name. */
  readonly solver: string;
  /** Target relative duality gap. */
  readonly tol: number;
  /** Iteration cap. */
  readonly maxIter?: number;
  /** Time limit in seconds. */
  readonly timeLimit?: number;
  /** Directory where the solution is saved. */
  readonly save?: string;
  /** Print one JSON line instead of the text summary. */
  readonly json?: boolean;
}

/**
 * `convexformer solve <problem-dir>`: solves a problem handed over as files and reports the
 * certificate. Returns the exit code: 0 converged (certified), 1 the solve did not reach the
 * tolerance, 2 bad usage or bad files.
 *
 * @example
 * ```ts
 * import { processIo, runSolve } from "convexformer";
 * const code = await runSolve("my-problem", { solver: "fista", tol: 1e-6, json: true }, processIo());
 * ```
 */
export async function runSolve(
  dir: string,
  options: SolveCommandOptions,
  io: CliIo,
): Promise<number> {
  try {
    if (!listSolvers().includes(options.solver)) {
      throw new UsageError(
        `--solver: unknown solver "${options.solver}" (registered: ${listSolvers().join(", ")})`,
      );
    }
    const loaded = await loadProblemDirectory(dir);
    const solver = getSolver(options.solver);
    const progress = gapProgress(io, options.tol);
    const solveOptions: SolveOptions = {
      tolerance: options.tol,
      onIteration: (record) => progress.update(record),
      ...(options.maxIter === undefined ? {} : { maxIterations: options.maxIter }),
      ...(options.timeLimit === undefined ? {} : { timeLimitMs: options.timeLimit * 1000 }),
    };
    let result: SolveResult;
    try {
      result = solver.solve(loaded.problem, solveOptions);
    } finally {
      progress.stop();
    }
    const summary = summarize(result, loaded.problem.regularizer.groups);
    if (options.save !== undefined) {
      await mkdir(options.save, { recursive: true });
      await writeFileAtomic(
        join(options.save, "x.npy"),
        writeNpy({ dtype: "float64", shape: loaded.solutionShape, data: result.x }),
      );
      await writeFileAtomic(
        join(options.save, "result.json"),
        `${JSON.stringify({ problem: loaded.spec, ...summary, history: result.history }, null, 2)}\n`,
      );
    }
    if (options.json) {
      io.stdout(`${JSON.stringify(summary)}\n`);
    } else {
      io.stdout(
        [
          `solver          ${summary.solver}`,
          `status          ${summary.status}`,
          `objective       ${summary.objective}`,
          `dual objective  ${summary.dualObjective}`,
          `relative gap    ${summary.relativeGap.toExponential(3)}`,
          `KKT residual    ${summary.kktResidual.toExponential(3)} (norm of the min-norm subgradient)`,
          `iterations      ${summary.iterations}`,
          `seconds         ${summary.seconds.toFixed(3)}`,
          `active groups   ${summary.activeGroups}`,
          ...(options.save === undefined
            ? []
            : [`saved           ${join(options.save, "x.npy")}, result.json`]),
          "",
        ].join("\n"),
      );
    }
    return result.status === "converged" ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConvexformerError) {
      io.stderr(`convexformer solve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function summarize(
  result: SolveResult,
  groups: { readonly count: number; readonly ptr: Int32Array } | undefined,
) {
  let activeGroups = 0;
  if (groups === undefined) {
    for (const v of result.x) if (v !== 0) activeGroups++;
  } else {
    for (let g = 0; g < groups.count; g++) {
      for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++) {
        if (result.x[i] !== 0) {
          activeGroups++;
          break;
        }
      }
    }
  }
  return {
    solver: result.solver,
    status: result.status,
    objective: result.objective,
    dualObjective: result.dualObjective,
    relativeGap: result.relativeGap,
    kktResidual: result.kktResidual,
    iterations: result.iterations,
    seconds: result.timings.totalMs / 1000,
    activeGroups,
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isFinite(v) || v <= 0)
      throw new InvalidArgumentError(`${name} must be a number > 0.`);
    return v;
  };
}

function positiveInteger(name: string) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isSafeInteger(v) || v < 1)
      throw new InvalidArgumentError(`${name} must be an integer >= 1.`);
    return v;
  };
}

/**
 * Registers `solve` on the program.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo, registerSolveCommand } from "convexformer";
 * registerSolveCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerSolveCommand(program: Command, io: CliIo): void {
  program
    .command("solve")
    .description(
      "solve a problem given as files: <problem-dir>/problem.json plus X.npy, y.npy (and G.npy for gated-relu)",
    )
    .argument("<problem-dir>", "directory holding problem.json and the .npy arrays")
    .option("--solver <name>", "solver: fista, admm, ipm, ...", "fista")
    .option("--tol <gap>", "target relative duality gap", positiveNumber("--tol"), 1e-6)
    .option("--max-iter <n>", "iteration cap", positiveInteger("--max-iter"))
    .option("--time-limit <seconds>", "wall-clock limit in seconds", positiveNumber("--time-limit"))
    .option("--save <dir>", "write the solution (x.npy) and result.json there")
    .option(
      "--json",
      "print one JSON line: solver, status, objective, dualObjective, relativeGap, ...",
    )
    .action(async (dir: string, options: SolveCommandOptions) => {
      process.exitCode = await runSolve(dir, options, io);
    });
}
