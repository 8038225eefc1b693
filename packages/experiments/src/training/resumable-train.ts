import {
  type EarlyStop,
  type EvaluationRecord,
  Optimizer,
  type OptimizerOptions,
  type StopReason,
  type TensorDataset,
  type Trainable,
} from "@convexformer/baselines";
import type { Checkpoint, JsonValue } from "@convexformer/io";
import { createRng, InvalidOptionError, validateInteger } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";

/**
 * Options of {@link resumableTrain}: the optimizer settings, the schedule (the semantics of
 * baselines' `train`), and checkpointing.
 *
 * @example
 * ```ts
 * import type { ResumableTrainOptions } from "@convexformer/experiments";
 * const options: ResumableTrainOptions = { optimizer: "adamw", learningRate: 1e-3, steps: 100, evaluateEvery: 10, checkpointEvery: 50 };
 * ```
 */
export interface ResumableTrainOptions extends OptimizerOptions {
  /** Total optimizer steps. */
  readonly steps: number;
  /** Mini-batch size (default: full batch); one seeded permutation per epoch, tail skipped. */
  readonly batchSize?: number;
  /** Seed of the permutations (default 0). */
  readonly seed?: number;
  /** Evaluate every this many steps (default 0: only at the start and the end). */
  readonly evaluateEvery?: number;
  /** Evaluated with the training set. */
  readonly validation?: TensorDataset;
  /** Stop at the first evaluation reaching the target. */
  readonly earlyStop?: EarlyStop;
  /**
   * Called with each evaluation.
   *
   * @param record - the evaluation: its step and epoch, wall and training milliseconds, the
   *   training objective, loss and accuracy, and the validation metrics when a validation set is
   *   given
   */
  readonly onEvaluate?: (record: EvaluationRecord) => void;
  /** Checkpoint every this many steps (default 0: never). */
  readonly checkpointEvery?: number;
  /**
   * Receives each checkpoint (persist it, e.g. in a `CheckpointStore`).
   *
   * @param checkpoint - the checkpoint just taken (weights, optimizer moments, step, curves);
   *   training waits for a returned promise
   */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => Promise<void> | void;
  /** A checkpoint of an earlier run of the same model, data and options to continue from. */
  readonly resumeFrom?: Checkpoint;
  /** Stops training between steps; the result then has `stopReason: "aborted"`. */
  readonly signal?: AbortSignal;
}

/**
 * What {@link resumableTrain} returns.
 *
 * @example
 * ```ts
 * import type { TrainingRun } from "@convexformer/experiments";
 * const last = (run: TrainingRun) => run.evaluations.at(-1)?.objective;
 * ```
 */
export interface TrainingRun {
  /** Steps taken in total (resumed runs count the earlier ones). */
  readonly steps: number;
  /** Why training ended. */
  readonly stopReason: StopReason;
  /** Every evaluation (resumed runs include the earlier ones). */
  readonly evaluations: readonly EvaluationRecord[];
  /** The mini-batch loss of every step. */
  readonly stepLosses: Float64Array;
  /** Milliseconds in total (a resumed run adds the earlier run's time). */
  readonly wallMs: number;
  /** Milliseconds in optimizer steps only. */
  readonly trainMs: number;
  /** The first evaluation reaching the early-stop target. */
  readonly reachedTarget: EvaluationRecord | undefined;
  /** The step this run resumed at (`undefined` for a fresh run). */
  readonly resumedAt: number | undefined;
}

function reached(record: EvaluationRecord, stop: EarlyStop): boolean {
  const value = record[stop.metric];
  if (value === undefined || Number.isNaN(value)) return false;
  return stop.metric === "accuracy" || stop.metric === "validationAccuracy"
    ? value >= stop.target
    : value <= stop.target;
}

/** Lets timers and signal handlers run (the training loop is synchronous between yields). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains a baselines `Trainable` like baselines' `train` (same optimizer, warm-up, seeded
 * per-epoch permutations, tail batch skipped, evaluations), but asynchronously (it yields to
 * the event loop at least every 100 ms so an `AbortSignal` fired by a signal handler is seen),
 * with periodic checkpoints (weights, the optimizer's `exportState()`, step, curves) and exact
 * resume (`restoreState()` into a fresh optimizer): a run
 * resumed from a checkpoint produces the same step losses and evaluations as the
 * uninterrupted run (the permutations are replayed from the seed; float32 weights and float64
 * moments are stored bit-exactly). Wall times continue from the checkpoint's.
 *
 * @param model - a baselines `Trainable` model (e.g. `SimplexHeads`, `DecoderTransformer`); its
 *   weights are trained in place
 * @param data - the training set, a `TensorDataset` made by `model.dataset(X, targets)`
 * @param options - {@link ResumableTrainOptions}: the optimizer settings and `steps` (required),
 *   batch size, seed, evaluation interval, validation set, early stop, callbacks, checkpoint
 *   interval, a checkpoint to resume from and an abort signal
 * @throws `InvalidOptionError` for bad options, or a checkpoint of a different model or run
 *
 * @example
 * ```ts
 * import { SimplexHeads } from "@convexformer/baselines";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { resumableTrain } from "@convexformer/experiments";
 * const model = new SimplexHeads({ tokens: 2, features: 2, heads: 2, beta: 0.1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 2), new Float64Array(8).fill(1));
 * const run = await resumableTrain(model, data, { optimizer: "adam", learningRate: 0.05, steps: 20, evaluateEvery: 10 });
 * run.evaluations.length; // 3 (steps 0, 10, 20)
 * data.dispose(); model.dispose();
 * ```
 */
export async function resumableTrain(
  model: Trainable,
  data: TensorDataset,
  options: ResumableTrainOptions,
): Promise<TrainingRun> {
  const N = data.size;
  const batchSize = options.batchSize ?? N;
  validateInteger("batchSize", batchSize, 1);
  if (batchSize > N) {
    throw new InvalidOptionError("batchSize", batchSize, `must be <= the number of samples (${N})`);
  }
  validateInteger("steps", options.steps, 0);
  const evaluateEvery = options.evaluateEvery ?? 0;
  validateInteger("evaluateEvery", evaluateEvery, 0);
  const checkpointEvery = options.checkpointEvery ?? 0;
  validateInteger("checkpointEvery", checkpointEvery, 0);
  const seed = options.seed ?? 0;
  validateInteger("seed", seed, 0);
  const variables = model.trainableVariables;
  const optimizer = new Optimizer(variables, options);
  const perEpoch = Math.floor(N / batchSize);
  const full = batchSize === N;
  const rng = createRng(seed);
  const stepLosses: number[] = [];
  const evaluations: EvaluationRecord[] = [];
  let step = 0;
  let priorMs = 0;
  let trainMs = 0;
  let order: Int32Array = new Int32Array(0);
  let resumedAt: number | undefined;
  const runKey = JSON.stringify({
    N,
    batchSize,
    seed,
    shapes: variables.map((v) => v.shape),
    optimizer: optimizer.options,
  });

  if (options.resumeFrom !== undefined) {
    const meta = options.resumeFrom.meta as {
      runKey?: string;
      step?: number;
      priorMs?: number;
      trainMs?: number;
      stepCount?: number;
      evaluations?: EvaluationRecord[];
    } | null;
    if (meta === null || typeof meta !== "object" || meta.runKey !== runKey) {
      throw new InvalidOptionError(
        "resumeFrom",
        meta?.runKey ?? meta,
        `the checkpoint belongs to a different run (expected ${runKey})`,
      );
    }
    const arrays = options.resumeFrom.arrays;
    step = meta.step ?? 0;
    priorMs = meta.priorMs ?? 0;
    trainMs = meta.trainMs ?? 0;
    evaluations.push(...(meta.evaluations ?? []));
    stepLosses.push(...(arrays.stepLosses ?? []));
    variables.forEach((v, k) => {
      const values = arrays[`var.${k}`];
      if (values === undefined || values.length !== v.size) {
        throw new InvalidOptionError(
          `resumeFrom.arrays["var.${k}"]`,
          values?.length,
          `expected ${v.size} values`,
        );
      }
      const restored = tf.tensor(Float32Array.from(values), v.shape, "float32");
      v.assign(restored);
      restored.dispose();
    });
    const first: Float64Array[] = [];
    const second: Float64Array[] = [];
    for (let k = 0; arrays[`m1.${k}`] !== undefined; k++)
      first.push(arrays[`m1.${k}`] as Float64Array);
    for (let k = 0; arrays[`m2.${k}`] !== undefined; k++)
      second.push(arrays[`m2.${k}`] as Float64Array);
    optimizer.restoreState({
      optimizer: optimizer.options.optimizer,
      stepCount: meta.stepCount ?? step,
      first,
      second,
    });
    if (!full && step > 0) {
      const drawn = Math.floor((step - 1) / perEpoch) + 1;
      for (let e = 0; e < drawn; e++) order = rng.permutation(N);
    }
    resumedAt = step;
  }

  const start = performance.now() - priorMs;
  let stopReason: StopReason | undefined;
  let reachedTarget: EvaluationRecord | undefined =
    options.earlyStop === undefined
      ? undefined
      : evaluations.find((r) => reached(r, options.earlyStop as EarlyStop));
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
      options.earlyStop !== undefined &&
      reachedTarget === undefined &&
      reached(record, options.earlyStop)
    ) {
      reachedTarget = record;
      stopReason ??= "target";
    }
    options.onEvaluate?.(record);
  };
  const checkpoint = async (): Promise<void> => {
    if (options.onCheckpoint === undefined) return;
    const state = optimizer.exportState();
    const arrays: Record<string, Float64Array> = { stepLosses: Float64Array.from(stepLosses) };
    variables.forEach((v, k) => {
      arrays[`var.${k}`] = Float64Array.from(v.dataSync() as Float32Array);
    });
    state.first.forEach((a, k) => {
      arrays[`m1.${k}`] = a;
    });
    state.second.forEach((a, k) => {
      arrays[`m2.${k}`] = a;
    });
    const meta = {
      runKey,
      step,
      priorMs: performance.now() - start,
      trainMs,
      stepCount: state.stepCount,
      evaluations: evaluations as unknown as JsonValue,
    } satisfies Record<string, JsonValue>;
    await options.onCheckpoint({ meta, arrays });
  };

  try {
    if (evaluations.length === 0) evaluate();
    let lastYield = performance.now();
    while (stopReason === undefined && step < options.steps) {
      if (performance.now() - lastYield > 100) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (options.signal?.aborted) {
        stopReason = "aborted";
        break;
      }
      const within = step % perEpoch;
      if (!full && within === 0) order = rng.permutation(N);
      const t0 = performance.now();
      const value = tf.tidy(() => {
        const batch = full
          ? { inputs: data.inputs, targets: data.targets }
          : data.batch(order.subarray(within * batchSize, (within + 1) * batchSize));
        if (model.lossAndGradients !== undefined) {
          const { value, grads } = model.lossAndGradients(batch, N);
          optimizer.apply(grads);
          return value;
        }
        const { value, grads } = tf.variableGrads(
          () => model.batchLoss(batch, N),
          variables as tf.Variable[],
        );
        optimizer.apply(variables.map((v) => grads[v.name] as tf.Tensor));
        return value;
      });
      const loss = value.dataSync()[0] as number;
      value.dispose();
      model.afterStep();
      trainMs += performance.now() - t0;
      step++;
      stepLosses.push(loss);
      if (!Number.isFinite(loss)) {
        stopReason = "diverged";
        break;
      }
      if (evaluateEvery > 0 && step % evaluateEvery === 0 && step < options.steps) evaluate();
      if (checkpointEvery > 0 && step % checkpointEvery === 0 && step < options.steps) {
        await checkpoint();
        lastYield = performance.now();
      }
    }
    stopReason ??= "steps";
    // an aborted run checkpoints before its closing evaluation, so a resume sees the curve
    // exactly as the uninterrupted run has it at this step
    if (stopReason === "aborted") await checkpoint();
    if (evaluations.at(-1)?.step !== step) evaluate();
  } finally {
    optimizer.dispose();
  }
  return {
    steps: step,
    stopReason,
    evaluations,
    stepLosses: Float64Array.from(stepLosses),
    wallMs: performance.now() - start,
    trainMs,
    reachedTarget,
    resumedAt,
  };
}
