import type { LossName } from "@convexformer/attention";
import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import { InvalidOptionError, validateInteger, validateKnownOptions } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import {
  type StudentTeacherData,
  type StudentTeacherOptions,
  studentTeacher,
} from "../datasets/student-teacher.js";
import { compareStudents } from "./compare-students.js";
import { type ExperimentResult, type RunnerHooks, runtimeVersion } from "./experiment-result.js";
import type { E1Metrics } from "./student-metrics.js";

/**
 * Configuration of {@link runE1}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { E1Config } from "@convexformer/experiments";
 * const config: E1Config = { scale: 2, steps: 300, learningRates: [1e-2, 1e-1] };
 * ```
 */
export interface E1Config {
  /** The data (see `studentTeacher`; `target` `"scalar"` or `"vector"`, default scalar regression). */
  readonly data?: StudentTeacherOptions;
  /** Multiplies the default number of train and test samples (default 1). */
  readonly scale?: number;
  /** `β` of every model; default `lambdaRatio · λ_max` of the convex program. */
  readonly beta?: number;
  /** `β = lambdaRatio · λ_max` when `beta` is not given (default 0.05). */
  readonly lambdaRatio?: number;
  /** Solvers of the convex program; the first one's solution is the convex model (default `["fista", "admm", "ipm"]`). */
  readonly solvers?: readonly string[];
  /** Target relative duality gap (default 1e-6). */
  readonly tolerance?: number;
  /** Adam steps of the nonconvex models (default 400, full batch). */
  readonly steps?: number;
  /** Adam learning rates tried for each nonconvex model; the best final objective is reported (default `[1e-3, 1e-2, 1e-1]`). */
  readonly learningRates?: readonly number[];
  /** Heads of the standard attention student (default 3, head width `d / 4`). */
  readonly standardHeads?: number;
  /** Heads of the nonconvex simplex student (default 16). */
  readonly simplexHeads?: number;
  /** Evaluate the Adam runs every this many steps (default 10). */
  readonly evaluateEvery?: number;
}

/**
 * What {@link runE1} returns.
 *
 * @example
 * ```ts
 * import type { E1Result } from "@convexformer/experiments";
 * const gap = (r: E1Result) => r.metrics.convex.relativeGap;
 * ```
 */
export type E1Result = ExperimentResult<
  E1Config & {
    /** The data options with every default filled in. */
    readonly resolvedData: Required<StudentTeacherOptions>;
  },
  E1Metrics
>;

const OPTION_NAMES = [
  "data",
  "scale",
  "beta",
  "lambdaRatio",
  "solvers",
  "tolerance",
  "steps",
  "learningRates",
  "standardHeads",
  "simplexHeads",
  "evaluateEvery",
] as const;

function lossOf(data: StudentTeacherData): LossName {
  const o = data.options;
  if (!o.classification) return "squared";
  return o.target === "scalar" ? "logistic" : "cross-entropy";
}

/**
 * Experiment E1 (docs/guide/experiments.md): student–teacher on frozen random features. Fits (c) the convex
 * program (9) (scalar targets) or (12) (vector targets) with each solver to the target gap,
 * recovers the network and evaluates it as a network; trains (b) the nonconvex alternative
 * (8)/(11) and (a) standard attention (3) with Adam at each learning rate (same loss, same
 * `β`), keeping the best final objective; and reports the objective vs time and vs
 * iterations of all three, test errors, the gap, heads needed and the token maps. The Adam
 * runs checkpoint into `hooks.checkpoint` and resume (finished phases are kept).
 *
 * @param config - {@link E1Config}: the data set (student–teacher options) and its scale, `β`, `λ`
 *   ratio, solvers, target gap, Adam steps, learning rates, evaluation interval and head counts,
 *   each optional with the default given there; unknown keys are errors
 * @param hooks - {@link RunnerHooks}: `onProgress`, `signal` (the result then has
 *   `status: "aborted"`), `checkpoint` with `checkpointEvery` (default 500) and `resume` (default
 *   `false`), and the `software` versions to record (default: the runtime and tfjs)
 * @throws `InvalidOptionError` for bad configuration (sequence targets are not an E1 student)
 *
 * @example
 * ```ts
 * import { runE1 } from "@convexformer/experiments";
 * const r = await runE1({ data: { samples: 16, testSamples: 16, tokens: 3, features: 4 }, steps: 10, learningRates: [1e-2], solvers: ["fista"] });
 * r.metrics.convex.relativeGap <= 1e-6; // true
 * ```
 */
export async function runE1(config: E1Config = {}, hooks: RunnerHooks = {}): Promise<E1Result> {
  if (typeof config !== "object" || config === null) {
    throw new InvalidOptionError("config", config, "must be an object");
  }
  validateKnownOptions("config", config, OPTION_NAMES);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const scale = config.scale ?? 1;
  if (!(typeof scale === "number" && scale > 0 && Number.isFinite(scale))) {
    throw new InvalidOptionError("scale", scale, "must be a finite number > 0");
  }
  const dataOptions = config.data ?? {};
  if (dataOptions.target === "sequence") {
    throw new InvalidOptionError(
      "data.target",
      "sequence",
      'E1 students take "scalar" or "vector" targets',
    );
  }
  const data = studentTeacher({
    ...dataOptions,
    samples: Math.max(1, Math.round((dataOptions.samples ?? 256) * scale)),
    testSamples: Math.max(1, Math.round((dataOptions.testSamples ?? 256) * scale)),
  });
  const o = data.options;
  const loss = lossOf(data);
  const c = o.outputs;
  const program = o.target === "scalar" ? "scalar" : "vector";
  const steps = config.steps ?? 400;
  validateInteger("steps", steps, 0);
  const evaluateEvery = config.evaluateEvery ?? 10;
  validateInteger("evaluateEvery", evaluateEvery, 1);
  const learningRates = config.learningRates ?? [1e-3, 1e-2, 1e-1];
  if (learningRates.length === 0 || learningRates.some((lr) => !(lr > 0))) {
    throw new InvalidOptionError(
      "learningRates",
      learningRates,
      "must be a non-empty list of numbers > 0",
    );
  }
  const solvers = config.solvers ?? ["fista", "admm", "ipm"];
  if (solvers.length === 0)
    throw new InvalidOptionError("solvers", solvers, "must name at least one solver");
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE;
  const standardHeads = config.standardHeads ?? 3;
  const simplexHeads = config.simplexHeads ?? 16;
  validateInteger("standardHeads", standardHeads, 1);
  validateInteger("simplexHeads", simplexHeads, 1);
  const outcome = await compareStudents(
    {
      train: data.train,
      test: data.test,
      loss,
      outputs: c,
      program,
      seed: o.seed,
      beta: config.beta,
      lambdaRatio: config.lambdaRatio,
      solvers,
      tolerance,
      steps,
      evaluateEvery,
      learningRates,
      standardHeads,
      simplexHeads,
      configKey: JSON.stringify({ config, resolved: o }),
    },
    hooks,
  );
  return {
    experiment: "e1",
    status: outcome.aborted ? "aborted" : "complete",
    config: { ...config, resolvedData: o },
    seed: o.seed,
    software: hooks.software ?? { runtime: runtimeVersion(), tfjs: tf.version.tfjs },
    startedAt,
    timings: { total: performance.now() - t0, ...outcome.timings },
    metrics: {
      ...outcome.metrics,
      sizes: { train: o.samples, test: o.testSamples, tokens: o.tokens, features: o.features },
    },
    curves: outcome.curves,
  };
}
