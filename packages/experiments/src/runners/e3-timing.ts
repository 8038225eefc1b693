import {
  type AttentionProgramKind,
  fitConvexAttention,
  type LossName,
} from "@convexformer/attention";
import { SimplexHeads, setupTfjs, train } from "@convexformer/baselines";
import type { StudentTeacherData, StudentTeacherOptions } from "../datasets/student-teacher.js";
import type { E3Program, E3Row, E3Size } from "./e3-row.js";
import { jsonNumber, type RunnerHooks } from "./experiment-result.js";

/** One E3 instance: the program, its loss, the data and the gates. */
export interface E3Instance {
  readonly kind: AttentionProgramKind;
  readonly loss: LossName;
  readonly data: StudentTeacherOptions;
  readonly gates?: number;
}

/** Where a row is timed: the program × size, its instance and data, and the run's settings. */
export interface E3Cell {
  readonly program: E3Program;
  readonly size: E3Size;
  readonly instance: E3Instance;
  readonly data: StudentTeacherData;
  readonly gaps: readonly number[];
  readonly seed: number;
  readonly hooks: RunnerHooks;
}

/**
 * Solves an instance with one solver to the smallest gap and records the time and iterations
 * at which each gap was first certified (from the per-iteration records); a solver that
 * refuses the instance gives an `"error"` row. Returns `undefined` when the signal stopped it.
 *
 * @param cell - the program × size, instance, data, gaps, seed and hooks
 * @param solver - the solver
 * @param settings - `λ` ratio, iteration and time limits
 */
export function timeSolver(
  cell: E3Cell,
  solver: string,
  settings: {
    readonly lambdaRatio: number;
    readonly maxIterations: number;
    readonly timeLimitMs: number;
  },
): { readonly row: E3Row; readonly objective?: number; readonly lambda?: number } | undefined {
  const { program, size, instance: inst, data, gaps, hooks } = cell;
  const records: { iteration: number; elapsedMs: number; relativeGap: number }[] = [];
  const s0 = performance.now();
  try {
    const fit = fitConvexAttention(data.train.X, {
      model: inst.kind,
      loss: inst.loss,
      targets: data.train.targets,
      ...(inst.loss === "cross-entropy" ? { outputs: data.options.outputs } : {}),
      ...(inst.gates === undefined ? {} : { gates: inst.gates, gateSeed: cell.seed }),
      lambdaRatio: settings.lambdaRatio,
      solver,
      tolerance: Math.min(...gaps),
      maxIterations: settings.maxIterations,
      timeLimitMs: settings.timeLimitMs,
      prune: false,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      onIteration: (r) => {
        records.push({
          iteration: r.iteration,
          elapsedMs: r.elapsedMs,
          relativeGap: r.relativeGap,
        });
      },
    });
    const ms = performance.now() - s0;
    const row: E3Row = {
      program,
      size,
      dimension: fit.problem.dim,
      solver,
      status: fit.solve.status,
      reached: gaps.map((gap) => {
        const hit = records.find((r) => r.relativeGap <= gap);
        const certified = fit.certificate.relativeGap <= gap;
        return {
          gap,
          milliseconds: hit?.elapsedMs ?? (certified ? ms : null),
          iterations: hit?.iteration ?? (certified ? fit.solve.iterations : null),
        };
      }),
      objective: fit.certificate.objective,
      relativeGap: fit.certificate.relativeGap,
      activeGroups: fit.headsNeeded,
      milliseconds: ms,
      iterations: fit.solve.iterations,
    };
    return fit.solve.status === "converged"
      ? { row, objective: fit.certificate.objective, lambda: fit.lambda }
      : { row };
  } catch (error) {
    if (hooks.signal?.aborted) return undefined;
    return {
      row: {
        program,
        size,
        dimension: 0,
        solver,
        status: "error",
        reached: gaps.map((gap) => ({ gap, milliseconds: null, iterations: null })),
        objective: null,
        relativeGap: null,
        activeGroups: null,
        milliseconds: performance.now() - s0,
        iterations: 0,
        error: (error as Error).message,
      },
    };
  }
}

/** The distances to the optimum recorded for Adam: 1e-3, then the configured gaps below it. */
function adamGaps(gaps: readonly number[]): readonly number[] {
  return [1e-3, ...gaps.filter((gap) => gap < 1e-3)];
}

/**
 * Trains the nonconvex alternative (8)/(11) (`N·c + 1` heads, at most 256) with full-batch
 * Adam on the same objective and records when it came within 1e-3 and each configured gap
 * (relative) of the certified convex optimum, if ever.
 *
 * @param cell - the program × size, instance, data, gaps, seed and hooks
 * @param optimum - the certified optimum `P` and its `λ`
 * @param settings - Adam's steps and learning rate, the row's dimension
 */
export async function timeAdam(
  cell: E3Cell,
  optimum: { readonly objective: number; readonly lambda: number },
  settings: { readonly steps: number; readonly learningRate: number; readonly dimension: number },
): Promise<E3Row> {
  const { program, size, instance: inst, data, gaps, hooks } = cell;
  await setupTfjs();
  const X = data.train.X;
  const P = optimum.objective;
  const c = data.options.outputs;
  const model = new SimplexHeads({
    tokens: X.tokens,
    features: X.features,
    outputs: c,
    loss: inst.loss,
    beta: optimum.lambda,
    heads: Math.min(X.samples * c + 1, 256),
    seed: cell.seed,
  });
  const dataset = model.dataset(X, data.train.targets);
  try {
    const run = await train(model, dataset, {
      optimizer: "adam",
      learningRate: settings.learningRate,
      steps: settings.steps,
      evaluateEvery: 10,
      earlyStop: { metric: "objective", target: P * (1 + Math.min(...gaps)) },
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    });
    const ev = run.evaluations;
    const last = ev.at(-1);
    return {
      program,
      size,
      dimension: settings.dimension,
      solver: "adam",
      status: run.stopReason,
      reached: adamGaps(gaps).map((gap) => {
        const hit = ev.find((r) => r.objective <= P * (1 + gap));
        return { gap, milliseconds: hit?.wallMs ?? null, iterations: hit?.step ?? null };
      }),
      objective: jsonNumber(last?.objective),
      relativeGap:
        last === undefined ? null : jsonNumber((last.objective - P) / Math.max(1, Math.abs(P))),
      activeGroups: null,
      milliseconds: run.wallMs,
      iterations: run.steps,
    };
  } finally {
    dataset.dispose();
    model.dispose();
  }
}
