import { resolve } from "node:path";
import { SetupInterruptedError, UsageError } from "@convexformer/io";
import {
  formatBytes,
  loadProblemDirectory,
  memoryLimitBytes,
  type ProblemSpec,
} from "@convexformer/io/node";
import {
  type FistaCheckpoint,
  type FistaOptions,
  getSolver,
  type IterationRecord,
  listSolvers,
  type SolveResult,
  type SolveStatus,
} from "@convexformer/solvers";
import { deadlineSignal } from "../deadline-signal.js";
import type { JobContext } from "../run-interruptibly.js";

/**
 * The input of {@link solveJob} (structured-cloned into the worker).
 *
 * @example
 * ```ts
 * import type { SolveJobInput } from "./solve-job.js"; // internal module
 * const input: SolveJobInput = { dir: "my-problem", solver: "fista", tolerance: 1e-6, startedAt: Date.now() };
 * ```
 */
export interface SolveJobInput {
  /** The problem directory. */
  readonly dir: string;
  /** Registered solver name. */
  readonly solver: string;
  /** Target relative duality gap. */
  readonly tolerance: number;
  /** Iteration cap. */
  readonly maxIterations?: number;
  /** Wall-clock limit of the whole command in milliseconds, loading included. */
  readonly timeLimitMs?: number;
  /** `Date.now()` when the command started (the time limit counts from there). */
  readonly startedAt: number;
  /** Post a checkpoint this often (FISTA only); none when absent. */
  readonly checkpointEveryMs?: number;
  /** Continue from this checkpoint (FISTA only). */
  readonly resumeFrom?: FistaCheckpoint;
  /** The problem spec the checkpoint was written for (must match `problem.json`). */
  readonly resumeSpec?: unknown;
}

/**
 * What {@link solveJob} returns: the summary line, the solution and what a save needs.
 *
 * @example
 * ```ts
 * import type { SolveJobOutput } from "./solve-job.js"; // internal module
 * const print = (o: SolveJobOutput) => console.log(o.summary.status, o.summary.objective);
 * ```
 */
export interface SolveJobOutput {
  /** The fields of `--json`. */
  readonly summary: SolveSummary;
  /** The returned iterate. */
  readonly x: Float64Array;
  /** Its shape for `x.npy`. */
  readonly solutionShape: readonly number[];
  /** The parsed `problem.json`. */
  readonly spec: ProblemSpec;
  /** The absolute problem directory. */
  readonly problemDir: string;
  /** The solve's history. */
  readonly history: readonly IterationRecord[];
  /** The last checkpoint (where an early stop left the solver), for `--resume`. */
  readonly checkpoint: FistaCheckpoint | undefined;
}

/**
 * The `--json` line of `convexformer solve`.
 *
 * @example
 * ```ts
 * import type { SolveSummary } from "./solve-job.js"; // internal module
 * const s: SolveSummary = { solver: "fista", status: "converged", objective: 0.234375, dualObjective: 0.234375,
 *   relativeGap: 0, kktResidual: 0, iterations: 12, seconds: 0.01, activeGroups: 2 };
 * ```
 */
export interface SolveSummary {
  /** Solver name. */
  readonly solver: string;
  /** How the solve ended. */
  readonly status: SolveStatus;
  /** `P(x)`. */
  readonly objective: number;
  /** Best dual objective. */
  readonly dualObjective: number;
  /** Certified relative gap. */
  readonly relativeGap: number;
  /** Norm of the minimum-norm subgradient. */
  readonly kktResidual: number;
  /** Iterations (all of them, across resumes). */
  readonly iterations: number;
  /** Seconds of the whole command, loading included. */
  readonly seconds: number;
  /** Nonzero groups of `x`. */
  readonly activeGroups: number;
}

/**
 * The worker side of `convexformer solve` (run through `runInterruptibly`): loads the problem
 * (honouring the signal and the time limit), solves it with the signal, the remaining time,
 * progress reports (`{ type: "progress", record }`, at most every 100 ms) and, for FISTA,
 * checkpoint reports (`{ type: "checkpoint", checkpoint }`), and returns the result.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { solveJob } from "./solve-job.js"; // internal module
 * // exact instance 1 as a group lasso: A = I, y = (1, −1), λ = 1/8, optimum 15/64
 * const dir = mkdtempSync(join(tmpdir(), "cf-solve-"));
 * writeFileSync(join(dir, "problem.json"), JSON.stringify({ kind: "group-lasso", loss: "squared", lambda: 0.125 }));
 * writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [2, 2], data: new Float64Array([1, 0, 0, 1]) }));
 * writeFileSync(join(dir, "y.npy"), writeNpy({ dtype: "float64", shape: [2], data: new Float64Array([1, -1]) }));
 * const out = await solveJob(
 *   { dir, solver: "fista", tolerance: 1e-10, startedAt: Date.now() },
 *   { signal: new AbortController().signal, report: () => {} },
 * );
 * "summary" in out && out.summary.objective; // 0.234375 ± 1e-9
 * ```
 */
export async function solveJob(
  input: SolveJobInput,
  context: JobContext,
): Promise<SolveJobOutput | { readonly setupInterrupted: string }> {
  const deadline =
    input.timeLimitMs === undefined ? undefined : input.startedAt + input.timeLimitMs;
  let loaded: Awaited<ReturnType<typeof loadProblemDirectory>>;
  try {
    loaded = await loadProblemDirectory(input.dir, {
      signal: deadlineSignal(context.signal, deadline),
    });
  } catch (error) {
    if (error instanceof SetupInterruptedError) return { setupInterrupted: error.message };
    throw error;
  }
  context.report({ type: "spec", spec: loaded.spec });
  if (
    input.resumeSpec !== undefined &&
    JSON.stringify(input.resumeSpec) !== JSON.stringify(loaded.spec)
  ) {
    throw new UsageError(
      `--resume: the checkpoint was written for another problem.json (${JSON.stringify(input.resumeSpec)}); ${input.dir} holds ${JSON.stringify(loaded.spec)}`,
    );
  }
  // a solver that declares more than linear memory (dense systems) is refused what cannot fit
  const solver = getSolver(input.solver);
  const { operator, loss } = loaded.problem;
  const neededBytes = solver.estimateMemoryBytes?.({
    rows: operator.rows,
    cols: operator.cols,
    loss: loss.name,
  });
  if (neededBytes !== undefined && neededBytes > memoryLimitBytes()) {
    const linear = listSolvers().filter(
      (name) => getSolver(name).estimateMemoryBytes === undefined,
    );
    throw new UsageError(
      `--solver ${input.solver}: the problem has ${operator.cols} variables, and the solver needs about ${formatBytes(neededBytes)} (memory limit ${formatBytes(memoryLimitBytes())}); use --solver ${linear.join(" or --solver ")}, which needs only products with the operator`,
    );
  }
  let lastReport = 0;
  let lastCheckpoint: FistaCheckpoint | undefined;
  const resumable = solver.checkpoints !== undefined;
  const options: FistaOptions = {
    tolerance: input.tolerance,
    signal: context.signal,
    onIteration: (record) => {
      const now = Date.now();
      if (now - lastReport < 100) return;
      lastReport = now;
      context.report({ type: "progress", record });
    },
    ...(input.maxIterations === undefined ? {} : { maxIterations: input.maxIterations }),
    // the time limit covers the whole command: what loading left (at least 1 ms)
    ...(deadline === undefined ? {} : { timeLimitMs: Math.max(1, deadline - Date.now()) }),
    ...(resumable && input.resumeFrom !== undefined ? { resumeFrom: input.resumeFrom } : {}),
    ...(resumable
      ? {
          checkpoint: {
            everyMs: input.checkpointEveryMs ?? 1e15,
            write: (c: FistaCheckpoint) => {
              lastCheckpoint = c;
              if (input.checkpointEveryMs !== undefined)
                context.report({ type: "checkpoint", checkpoint: c });
            },
          },
        }
      : {}),
  };
  const result = solver.solve(loaded.problem, options);
  const finalCheckpoint =
    result.status === "converged" || result.status === "diverged" ? undefined : lastCheckpoint;
  return {
    summary: summarize(
      result,
      loaded.problem.regularizer.groups,
      (Date.now() - input.startedAt) / 1000,
    ),
    x: result.x,
    solutionShape: loaded.solutionShape,
    spec: loaded.spec,
    problemDir: resolve(input.dir),
    history: result.history,
    checkpoint: finalCheckpoint,
  };
}

function summarize(
  result: SolveResult,
  groups: { readonly count: number; readonly ptr: Int32Array } | undefined,
  seconds: number,
): SolveSummary {
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
    seconds,
    activeGroups,
  };
}
