import {
  type AttentionWeights,
  attentionForward,
  fitConvexAttention,
} from "@convexformer/attention";
import { InvalidOptionError, type TokenBatch } from "@convexformer/tensors";
import { type Curve, jsonNumber, type RunnerHooks, thinIndices } from "./experiment-result.js";
import { predictionError } from "./prediction-error.js";
import type { E1Metrics } from "./student-metrics.js";
import type { StudentsInput } from "./students-input.js";

/** What {@link fitConvexStudent} returns. */
export interface ConvexStudent {
  /** The first solver's solution, recovered and evaluated as a network. */
  readonly convex: E1Metrics["convex"];
  /** Every solver's outcome. */
  readonly solverRuns: E1Metrics["solvers"];
  /** The first solver's objective against iterations and time (at most 400 points). */
  readonly curve: Curve;
  /** The recovered network. */
  readonly network: AttentionWeights;
  /** `β` (the `λ` of the program). */
  readonly beta: number;
  /** `λ_max` of the program. */
  readonly lambdaMax: number;
}

/**
 * Student (c) of a comparison: the convex program solved by each solver (a solver that
 * fails is recorded with its error); the first solution is recovered as a network and
 * evaluated on the train and test sets.
 *
 * @param input - the data, loss, program, solvers, tolerance and `β` (or its ratio)
 * @param hooks - the run's hooks (progress, signal: an abort is rethrown)
 * @throws `InvalidOptionError` when no solver solved the program
 */
export function fitConvexStudent(input: StudentsInput, hooks: RunnerHooks): ConvexStudent {
  const { loss, outputs: c, solvers } = input;
  const targets = input.train.targets;
  const fitTargets = loss === "cross-entropy" ? (targets as Int32Array) : (targets as Float64Array);
  const base = {
    model: input.program,
    targets: fitTargets,
    loss,
    ...(loss === "cross-entropy" ? { outputs: c } : {}),
    ...(input.beta === undefined
      ? { lambdaRatio: input.lambdaRatio ?? 0.05 }
      : { lambda: input.beta }),
    tolerance: input.tolerance,
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
  } as const;
  const solverRuns: E1Metrics["solvers"][number][] = [];
  let first: Omit<ConvexStudent, "solverRuns"> | undefined;
  for (const solver of solvers) {
    const records: {
      iteration: number;
      elapsedMs: number;
      objective: number;
      relativeGap: number;
    }[] = [];
    const s0 = performance.now();
    hooks.onProgress?.({ phase: `convex:${solver}`, done: 0, total: 1 });
    try {
      const fit = fitConvexAttention(input.train.X, {
        ...base,
        solver,
        onIteration: (r) => {
          records.push({
            iteration: r.iteration,
            elapsedMs: r.elapsedMs,
            objective: r.objective,
            relativeGap: r.relativeGap,
          });
        },
      });
      const ms = performance.now() - s0;
      solverRuns.push({
        solver,
        status: fit.solve.status,
        objective: fit.certificate.objective,
        relativeGap: fit.certificate.relativeGap,
        iterations: fit.solve.iterations,
        milliseconds: ms,
      });
      if (first === undefined) {
        const net = fit.network as AttentionWeights;
        const predict = (X: TokenBatch): Float64Array => attentionForward(net, X);
        const keep = thinIndices(records.length, 400);
        first = {
          beta: fit.lambda,
          lambdaMax: fit.lambdaMax,
          network: net,
          convex: {
            objective: fit.certificate.objective,
            relativeGap: fit.certificate.relativeGap,
            status: fit.solve.status,
            iterations: fit.solve.iterations,
            headsNeeded: fit.headsNeeded,
            testError: predictionError(loss, predict(input.test.X), input.test.targets, c),
            trainError: predictionError(loss, predict(input.train.X), targets, c),
            milliseconds: ms,
            tokenMap: Array.from(fit.tokenImportance?.perToken ?? []),
          },
          curve: {
            iteration: keep.map((k) => records[k]?.iteration ?? 0),
            wallMs: keep.map((k) => records[k]?.elapsedMs ?? 0),
            objective: keep.map((k) => jsonNumber(records[k]?.objective)),
            relativeGap: keep.map((k) => jsonNumber(records[k]?.relativeGap)),
          },
        };
      }
    } catch (error) {
      if (hooks.signal?.aborted) throw error;
      solverRuns.push({
        solver,
        status: "error",
        objective: null,
        relativeGap: null,
        iterations: 0,
        milliseconds: performance.now() - s0,
        error: (error as Error).message,
      });
    }
  }
  if (first === undefined) {
    throw new InvalidOptionError(
      "solvers",
      solvers,
      `no solver solved the program: ${solverRuns.map((r) => r.error).join("; ")}`,
    );
  }
  return { ...first, solverRuns };
}
