import {
  type AttentionWeights,
  attentionForward,
  fitConvexAttention,
} from "@convexformer/attention";
import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import {
  createRng,
  InvalidOptionError,
  TokenBatch,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import {
  type ModularOperator,
  type ModularSplit,
  modularArithmetic,
} from "../datasets/modular-arithmetic.js";
import {
  type ExperimentResult,
  jsonNumber,
  type RunnerHooks,
  runtimeVersion,
  thinIndices,
} from "./experiment-result.js";

/**
 * Configuration of {@link runE2Convex}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { E2ConvexConfig } from "@convexformer/experiments";
 * const config: E2ConvexConfig = { prime: 23, gates: 16, features: "one-hot", lambdaRatio: 1e-3 };
 * ```
 */
export interface E2ConvexConfig {
  /** `p` (default 23: the program has `gates · p · 2 · d` variables). */
  readonly prime?: number;
  /** The operator (default `"/"`). */
  readonly operator?: ModularOperator;
  /** Training fraction (default 0.5). */
  readonly trainFraction?: number;
  /**
   * Fixed token features of the two operand tokens `x`, `y`: `"one-hot"` (`d = p`) or
   * `"random"` (`N(0, 1/d)` embeddings of width `embeddingDim`, fixed by the seed). Default one-hot.
   */
  readonly features?: "one-hot" | "random";
  /** Width of the random embeddings (default 32). */
  readonly embeddingDim?: number;
  /** Gates sampled for program (14) (default 16). */
  readonly gates?: number;
  /** `λ = lambdaRatio · λ_max` (default 1e-3). */
  readonly lambdaRatio?: number;
  /** Target relative duality gap (default 1e-6). */
  readonly tolerance?: number;
  /** Iteration cap (default 5000). */
  readonly maxIterations?: number;
  /** Time limit of the solve in ms (default none). */
  readonly timeLimitMs?: number;
  /** Seed of the split, embeddings and gates (default 0). */
  readonly seed?: number;
}

/**
 * The numbers of the fully convex E2 variant.
 *
 * @example
 * ```ts
 * import type { E2ConvexMetrics } from "@convexformer/experiments";
 * const show = (m: E2ConvexMetrics) => `train ${m.trainAccuracy}, validation ${m.validationAccuracy}`;
 * ```
 */
export interface E2ConvexMetrics {
  /** Train accuracy of the arg-max prediction. */
  readonly trainAccuracy: number;
  /** Validation accuracy. */
  readonly validationAccuracy: number;
  /** Certified objective. */
  readonly objective: number;
  /** Relative duality gap. */
  readonly relativeGap: number;
  /** Solver status. */
  readonly status: string;
  /** Iterations. */
  readonly iterations: number;
  /** `λ`. */
  readonly lambda: number;
  /** Variables of the program. */
  readonly dimension: number;
  /** Heads of the recovered network. */
  readonly headsNeeded: number;
  /** Train / validation sizes. */
  readonly trainSize: number;
  /** Validation size. */
  readonly validationSize: number;
}

/**
 * What {@link runE2Convex} returns.
 *
 * @example
 * ```ts
 * import type { E2ConvexResult } from "@convexformer/experiments";
 * const acc = (r: E2ConvexResult) => r.metrics.validationAccuracy;
 * ```
 */
export type E2ConvexResult = ExperimentResult<
  Required<Omit<E2ConvexConfig, "timeLimitMs">> & {
    /** The time limit (`null`: none). */
    readonly timeLimitMs: number | null;
  },
  E2ConvexMetrics
>;

const OPTION_NAMES = [
  "prime",
  "operator",
  "trainFraction",
  "features",
  "embeddingDim",
  "gates",
  "lambdaRatio",
  "tolerance",
  "maxIterations",
  "timeLimitMs",
  "seed",
] as const;

function features(split: ModularSplit, table: Float64Array, d: number): TokenBatch {
  const X = new Float64Array(split.size * 2 * d);
  for (let i = 0; i < split.size; i++) {
    const x = split.tokens[i * 4] as number;
    const y = split.tokens[i * 4 + 2] as number;
    X.set(table.subarray(x * d, (x + 1) * d), i * 2 * d);
    X.set(table.subarray(y * d, (y + 1) * d), (i * 2 + 1) * d);
  }
  return new TokenBatch(split.size, 2, d, X);
}

function accuracy(scores: Float64Array, labels: Int32Array, c: number): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let l = 1; l < c; l++)
      if ((scores[i * c + l] as number) > (scores[i * c + best] as number)) best = l;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

/**
 * The fully convex variant of E2 (docs/guide/experiments.md): the gated program (14) with a joint
 * cross-entropy loss over the `p` results, on fixed token features of the two operands
 * (`n = 2` tokens `x`, `y`: one-hot or fixed random embeddings), solved by FISTA to a
 * certified gap; the recovered gated network (13) is evaluated as a network on both splits.
 * Its accuracies are reported as they are (a convex model on fixed features cannot learn
 * the group structure the transformer discovers).
 *
 * @param config - {@link E2ConvexConfig}: prime, operator, split, token features (one-hot or random
 *   embeddings), gates, `λ` ratio, solver limits and seed, each optional with the default given
 *   there; unknown keys are errors
 * @param hooks - {@link RunnerHooks}: `onProgress`, `signal` (the result then has
 *   `status: "aborted"`) and the `software` versions to record; this runner keeps no checkpoints,
 *   so `checkpoint`, `checkpointEvery` and `resume` are not used
 * @throws `InvalidOptionError` for bad configuration
 *
 * @example
 * ```ts
 * import { runE2Convex } from "@convexformer/experiments";
 * const r = await runE2Convex({ prime: 5, gates: 4, maxIterations: 200 });
 * r.metrics.trainAccuracy >= 0; // true
 * ```
 */
export async function runE2Convex(
  config: E2ConvexConfig = {},
  hooks: RunnerHooks = {},
): Promise<E2ConvexResult> {
  if (typeof config !== "object" || config === null) {
    throw new InvalidOptionError("config", config, "must be an object");
  }
  validateKnownOptions("config", config, OPTION_NAMES);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const data = modularArithmetic({
    prime: config.prime ?? 23,
    operator: config.operator ?? "/",
    trainFraction: config.trainFraction ?? 0.5,
    seed: config.seed ?? 0,
  });
  const kind = config.features ?? "one-hot";
  if (kind !== "one-hot" && kind !== "random") {
    throw new InvalidOptionError("features", kind, 'must be "one-hot" or "random"');
  }
  const p = data.prime;
  const d = kind === "one-hot" ? p : (config.embeddingDim ?? 32);
  validateInteger("embeddingDim", d, 1);
  const gates = config.gates ?? 16;
  validateInteger("gates", gates, 1);
  const resolved = {
    prime: p,
    operator: data.operator,
    trainFraction: data.trainFraction,
    features: kind,
    embeddingDim: d,
    gates,
    lambdaRatio: config.lambdaRatio ?? 1e-3,
    tolerance: config.tolerance ?? DEFAULT_TOLERANCE,
    maxIterations: config.maxIterations ?? 5000,
    timeLimitMs: config.timeLimitMs ?? null,
    seed: data.seed,
  } as const;
  const table = new Float64Array(p * d);
  if (kind === "one-hot") for (let v = 0; v < p; v++) table[v * d + v] = 1;
  else createRng(data.seed + 7).fillNormal(table, 0, 1 / Math.sqrt(d));
  const Xtrain = features(data.train, table, d);
  const Xval = features(data.validation, table, d);
  const records: {
    iteration: number;
    elapsedMs: number;
    objective: number;
    relativeGap: number;
  }[] = [];
  const fit = fitConvexAttention(Xtrain, {
    model: "gated",
    loss: "cross-entropy",
    targets: data.train.labels,
    outputs: p,
    gates,
    gateSeed: data.seed,
    lambdaRatio: resolved.lambdaRatio,
    tolerance: resolved.tolerance,
    maxIterations: resolved.maxIterations,
    ...(resolved.timeLimitMs === null ? {} : { timeLimitMs: resolved.timeLimitMs }),
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    onIteration: (r) => {
      records.push({
        iteration: r.iteration,
        elapsedMs: r.elapsedMs,
        objective: r.objective,
        relativeGap: r.relativeGap,
      });
      if (r.iteration % 50 === 0) {
        hooks.onProgress?.({
          phase: "convex",
          done: r.iteration,
          total: resolved.maxIterations,
          message: `gap ${r.relativeGap.toExponential(2)}`,
        });
      }
    },
  });
  const network = fit.network as AttentionWeights;
  const keep = thinIndices(records.length, 400);
  return {
    experiment: "e2-convex",
    status: fit.solve.status === "aborted" ? "aborted" : "complete",
    config: resolved,
    seed: data.seed,
    software: hooks.software ?? { runtime: runtimeVersion() },
    startedAt,
    timings: { total: performance.now() - t0, solve: fit.solve.timings.totalMs },
    metrics: {
      trainAccuracy: accuracy(attentionForward(network, Xtrain), data.train.labels, p),
      validationAccuracy: accuracy(attentionForward(network, Xval), data.validation.labels, p),
      objective: fit.certificate.objective,
      relativeGap: fit.certificate.relativeGap,
      status: fit.solve.status,
      iterations: fit.solve.iterations,
      lambda: fit.lambda,
      dimension: fit.problem.dim,
      headsNeeded: fit.headsNeeded,
      trainSize: data.train.size,
      validationSize: data.validation.size,
    },
    curves: {
      convergence: {
        iteration: keep.map((k) => records[k]?.iteration ?? 0),
        wallMs: keep.map((k) => records[k]?.elapsedMs ?? 0),
        objective: keep.map((k) => jsonNumber(records[k]?.objective)),
        relativeGap: keep.map((k) => jsonNumber(records[k]?.relativeGap)),
      },
    },
  };
}
