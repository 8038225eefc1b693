import {
  type AttentionKind,
  DecoderTransformer,
  type EvaluationRecord,
  setupTfjs,
} from "@convexformer/baselines";
import { InvalidOptionError, validateInteger, validateKnownOptions } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { type ModularOperator, modularArithmetic } from "../datasets/modular-arithmetic.js";
import { resumableTrain } from "../training/resumable-train.js";
import {
  type ExperimentResult,
  jsonNumber,
  type RunnerHooks,
  runtimeVersion,
} from "./experiment-result.js";

/**
 * Configuration of {@link runE2} (defaults: the paper's p = 97 setting). Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { E2Config } from "@convexformer/experiments";
 * const quick: E2Config = { prime: 23, width: 32, layers: 1, steps: 2000, evaluateEvery: 100 };
 * ```
 */
export interface E2Config {
  /** `p` (default 97). */
  readonly prime?: number;
  /** The operator (default `"/"`). */
  readonly operator?: ModularOperator;
  /** Training fraction (default 0.5). */
  readonly trainFraction?: number;
  /** Blocks (default 2). */
  readonly layers?: number;
  /** Width `d` (default 128). */
  readonly width?: number;
  /** Heads (default 4). */
  readonly heads?: number;
  /** `"softmax"` or `"simplex"` (default `"softmax"`). */
  readonly attention?: AttentionKind;
  /** AdamW weight decay (default 1). */
  readonly weightDecay?: number;
  /** Learning rate (default 1e-3; betas (0.9, 0.98), 10 warm-up steps). */
  readonly learningRate?: number;
  /** Step budget (default 30000). */
  readonly steps?: number;
  /** Evaluate both splits every this many steps (default 250). */
  readonly evaluateEvery?: number;
  /** Batch size (default `min(512, ceil(train / 2))`). */
  readonly batchSize?: number;
  /** Stop at the first evaluation with validation accuracy ≥ 99% (default `true`). */
  readonly stopAtGeneralization?: boolean;
  /** Seed of the split, the initialization and the batches (default 0). */
  readonly seed?: number;
}

/**
 * The numbers E2 reports.
 *
 * @example
 * ```ts
 * import type { E2Metrics } from "@convexformer/experiments";
 * const gap = (m: E2Metrics) => (m.generalizedStep ?? Number.NaN) - (m.fitStep ?? Number.NaN);
 * ```
 */
export interface E2Metrics {
  /** First evaluated step with train accuracy ≥ 99% (`null`: never). */
  readonly fitStep: number | null;
  /** First evaluated step with validation accuracy ≥ 99% (`null`: never). */
  readonly generalizedStep: number | null;
  /** Steps taken. */
  readonly steps: number;
  /** Why training stopped. */
  readonly stopReason: string;
  /** Final train accuracy. */
  readonly trainAccuracy: number | null;
  /** Final validation accuracy. */
  readonly validationAccuracy: number | null;
  /** Milliseconds per optimizer step (training only). */
  readonly msPerStep: number;
  /** Training set size. */
  readonly trainSize: number;
  /** Validation set size. */
  readonly validationSize: number;
  /** Parameters of the model. */
  readonly parameters: number;
  /** The step training resumed at, when it was resumed. */
  readonly resumedAt: number | null;
}

/**
 * What {@link runE2} returns.
 *
 * @example
 * ```ts
 * import type { E2Result } from "@convexformer/experiments";
 * const line = (r: E2Result) => `${r.config.attention}: fit ${r.metrics.fitStep}, gen ${r.metrics.generalizedStep}`;
 * ```
 */
export type E2Result = ExperimentResult<Required<E2Config>, E2Metrics>;

const OPTION_NAMES = [
  "prime",
  "operator",
  "trainFraction",
  "layers",
  "width",
  "heads",
  "attention",
  "weightDecay",
  "learningRate",
  "steps",
  "evaluateEvery",
  "batchSize",
  "stopAtGeneralization",
  "seed",
] as const;

function firstReaching(
  records: readonly EvaluationRecord[],
  key: "accuracy" | "validationAccuracy",
): number | null {
  for (const r of records) if ((r[key] ?? 0) >= 0.99) return r.step;
  return null;
}

/**
 * Experiment E2 (docs/guide/experiments.md): grokking on modular arithmetic. Trains baselines'
 * `DecoderTransformer` (softmax or simplex attention) with AdamW (lr 1e-3, betas
 * (0.9, 0.98), 10 warm-up steps, decoupled weight decay on every parameter), batch
 * `min(512, ceil(train/2))`, one fresh permutation per epoch with the tail skipped,
 * evaluating the full train and validation splits every `evaluateEvery` steps, and reports
 * the first step with train accuracy ≥ 99% ("fit") and with validation accuracy ≥ 99%
 * ("generalized"), the curves and the time per step. Checkpoints every
 * `hooks.checkpointEvery` steps into `hooks.checkpoint`; with `hooks.resume` it continues
 * from the stored checkpoint and reproduces the uninterrupted curves.
 *
 * @param config - {@link E2Config}: prime, operator, split, model sizes (layers, width, heads),
 *   attention kind, weight decay, learning rate, steps, evaluation interval, batch size, early stop
 *   and seed, each optional (defaults: the p = 97 setting); unknown keys are errors
 * @param hooks - {@link RunnerHooks}: `onProgress`, `signal` (the result then has
 *   `status: "aborted"`), `checkpoint` with `checkpointEvery` (default 500) and `resume` (default
 *   `false`), and the `software` versions to record (default: the runtime and tfjs)
 * @throws `InvalidOptionError` for bad configuration or a checkpoint of another configuration
 *
 * @example
 * ```ts
 * import { runE2 } from "@convexformer/experiments";
 * const result = await runE2({ prime: 5, width: 8, heads: 2, layers: 1, steps: 20, evaluateEvery: 10 });
 * result.curves.accuracy?.step; // [0, 10, 20]
 * ```
 */
export async function runE2(config: E2Config = {}, hooks: RunnerHooks = {}): Promise<E2Result> {
  if (typeof config !== "object" || config === null) {
    throw new InvalidOptionError("config", config, "must be an object");
  }
  validateKnownOptions("config", config, OPTION_NAMES);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const data = modularArithmetic({
    prime: config.prime ?? 97,
    operator: config.operator ?? "/",
    trainFraction: config.trainFraction ?? 0.5,
    seed: config.seed ?? 0,
  });
  const resolved: Required<E2Config> = {
    prime: data.prime,
    operator: data.operator,
    trainFraction: data.trainFraction,
    layers: config.layers ?? 2,
    width: config.width ?? 128,
    heads: config.heads ?? 4,
    attention: config.attention ?? "softmax",
    weightDecay: config.weightDecay ?? 1,
    learningRate: config.learningRate ?? 1e-3,
    steps: config.steps ?? 30000,
    evaluateEvery: config.evaluateEvery ?? 250,
    batchSize: config.batchSize ?? Math.min(512, Math.ceil(data.train.size / 2)),
    stopAtGeneralization: config.stopAtGeneralization ?? true,
    seed: data.seed,
  };
  validateInteger("steps", resolved.steps, 0);
  validateInteger("evaluateEvery", resolved.evaluateEvery, 1);
  if (resolved.batchSize > data.train.size) {
    throw new InvalidOptionError(
      "batchSize",
      resolved.batchSize,
      `must be <= the training set size (${data.train.size})`,
    );
  }
  await setupTfjs();
  const model = new DecoderTransformer({
    vocabSize: data.vocabSize,
    sequenceLength: data.sequenceLength,
    width: resolved.width,
    heads: resolved.heads,
    layers: resolved.layers,
    attention: resolved.attention,
    seed: resolved.seed,
  });
  const train = model.dataset(data.train.tokens, data.train.labels);
  const validation = model.dataset(data.validation.tokens, data.validation.labels);
  const stored = hooks.resume === true ? await hooks.checkpoint?.load() : undefined;
  const configKey = JSON.stringify(resolved);
  if (stored !== undefined) {
    const key = (stored.meta as { config?: string } | null)?.config;
    if (key !== configKey) {
      throw new InvalidOptionError(
        "resume",
        key,
        `the checkpoint was made with a different configuration than ${configKey}`,
      );
    }
  }
  try {
    const run = await resumableTrain(model, train, {
      optimizer: "adamw",
      learningRate: resolved.learningRate,
      betas: [0.9, 0.98],
      weightDecay: resolved.weightDecay,
      warmupSteps: 10,
      steps: resolved.steps,
      batchSize: resolved.batchSize,
      seed: resolved.seed,
      evaluateEvery: resolved.evaluateEvery,
      validation,
      ...(resolved.stopAtGeneralization
        ? { earlyStop: { metric: "validationAccuracy", target: 0.99 } as const }
        : {}),
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      checkpointEvery: hooks.checkpoint === undefined ? 0 : (hooks.checkpointEvery ?? 500),
      ...(hooks.checkpoint === undefined
        ? {}
        : {
            onCheckpoint: (c) =>
              (hooks.checkpoint as NonNullable<RunnerHooks["checkpoint"]>).save({
                meta: { config: configKey, train: c.meta },
                arrays: c.arrays,
              }),
          }),
      ...(stored === undefined
        ? {}
        : {
            resumeFrom: {
              meta: (stored.meta as { train: import("@convexformer/io").JsonValue }).train,
              arrays: stored.arrays,
            },
          }),
      onEvaluate: (r) =>
        hooks.onProgress?.({
          phase: resolved.attention,
          done: r.step,
          total: resolved.steps,
          message: `train ${(100 * (r.accuracy ?? 0)).toFixed(1)}% val ${(100 * (r.validationAccuracy ?? 0)).toFixed(1)}%`,
        }),
    });
    const ev = run.evaluations;
    const last = ev.at(-1);
    return {
      experiment: "e2",
      status: run.stopReason === "aborted" ? "aborted" : "complete",
      config: resolved,
      seed: resolved.seed,
      software: hooks.software ?? { runtime: runtimeVersion(), tfjs: tf.version.tfjs },
      startedAt,
      timings: { total: performance.now() - t0, training: run.trainMs, wall: run.wallMs },
      metrics: {
        fitStep: firstReaching(ev, "accuracy"),
        generalizedStep: firstReaching(ev, "validationAccuracy"),
        steps: run.steps,
        stopReason: run.stopReason,
        trainAccuracy: jsonNumber(last?.accuracy),
        validationAccuracy: jsonNumber(last?.validationAccuracy),
        msPerStep: run.steps > 0 ? run.trainMs / run.steps : 0,
        trainSize: data.train.size,
        validationSize: data.validation.size,
        parameters: model.parameterCount,
        resumedAt: run.resumedAt ?? null,
      },
      curves: {
        accuracy: {
          step: ev.map((r) => r.step),
          wallMs: ev.map((r) => r.wallMs),
          trainAccuracy: ev.map((r) => jsonNumber(r.accuracy)),
          validationAccuracy: ev.map((r) => jsonNumber(r.validationAccuracy)),
          trainLoss: ev.map((r) => jsonNumber(r.loss)),
          validationLoss: ev.map((r) => jsonNumber(r.validationLoss)),
        },
        stepLoss: {
          step: Array.from(run.stepLosses, (_, i) => i + 1),
          loss: Array.from(run.stepLosses, jsonNumber),
        },
      },
    };
  } finally {
    train.dispose();
    validation.dispose();
    model.dispose();
  }
}
