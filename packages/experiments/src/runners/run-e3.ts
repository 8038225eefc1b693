import { type AttentionProgramKind, getProgram, type LossName } from "@convexformer/attention";
import { listSolvers } from "@convexformer/solvers";
import { InvalidOptionError, validateKnownOptions } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { type StudentTeacherOptions, studentTeacher } from "../datasets/student-teacher.js";
import type { E3Program, E3Row, E3Size } from "./e3-row.js";
import { type E3Instance, timeAdam, timeSolver } from "./e3-timing.js";
import { type ExperimentResult, type RunnerHooks, runtimeVersion } from "./experiment-result.js";

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

/**
 * The benchmark instances: for each E3 name, the program of attention's table it solves, the
 * loss, the gates and how the student–teacher data is shaped. What depends on the program
 * (gates, targets per token, whether Adam trains a nonconvex twin) is read from the program table.
 */
const INSTANCES: Record<
  E3Program,
  {
    kind: AttentionProgramKind;
    loss: LossName;
    gates?: number;
    data: Partial<StudentTeacherOptions>;
  }
> = {
  scalar: { kind: "scalar", loss: "squared", data: {} },
  "vector-ce": {
    kind: "vector",
    loss: "cross-entropy",
    data: { target: "vector", outputs: 3, classification: true },
  },
  gated: { kind: "gated", loss: "squared", gates: 8, data: { target: "vector", outputs: 2 } },
  sequence: { kind: "sequence", loss: "squared", data: { target: "sequence", outputs: 1 } },
  scnn: { kind: "gated", loss: "squared", gates: 16, data: { tokens: 1, frozenBlock: false } },
};

function instance(program: E3Program, size: E3Size, seed: number): E3Instance {
  const s = SIZES[size];
  const spec = INSTANCES[program];
  const entry = getProgram(spec.kind);
  const data: StudentTeacherOptions = {
    samples: s.samples,
    testSamples: 1,
    tokens: s.tokens,
    features: s.features,
    seed,
    ...spec.data,
    // programs with one target per token (33) run on at most 8 tokens
    ...(entry.targetsPerToken ? { tokens: Math.min(s.tokens, 8) } : {}),
  };
  return {
    kind: spec.kind,
    loss: spec.loss,
    data,
    ...(entry.gated && spec.gates !== undefined ? { gates: spec.gates } : {}),
  };
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
  const rows: E3Row[] = [];
  let aborted = false;
  const total = resolved.programs.length * resolved.sizes.length * resolved.solvers.length;
  outer: for (const program of resolved.programs) {
    for (const size of resolved.sizes) {
      const inst = instance(program, size, resolved.seed);
      const cell = {
        program,
        size,
        instance: inst,
        data: studentTeacher(inst.data),
        gaps: resolved.gaps,
        seed: resolved.seed,
        hooks,
      };
      let optimum: { objective: number; lambda: number } | undefined;
      for (const solver of resolved.solvers) {
        if (hooks.signal?.aborted) {
          aborted = true;
          break outer;
        }
        hooks.onProgress?.({ phase: `${program}/${size}/${solver}`, done: rows.length, total });
        const timed = timeSolver(cell, solver, resolved);
        if (timed === undefined) {
          aborted = true;
          break outer;
        }
        rows.push(timed.row);
        if (
          timed.objective !== undefined &&
          timed.lambda !== undefined &&
          (optimum === undefined || timed.objective < optimum.objective)
        )
          optimum = { objective: timed.objective, lambda: timed.lambda };
      }
      // Adam trains the nonconvex twin of the ungated one-output-per-sample programs (9), (12)
      const entry = getProgram(inst.kind);
      if (resolved.adam && optimum !== undefined && !entry.gated && !entry.targetsPerToken) {
        rows.push(
          await timeAdam(cell, optimum, {
            steps: resolved.adamSteps,
            learningRate: resolved.adamLearningRate,
            dimension: rows.at(-1)?.dimension ?? 0,
          }),
        );
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
