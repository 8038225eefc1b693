import {
  type AttentionProgramKind,
  fitConvexAttention,
  type LossName,
} from "@convexformer/attention";
import { SimplexHeads, setupTfjs } from "@convexformer/baselines";
import { listSolvers } from "@convexformer/solvers";
import { InvalidOptionError, validateKnownOptions } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { type StudentTeacherOptions, studentTeacher } from "../datasets/student-teacher.js";
import { resumableTrain } from "../training/resumable-train.js";
import {
  type ExperimentResult,
  jsonNumber,
  type RunnerHooks,
  runtimeVersion,
} from "./experiment-result.js";

/**
 * The programs E3 benchmarks: (9) scalar, (12) joint cross-entropy, (14) gated, (33)
 * sequence, and the one-token gated program (14), which is scnn's convex gated-ReLU problem.
 *
 * @example
 * ```ts
 * import type { E3Program } from "@convexformer/experiments";
 * const p: E3Program = "scnn";
 * ```
 */
export type E3Program = "scalar" | "vector-ce" | "gated" | "sequence" | "scnn";

/**
 * The instance sizes of E3.
 *
 * @example
 * ```ts
 * import type { E3Size } from "@convexformer/experiments";
 * const s: E3Size = "medium";
 * ```
 */
export type E3Size = "small" | "medium" | "large";

/** Samples, tokens, features of each size. */
const SIZES: Record<E3Size, { samples: number; tokens: number; features: number }> = {
  small: { samples: 64, tokens: 4, features: 8 },
  medium: { samples: 256, tokens: 8, features: 16 },
  large: { samples: 1024, tokens: 16, features: 32 },
};
const PROGRAMS: readonly E3Program[] = ["scalar", "vector-ce", "gated", "sequence", "scnn"];

/**
 * Configuration of {@link runE3}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { E3Config } from "@convexformer/experiments";
 * const config: E3Config = { programs: ["scalar"], sizes: ["small"], solvers: ["fista", "ipm"] };
 * ```
 */
export interface E3Config {
  /** Programs (default all five). */
  readonly programs?: readonly E3Program[];
  /** Sizes (default small and medium; large takes minutes). */
  readonly sizes?: readonly E3Size[];
  /** Solvers (default every registered one). */
  readonly solvers?: readonly string[];
  /** The gaps to time (default `[1e-4, 1e-6, 1e-8]`); the solves run to the smallest. */
  readonly gaps?: readonly number[];
  /** `λ = lambdaRatio · λ_max` (default 0.1). */
  readonly lambdaRatio?: number;
  /** Time limit per solve in ms (default 30000). */
  readonly timeLimitMs?: number;
  /** Iteration cap per solve (default 100000). */
  readonly maxIterations?: number;
  /** Also train the nonconvex alternative with Adam on programs (9) and (12) (default `true`). */
  readonly adam?: boolean;
  /** Adam step cap (default 3000). */
  readonly adamSteps?: number;
  /** Adam learning rate (default 1e-2). */
  readonly adamLearningRate?: number;
  /** Seed of the instances (default 0). */
  readonly seed?: number;
}

/**
 * One row of E3's table.
 *
 * @example
 * ```ts
 * import type { E3Row } from "@convexformer/experiments";
 * const t6 = (row: E3Row) => row.reached.find((r) => r.gap === 1e-6)?.milliseconds;
 * ```
 */
export interface E3Row {
  /** The program. */
  readonly program: E3Program;
  /** The size. */
  readonly size: E3Size;
  /** Variables of the program. */
  readonly dimension: number;
  /** A solver name, or `"adam"` for the nonconvex alternative. */
  readonly solver: string;
  /** Final status (`"error"` with `error` when the solver refused the instance). */
  readonly status: string;
  /**
   * Time and iterations to each gap (`null`: not reached). For Adam: the gap is the relative
   * distance to the certified convex optimum, and `1e-3` is always among them (before the
   * configured gaps), the nonconvex alternative's usual target.
   */
  readonly reached: readonly {
    /** The relative gap. */
    readonly gap: number;
    /** Milliseconds until first reached (`null`: never). */
    readonly milliseconds: number | null;
    /** Iterations until first reached (`null`: never). */
    readonly iterations: number | null;
  }[];
  /** Final objective. */
  readonly objective: number | null;
  /** Final relative gap (Adam: relative distance to the convex optimum). */
  readonly relativeGap: number | null;
  /** Active groups (heads) of the solution. */
  readonly activeGroups: number | null;
  /** Total milliseconds. */
  readonly milliseconds: number;
  /** Iterations (Adam: steps). */
  readonly iterations: number;
  /** Why the solver could not run this instance. */
  readonly error?: string;
}

/**
 * What {@link runE3} returns.
 *
 * @example
 * ```ts
 * import type { E3Result } from "@convexformer/experiments";
 * const rows = (r: E3Result) => r.metrics.rows.length;
 * ```
 */
export type E3Result = ExperimentResult<
  Required<E3Config>,
  {
    /** One row per program × size × solver (and Adam). */
    readonly rows: readonly E3Row[];
  }
>;

const OPTION_NAMES = [
  "programs",
  "sizes",
  "solvers",
  "gaps",
  "lambdaRatio",
  "timeLimitMs",
  "maxIterations",
  "adam",
  "adamSteps",
  "adamLearningRate",
  "seed",
] as const;

interface Instance {
  readonly kind: AttentionProgramKind;
  readonly loss: LossName;
  readonly data: StudentTeacherOptions;
  readonly gates?: number;
}

function instance(program: E3Program, size: E3Size, seed: number): Instance {
  const s = SIZES[size];
  const data = { samples: s.samples, testSamples: 1, tokens: s.tokens, features: s.features, seed };
  switch (program) {
    case "scalar":
      return { kind: "scalar", loss: "squared", data };
    case "vector-ce":
      return {
        kind: "vector",
        loss: "cross-entropy",
        data: { ...data, target: "vector", outputs: 3, classification: true },
      };
    case "gated":
      return {
        kind: "gated",
        loss: "squared",
        data: { ...data, target: "vector", outputs: 2 },
        gates: 8,
      };
    case "sequence":
      return {
        kind: "sequence",
        loss: "squared",
        data: { ...data, target: "sequence", outputs: 1, tokens: Math.min(s.tokens, 8) },
      };
    default:
      return {
        kind: "gated",
        loss: "squared",
        data: { ...data, tokens: 1, frozenBlock: false },
        gates: 16,
      };
  }
}

/** The distances to the optimum recorded for Adam: 1e-3, then the configured gaps below it. */
function adamGaps(gaps: readonly number[]): readonly number[] {
  return [1e-3, ...gaps.filter((gap) => gap < 1e-3)];
}

/**
 * Experiment E3 (docs/guide/experiments.md): the solver benchmark. For each program × size × solver it
 * solves a synthetic student–teacher instance to the smallest gap and records the time and
 * iterations at which each gap was first certified (from the solver's per-iteration
 * records), the final objective, the active groups, or the reason a solver refused the
 * instance (e.g. a dense interior-point system too large). With `adam`, the nonconvex
 * alternative (8)/(11) (`N·c + 1` heads, enough to reach the optimum) is trained with
 * full-batch Adam on the same objective, and the time to reach the convex optimum within
 * 1e-3 and within each configured gap (relative) is recorded, if ever.
 *
 * @param config - {@link E3Config}: the programs, sizes and solvers to benchmark, the gaps, `λ`
 *   ratio, limits, whether and how long to train Adam (`adam`, `adamSteps`, `adamLearningRate`) and
 *   the seed, each optional with the default given there; unknown keys are errors
 * @param hooks - {@link RunnerHooks}: `onProgress`, `signal` (the result then has
 *   `status: "aborted"`) and the `software` versions to record; this runner keeps no checkpoints,
 *   so `checkpoint`, `checkpointEvery` and `resume` are not used
 * @throws `InvalidOptionError` for unknown programs, sizes or keys
 *
 * @example
 * ```ts
 * import { runE3 } from "@convexformer/experiments";
 * const r = await runE3({ programs: ["scnn"], sizes: ["small"], solvers: ["fista"], adam: false });
 * r.metrics.rows[0]?.reached.length; // 3
 * ```
 */
export async function runE3(config: E3Config = {}, hooks: RunnerHooks = {}): Promise<E3Result> {
  if (typeof config !== "object" || config === null) {
    throw new InvalidOptionError("config", config, "must be an object");
  }
  validateKnownOptions("config", config, OPTION_NAMES);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const resolved: Required<E3Config> = {
    programs: config.programs ?? PROGRAMS,
    sizes: config.sizes ?? ["small", "medium"],
    solvers: config.solvers ?? listSolvers(),
    gaps: config.gaps ?? [1e-4, 1e-6, 1e-8],
    lambdaRatio: config.lambdaRatio ?? 0.1,
    timeLimitMs: config.timeLimitMs ?? 30000,
    maxIterations: config.maxIterations ?? 100000,
    adam: config.adam ?? true,
    adamSteps: config.adamSteps ?? 3000,
    adamLearningRate: config.adamLearningRate ?? 1e-2,
    seed: config.seed ?? 0,
  };
  for (const p of resolved.programs) {
    if (!PROGRAMS.includes(p))
      throw new InvalidOptionError("programs", p, `must be among ${PROGRAMS.join(", ")}`);
  }
  for (const s of resolved.sizes) {
    if (!(s in SIZES)) throw new InvalidOptionError("sizes", s, "must be small, medium or large");
  }
  if (resolved.gaps.length === 0 || resolved.gaps.some((g) => !(g > 0 && g < 1))) {
    throw new InvalidOptionError(
      "gaps",
      resolved.gaps,
      "must be a non-empty list of numbers in (0, 1)",
    );
  }
  const smallest = Math.min(...resolved.gaps);
  const rows: E3Row[] = [];
  let aborted = false;
  outer: for (const program of resolved.programs) {
    for (const size of resolved.sizes) {
      const inst = instance(program, size, resolved.seed);
      const data = studentTeacher(inst.data);
      const X = data.train.X;
      let optimum: number | undefined;
      let lambda = Number.NaN;
      for (const solver of resolved.solvers) {
        if (hooks.signal?.aborted) {
          aborted = true;
          break outer;
        }
        hooks.onProgress?.({
          phase: `${program}/${size}/${solver}`,
          done: rows.length,
          total: resolved.programs.length * resolved.sizes.length * resolved.solvers.length,
        });
        const records: { iteration: number; elapsedMs: number; relativeGap: number }[] = [];
        const s0 = performance.now();
        try {
          const fit = fitConvexAttention(X, {
            model: inst.kind,
            loss: inst.loss,
            targets: data.train.targets,
            ...(inst.loss === "cross-entropy" ? { outputs: data.options.outputs } : {}),
            ...(inst.gates === undefined ? {} : { gates: inst.gates, gateSeed: resolved.seed }),
            lambdaRatio: resolved.lambdaRatio,
            solver,
            tolerance: smallest,
            maxIterations: resolved.maxIterations,
            timeLimitMs: resolved.timeLimitMs,
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
          if (
            fit.solve.status === "converged" &&
            (optimum === undefined || fit.certificate.objective < optimum)
          ) {
            optimum = fit.certificate.objective;
            lambda = fit.lambda;
          }
          rows.push({
            program,
            size,
            dimension: fit.problem.dim,
            solver,
            status: fit.solve.status,
            reached: resolved.gaps.map((gap) => {
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
          });
        } catch (error) {
          if (hooks.signal?.aborted) {
            aborted = true;
            break outer;
          }
          rows.push({
            program,
            size,
            dimension: 0,
            solver,
            status: "error",
            reached: resolved.gaps.map((gap) => ({ gap, milliseconds: null, iterations: null })),
            objective: null,
            relativeGap: null,
            activeGroups: null,
            milliseconds: performance.now() - s0,
            iterations: 0,
            error: (error as Error).message,
          });
        }
      }
      if (
        resolved.adam &&
        optimum !== undefined &&
        (program === "scalar" || program === "vector-ce")
      ) {
        await setupTfjs();
        const P = optimum;
        const c = data.options.outputs;
        const model = new SimplexHeads({
          tokens: X.tokens,
          features: X.features,
          outputs: c,
          loss: inst.loss,
          beta: lambda,
          heads: Math.min(X.samples * c + 1, 256),
          seed: resolved.seed,
        });
        const train = model.dataset(X, data.train.targets);
        try {
          const run = await resumableTrain(model, train, {
            optimizer: "adam",
            learningRate: resolved.adamLearningRate,
            steps: resolved.adamSteps,
            evaluateEvery: 10,
            earlyStop: { metric: "objective", target: P * (1 + smallest) },
            ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
          });
          const ev = run.evaluations;
          const last = ev.at(-1);
          rows.push({
            program,
            size,
            dimension: rows.at(-1)?.dimension ?? 0,
            solver: "adam",
            status: run.stopReason,
            reached: adamGaps(resolved.gaps).map((gap) => {
              const hit = ev.find((r) => r.objective <= P * (1 + gap));
              return { gap, milliseconds: hit?.wallMs ?? null, iterations: hit?.step ?? null };
            }),
            objective: jsonNumber(last?.objective),
            relativeGap:
              last === undefined
                ? null
                : jsonNumber((last.objective - P) / Math.max(1, Math.abs(P))),
            activeGroups: null,
            milliseconds: run.wallMs,
            iterations: run.steps,
          });
        } finally {
          train.dispose();
          model.dispose();
        }
      }
    }
  }
  return {
    experiment: "e3",
    status: aborted ? "aborted" : "complete",
    config: resolved,
    seed: resolved.seed,
    software: hooks.software ?? { runtime: runtimeVersion(), tfjs: tf.version.tfjs },
    startedAt,
    timings: { total: performance.now() - t0 },
    metrics: { rows },
    curves: {},
  };
}
