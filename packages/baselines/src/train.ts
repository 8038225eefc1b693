import { InvalidOptionError, validateInteger, validateKnownOptions } from "@convexformer/tensors";
import { EARLY_STOP_METRICS, type EarlyStop, type EvaluationRecord } from "./evaluation-record.js";
import { Optimizer, type OptimizerOptions } from "./optimizer.js";
import type { TensorDataset } from "./tensor-dataset.js";
import type { Trainable } from "./trainable.js";
import { type Schedule, TrainingLoop } from "./training-loop.js";
import type { TrainingState } from "./training-state.js";

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
 * const result = await train(model, data, options);
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
  /** Stops training between steps when aborted (the run then checkpoints, see `onCheckpoint`). */
  readonly signal?: AbortSignal;
  /** Hand the whole state to `onCheckpoint` every this many steps (default 0: never). */
  readonly checkpointEvery?: number;
  /**
   * Receives the whole state every `checkpointEvery` steps, and when the signal stops the run
   * (before its closing evaluation, so a resume sees the curve exactly as the uninterrupted
   * run has it at that step). Persist it to resume later.
   *
   * @param state - the weights, optimizer moments and progress; training waits for a returned
   *   promise
   */
  readonly onCheckpoint?: (state: TrainingState) => Promise<void> | void;
  /**
   * A state of an earlier run of the same model shapes, data size and options to continue
   * from: the weights, the optimizer moments, the progress and the permutations are restored,
   * so the run continues bit for bit as the uninterrupted one (wall times continue too).
   */
  readonly resumeFrom?: TrainingState;
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
 * const reason: StopReason = (await train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 10, signal: controller.signal })).stopReason;
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
 * const result: TrainResult = await train(model, data, { optimizer: "adam", learningRate: 0.01, steps: 3 });
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
  /** The step this run resumed at (`undefined` for a fresh run). */
  readonly resumedAt: number | undefined;
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
  "checkpointEvery",
  "onCheckpoint",
  "resumeFrom",
];

/** Checks the options and resolves the schedule: batches, step cap, evaluation and checkpoint intervals. */
function resolveSchedule(
  N: number,
  options: TrainOptions,
): Schedule & {
  readonly maxSteps: number;
  readonly stepCap: number;
  readonly evaluateEvery: number;
  readonly checkpointEvery: number;
} {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  validateKnownOptions("options", options, TRAIN_OPTION_NAMES);
  const batchSize = options.batchSize ?? N;
  validateInteger("batchSize", batchSize, 1);
  if (batchSize > N)
    throw new InvalidOptionError("batchSize", batchSize, `must be <= the number of samples (${N})`);
  if (options.steps === undefined && options.epochs === undefined) {
    throw new InvalidOptionError("steps", undefined, "give steps or epochs");
  }
  if (options.steps !== undefined) validateInteger("steps", options.steps, 0);
  if (options.epochs !== undefined) validateInteger("epochs", options.epochs, 0);
  const evaluateEvery = options.evaluateEvery ?? 0;
  validateInteger("evaluateEvery", evaluateEvery, 0);
  const checkpointEvery = options.checkpointEvery ?? 0;
  validateInteger("checkpointEvery", checkpointEvery, 0);
  const seed = options.seed ?? 0;
  validateInteger("seed", seed, 0);
  const early = options.earlyStop;
  if (early !== undefined) {
    if (!EARLY_STOP_METRICS.includes(early.metric)) {
      throw new InvalidOptionError(
        "earlyStop.metric",
        early.metric,
        `must be one of ${EARLY_STOP_METRICS.join(", ")}`,
      );
    }
    if (typeof early.target !== "number" || Number.isNaN(early.target)) {
      throw new InvalidOptionError("earlyStop.target", early.target, "must be a number");
    }
  }
  const perEpoch = Math.floor(N / batchSize);
  const maxSteps = options.steps ?? Number.POSITIVE_INFINITY;
  const maxEpochs = options.epochs ?? Number.POSITIVE_INFINITY;
  return {
    batchSize,
    perEpoch,
    seed,
    maxSteps,
    stepCap: Math.min(maxSteps, maxEpochs * perEpoch),
    evaluateEvery,
    checkpointEvery,
  };
}

/** Lets timers and signal handlers run (the steps are synchronous between yields). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The training loop of every model here and of the experiments' numbers: trains any
 * {@link Trainable} model (the attention models, the decoder) on a data set with SGD, Adam or
 * AdamW, linear warm-up, seeded mini-batches (one fresh permutation per epoch, tail batch
 * skipped), periodic evaluation, early stop on a target, and a history of
 * loss/accuracy/objective against step and wall time. Callbacks around the loop, as
 * tfjs-layers' `fit` has them: `onEvaluate` (returning `"stop"` stops), `onCheckpoint` (the
 * whole state every `checkpointEvery` steps and on abort) and the `signal` (stops between
 * steps); `resumeFrom` continues a saved state bit for bit. Yields to the event loop at least
 * every 100 ms so a signal fired by a handler is seen. The tensor count is the same after
 * every step: nothing leaks.
 *
 * @param model - the model (its variables are updated in place)
 * @param data - the training set
 * @param options - optimizer, schedule, callbacks, and a state to resume from
 * @throws `InvalidOptionError` for bad options (unknown keys too), or a state of another run
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 2, heads: 2, beta: 0.1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 2), new Float64Array(8).fill(1));
 * const result = await train(model, data, { optimizer: "adam", learningRate: 0.05, steps: 50, evaluateEvery: 10 });
 * result.evaluations.length; // 6 (steps 0, 10, …, 50)
 * data.dispose(); model.dispose();
 * ```
 */
export async function train(
  model: Trainable,
  data: TensorDataset,
  options: TrainOptions,
): Promise<TrainResult> {
  const schedule = resolveSchedule(data.size, options);
  const { stepCap, evaluateEvery, checkpointEvery } = schedule;
  const optimizer = new Optimizer(model.trainableVariables, options);
  const loop = new TrainingLoop(model, data, optimizer, schedule, options);
  const checkpoint = async (): Promise<void> => {
    if (options.onCheckpoint !== undefined) await options.onCheckpoint(loop.exportState());
  };
  try {
    if (options.resumeFrom !== undefined) loop.restoreState(options.resumeFrom);
    if (loop.evaluations.length === 0) loop.evaluate();
    let lastYield = performance.now();
    while (loop.stopReason === undefined && loop.step < stepCap) {
      if (performance.now() - lastYield > 100) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (options.signal?.aborted) {
        loop.stopReason = "aborted";
        break;
      }
      if (!Number.isFinite(loop.runStep())) {
        loop.stopReason = "diverged";
        break;
      }
      const step = loop.step;
      if (evaluateEvery > 0 && step % evaluateEvery === 0 && step < stepCap) loop.evaluate();
      if (checkpointEvery > 0 && step % checkpointEvery === 0 && step < stepCap) {
        await checkpoint();
        lastYield = performance.now();
      }
    }
    loop.stopReason ??= loop.step >= schedule.maxSteps ? "steps" : "epochs";
    if (loop.stopReason === "aborted") await checkpoint();
    if (loop.evaluations.at(-1)?.step !== loop.step) loop.evaluate();
  } finally {
    optimizer.dispose();
  }
  return {
    steps: loop.step,
    epochs: loop.step / schedule.perEpoch,
    stopReason: loop.stopReason,
    wallMs: performance.now() - loop.start,
    trainMs: loop.trainMs,
    stepLosses: Float64Array.from(loop.stepLosses),
    stepWallMs: Float64Array.from(loop.stepWall),
    evaluations: loop.evaluations,
    reachedTarget: loop.reachedTarget,
    resumedAt: loop.resumedAt,
  };
}
