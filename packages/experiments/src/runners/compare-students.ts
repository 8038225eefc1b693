import type { AttentionWeights } from "@convexformer/attention";
import { setupTfjs } from "@convexformer/baselines";
import { type AdamPhase, trainAdamStudent } from "./adam-student.js";
import { fitConvexStudent } from "./convex-student.js";
import type { Curve, RunnerHooks } from "./experiment-result.js";
import { loadStudentCheckpoint } from "./student-checkpoint.js";
import type { E1Metrics, E1ModelMetrics } from "./student-metrics.js";
import type { StudentsInput } from "./students-input.js";

/** What {@link compareStudents} returns. */
export interface StudentsOutcome {
  readonly metrics: Omit<E1Metrics, "sizes">;
  readonly curves: Record<string, Curve>;
  readonly timings: { readonly convex: number; readonly adam: number };
  readonly aborted: boolean;
  /** The recovered convex network. */
  readonly network: AttentionWeights;
}

/**
 * The three students of E1 on given data: (c) the convex program with each solver,
 * recovered and evaluated as a network, (b) the nonconvex alternative and (a) standard
 * attention trained by Adam at each learning rate (same loss and `β`), with resumable
 * checkpoints of the Adam phases.
 */
export async function compareStudents(
  input: StudentsInput,
  hooks: RunnerHooks,
): Promise<StudentsOutcome> {
  const checkpoint = await loadStudentCheckpoint(hooks, input.configKey);
  const convexStart = performance.now();
  const {
    convex,
    solverRuns,
    curve: convexCurve,
    network,
    beta,
    lambdaMax,
  } = fitConvexStudent(input, hooks);
  const convexMs = performance.now() - convexStart;

  // ---- (a), (b): Adam runs, each resumable
  await setupTfjs();
  let aborted = false;
  const best: Record<"simplex" | "standard", (AdamPhase & { learningRate: number }) | undefined> = {
    simplex: undefined,
    standard: undefined,
  };
  const adamStart = performance.now();
  const adamCurves: Record<string, Curve> = {};
  outer: for (const kind of ["simplex", "standard"] as const) {
    for (const lr of input.learningRates) {
      const phase = await trainAdamStudent(input, {
        kind,
        learningRate: lr,
        beta,
        hooks,
        checkpoint,
      });
      if (phase === undefined) {
        aborted = true;
        break outer;
      }
      adamCurves[`${kind}@${lr}`] = phase.curve;
      const current = best[kind];
      if (current === undefined || !(phase.objective >= current.objective))
        best[kind] = { ...phase, learningRate: lr };
    }
  }
  const summary = (
    p: (AdamPhase & { learningRate: number }) | undefined,
    heads: number,
  ): E1ModelMetrics =>
    p === undefined
      ? {
          objective: Number.NaN,
          testError: Number.NaN,
          trainError: Number.NaN,
          milliseconds: 0,
          tokenMap: [],
        }
      : {
          objective: p.objective,
          testError: p.testError,
          trainError: p.trainError,
          milliseconds: p.milliseconds,
          learningRate: p.learningRate,
          heads,
          tokenMap: p.tokenMap,
        };
  return {
    metrics: {
      beta,
      lambdaMax,
      convex,
      solvers: solverRuns,
      simplex: summary(best.simplex, input.simplexHeads),
      standard: summary(best.standard, input.standardHeads),
    },
    curves: { convex: convexCurve, ...adamCurves },
    timings: { convex: convexMs, adam: performance.now() - adamStart },
    aborted,
    network,
  };
}
