import {
  createRng,
  InvalidOptionError,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import { Optimizer, type OptimizerOptions } from "./optimizer.js";
import type { Batch, TensorDataset } from "./tensor-dataset.js";
import type { Trainable } from "./trainable.js";

/**
 * One evaluation of the model during training (full train set, and validation set if given).
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EvaluationRecord } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 1), new Float64Array(8));
 * const records: readonly EvaluationRecord[] = train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 4, evaluateEvery: 2 }).evaluations;
 * records.map((r) => r.step); // [0, 2, 4]
 * records[0]?.loss; // 0 (zero inputs and targets)
 * records[0]?.accuracy; // undefined (squared loss)
 * records[0]?.validationLoss; // undefined (no validation set)
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface EvaluationRecord {
  /** Optimizer steps taken before this evaluation. */
  readonly step: number;
  /** Completed epochs (fractional: steps / batches per epoch). */
  readonly epoch: number;
  /** Milliseconds since training started, evaluations included. */
  readonly wallMs: number;
  /** Milliseconds spent in optimizer steps only. */
  readonly trainMs: number;
  /** Training objective on the full train set. */
  readonly objective: number;
  /** Data term on the full train set. */
  readonly loss: number;
  /** Train accuracy (`undefined` for squared loss). */
  readonly accuracy: number | undefined;
  /** Validation objective (`undefined` without a validation set). */
  readonly validationObjective: number | undefined;
  /** Validation data term. */
  readonly validationLoss: number | undefined;
  /** Validation accuracy. */
  readonly validationAccuracy: number | undefined;
}

/**
 * Metrics an early stop can watch: accuracies stop at `≥ target`, objectives and losses at `≤ target`.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EarlyStopMetric } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 1), new Float64Array(8).fill(1));
 * const metric: EarlyStopMetric = "validationLoss";
 * // the loss is 8 · ½ = 4 whatever the weights (zero inputs): a target of 5 holds at step 0
 * const result = train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 10, validation: data, earlyStop: { metric, target: 5 } });
 * result.steps; // 0
 * result.reachedTarget?.validationLoss; // 4
 * data.dispose();
 * model.dispose();
 * ```
 */
export type EarlyStopMetric =
  | "accuracy"
  | "validationAccuracy"
  | "objective"
  | "loss"
  | "validationObjective"
  | "validationLoss";

/**
 * An early-stop rule: stop at the first evaluation where `metric` reaches `target`.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EarlyStop } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4).fill(1));
 * const stop: EarlyStop = { metric: "objective", target: 2 };
 * const result = train(model, data, { optimizer: "adam", learningRate: 0.1, steps: 5, earlyStop: stop });
 * result.stopReason; // "target" (objective 4 · ½ = 2 at step 0)
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface EarlyStop {
  /** The watched metric (accuracies stop at `≥ target`, objectives and losses at `≤ target`). */
  readonly metric: EarlyStopMetric;
  /** The target value. */
  readonly target: number;
}

/**
 * Options of {@link train}: the optimizer settings plus the schedule.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type TrainOptions } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(10, 2, 1), new Float64Array(10));
 * const options: TrainOptions = { optimizer: "sgd", learningRate: 0.1, epochs: 2, batchSize: 4, seed: 1 };
 * const result = train(model, data, options);
 * result.steps; // 4 (⌊10/4⌋ = 2 batches per epoch, the tail of 2 skipped)
 * result.stopReason; // "epochs"
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface TrainOptions extends OptimizerOptions {
  /** Total optimizer steps (at least one of `steps` and `epochs` is required; training stops at the first reached). */
  readonly steps?: number;
  /** Number of passes over the training set. */
  readonly epochs?: number;
  /**
   * Mini-batch size `b ≤ N` (default `N`, full batch). Each epoch draws a fresh seeded
   * permutation and takes `⌊N/b⌋` batches of exactly `b` samples; the incomplete tail is skipped.
   */
  readonly batchSize?: number;
  /** Seed of the per-epoch permutations (default 0). */
  readonly seed?: number;
  /** Evaluate every this many steps (default 0: only before the first and after the last step). */
  readonly evaluateEvery?: number;
  /** A validation set evaluated with the train set. */
  readonly validation?: TensorDataset;
  /**
   * Called with each evaluation; returning `"stop"` stops training (any other value is ignored).
   *
   * @param record - the evaluation just made (step, objective, loss, accuracy, times)
   */
  readonly onEvaluate?: (record: EvaluationRecord) => unknown;
  /** Stop at the first evaluation where `metric` reaches `target`. */
  readonly earlyStop?: EarlyStop;
  /** Stops training between steps when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Why training ended.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type StopReason } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4));
 * const controller = new AbortController();
 * controller.abort();
 * const reason: StopReason = train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 10, signal: controller.signal }).stopReason;
 * reason; // "aborted"
 * data.dispose();
 * model.dispose();
 * ```
 */
export type StopReason = "steps" | "epochs" | "target" | "callback" | "aborted" | "diverged";

/**
 * What {@link train} returns.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type TrainResult } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4));
 * const result: TrainResult = train(model, data, { optimizer: "adam", learningRate: 0.01, steps: 3 });
 * result.stepLosses.length; // 3
 * result.evaluations.length; // 2 (before the first and after the last step)
 * result.stopReason; // "steps"
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface TrainResult {
  /** Optimizer steps taken. */
  readonly steps: number;
  /** Epochs completed (fractional). */
  readonly epochs: number;
  /** Why training ended. */
  readonly stopReason: StopReason;
  /** Total milliseconds, evaluations included. */
  readonly wallMs: number;
  /** Milliseconds in optimizer steps only. */
  readonly trainMs: number;
  /** Training loss of each step's mini-batch (the value the gradient was taken of), length `steps`. */
  readonly stepLosses: Float64Array;
  /** Milliseconds since the start at the end of each step (evaluations included), length `steps`. */
  readonly stepWallMs: Float64Array;
  /** Every evaluation, the first at step 0 and the last after the final step. */
  readonly evaluations: readonly EvaluationRecord[];
  /** The first evaluation that reached the early-stop target, if any. */
  readonly reachedTarget: EvaluationRecord | undefined;
}

/** The keys {@link TrainOptions} may have. */
const TRAIN_OPTION_NAMES = [
  "optimizer",
  "learningRate",
  "momentum",
  "betas",
  "epsilon",
  "weightDecay",
  "warmupSteps",
  "steps",
  "epochs",
  "batchSize",
  "seed",
  "evaluateEvery",
  "validation",
  "onEvaluate",
  "earlyStop",
  "signal",
];
const METRICS: readonly EarlyStopMetric[] = [
  "accuracy",
  "validationAccuracy",
  "objective",
  "loss",
  "validationObjective",
  "validationLoss",
];

function reached(record: EvaluationRecord, metric: EarlyStopMetric, target: number): boolean {
  const value = record[metric];
  if (value === undefined || Number.isNaN(value)) return false;
  return metric === "accuracy" || metric === "validationAccuracy"
    ? value >= target
    : value <= target;
}

/**
 * Trains any {@link Trainable} model (the attention models, the decoder) on a data set with
 * SGD, Adam or AdamW, linear warm-up, seeded mini-batches (one fresh permutation per epoch,
 * tail batch skipped), periodic evaluation with callbacks, early stop on a target, and a
 * history of loss/accuracy/objective against step and wall time. Synchronous (tfjs wasm and
 * cpu run on the calling thread). The tensor count is the same after every step: nothing leaks.
 *
 * @param model - the model (its variables are updated in place)
 * @param data - the training set
 * @param options - optimizer and schedule
 * @throws `InvalidOptionError` for bad options (unknown keys too)
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 2, heads: 2, beta: 0.1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 2), new Float64Array(8).fill(1));
 * const result = train(model, data, { optimizer: "adam", learningRate: 0.05, steps: 50, evaluateEvery: 10 });
 * result.evaluations.at(-1)?.objective;
 * data.dispose(); model.dispose();
 * ```
 */
export function train(model: Trainable, data: TensorDataset, options: TrainOptions): TrainResult {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  validateKnownOptions("options", options, TRAIN_OPTION_NAMES);
  const N = data.size;
  const batchSize = options.batchSize ?? N;
  validateInteger("batchSize", batchSize, 1);
  if (batchSize > N)
    throw new InvalidOptionError("batchSize", batchSize, `must be <= the number of samples (${N})`);
  const maxSteps = options.steps ?? Number.POSITIVE_INFINITY;
  const maxEpochs = options.epochs ?? Number.POSITIVE_INFINITY;
  if (options.steps === undefined && options.epochs === undefined) {
    throw new InvalidOptionError("steps", undefined, "give steps or epochs");
  }
  if (options.steps !== undefined) validateInteger("steps", options.steps, 0);
  if (options.epochs !== undefined) validateInteger("epochs", options.epochs, 0);
  const evaluateEvery = options.evaluateEvery ?? 0;
  validateInteger("evaluateEvery", evaluateEvery, 0);
  const seed = options.seed ?? 0;
  validateInteger("seed", seed, 0);
  const early = options.earlyStop;
  if (early !== undefined) {
    if (!METRICS.includes(early.metric)) {
      throw new InvalidOptionError(
        "earlyStop.metric",
        early.metric,
        `must be one of ${METRICS.join(", ")}`,
      );
    }
    if (typeof early.target !== "number" || Number.isNaN(early.target)) {
      throw new InvalidOptionError("earlyStop.target", early.target, "must be a number");
    }
  }
  const variables = model.trainableVariables;
  const optimizer = new Optimizer(variables, options);
  const rng = createRng(seed);
  const perEpoch = Math.floor(N / batchSize);
  const stepCap = Math.min(maxSteps, maxEpochs * perEpoch);
  const stepLosses: number[] = [];
  const stepWall: number[] = [];
  const evaluations: EvaluationRecord[] = [];
  const start = performance.now();
  let trainMs = 0;
  let step = 0;
  let stopReason: StopReason | undefined;
  let reachedTarget: EvaluationRecord | undefined;

  const evaluate = (): void => {
    const train = model.evaluate(data);
    const val = options.validation === undefined ? undefined : model.evaluate(options.validation);
    const record: EvaluationRecord = {
      step,
      epoch: step / perEpoch,
      wallMs: performance.now() - start,
      trainMs,
      objective: train.objective,
      loss: train.loss,
      accuracy: train.accuracy,
      validationObjective: val?.objective,
      validationLoss: val?.loss,
      validationAccuracy: val?.accuracy,
    };
    evaluations.push(record);
    if (
      early !== undefined &&
      reachedTarget === undefined &&
      reached(record, early.metric, early.target)
    ) {
      reachedTarget = record;
      stopReason ??= "target";
    }
    if (options.onEvaluate?.(record) === "stop") stopReason ??= "callback";
  };

  const full: Batch | undefined =
    batchSize === N ? { inputs: data.inputs, targets: data.targets } : undefined;
  try {
    evaluate();
    let order: Int32Array<ArrayBufferLike> = new Int32Array(0);
    while (stopReason === undefined && step < stepCap) {
      if (options.signal?.aborted) {
        stopReason = "aborted";
        break;
      }
      const within = step % perEpoch;
      if (full === undefined && within === 0) order = rng.permutation(N);
      const t0 = performance.now();
      const value = tf.tidy(() => {
        const batch =
          full ?? data.batch(order.subarray(within * batchSize, (within + 1) * batchSize));
        if (model.lossAndGradients !== undefined) {
          const { value, grads } = model.lossAndGradients(batch, N);
          optimizer.apply(grads);
          return value;
        }
        const { value, grads } = tf.variableGrads(
          () => model.batchLoss(batch, N),
          variables as Variable[],
        );
        optimizer.apply(variables.map((v) => grads[v.name] as Tensor));
        return value;
      });
      const lossValue = value.dataSync()[0] as number;
      value.dispose();
      model.afterStep();
      trainMs += performance.now() - t0;
      step += 1;
      stepLosses.push(lossValue);
      stepWall.push(performance.now() - start);
      if (!Number.isFinite(lossValue)) {
        stopReason = "diverged";
        break;
      }
      if (evaluateEvery > 0 && step % evaluateEvery === 0 && step < stepCap) evaluate();
    }
    if (stopReason === undefined) stopReason = step >= maxSteps ? "steps" : "epochs";
    if (evaluations.at(-1)?.step !== step) evaluate();
  } finally {
    optimizer.dispose();
  }
  return {
    steps: step,
    epochs: step / perEpoch,
    stopReason,
    wallMs: performance.now() - start,
    trainMs,
    stepLosses: Float64Array.from(stepLosses),
    stepWallMs: Float64Array.from(stepWall),
    evaluations,
    reachedTarget,
  };
}
