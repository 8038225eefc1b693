import {
  type EvaluationRecord,
  type TensorDataset,
  type Trainable,
  type TrainingState,
  type TrainOptions,
  type TrainResult,
  train,
} from "@convexformer/baselines";
import type { Checkpoint, JsonValue } from "@convexformer/io";
import { InvalidOptionError } from "@convexformer/tensors";

/**
 * Options of {@link resumableTrain}: those of baselines' `train`, with the checkpoints as
 * {@link Checkpoint}s (what a `CheckpointStore` keeps) instead of `TrainingState`s.
 *
 * @example
 * ```ts
 * import type { ResumableTrainOptions } from "@convexformer/experiments";
 * const options: ResumableTrainOptions = { optimizer: "adamw", learningRate: 1e-3, steps: 100, evaluateEvery: 10, checkpointEvery: 50 };
 * ```
 */
export interface ResumableTrainOptions extends Omit<TrainOptions, "onCheckpoint" | "resumeFrom"> {
  /**
   * Receives each checkpoint (persist it, e.g. in a `CheckpointStore`).
   *
   * @param checkpoint - the checkpoint just taken (weights, optimizer moments, step, curves);
   *   training waits for a returned promise
   */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => Promise<void> | void;
  /** A checkpoint of an earlier run of the same model, data and options to continue from. */
  readonly resumeFrom?: Checkpoint;
}

/** The meta part of a training checkpoint. */
interface TrainingMeta {
  readonly runKey?: string;
  readonly step?: number;
  readonly priorMs?: number;
  readonly trainMs?: number;
  readonly stepCount?: number;
  readonly evaluations?: EvaluationRecord[];
}

/** A training state as a checkpoint: float32 weights and float64 moments, stored bit-exactly. */
function encodeState(state: TrainingState): Checkpoint {
  const arrays: Record<string, Float64Array> = {
    stepLosses: state.stepLosses,
    stepWallMs: state.stepWallMs,
  };
  state.weights.forEach((w, k) => {
    arrays[`var.${k}`] = Float64Array.from(w);
  });
  state.optimizer.first.forEach((a, k) => {
    arrays[`m1.${k}`] = a;
  });
  state.optimizer.second.forEach((a, k) => {
    arrays[`m2.${k}`] = a;
  });
  const meta = {
    runKey: state.runKey,
    step: state.step,
    priorMs: state.wallMs,
    trainMs: state.trainMs,
    stepCount: state.optimizer.stepCount,
    evaluations: state.evaluations as unknown as JsonValue,
  } satisfies Record<string, JsonValue>;
  return { meta, arrays };
}

/** The training state a checkpoint holds (for the optimizer `optimizer`). */
function decodeState(checkpoint: Checkpoint, optimizer: TrainOptions["optimizer"]): TrainingState {
  const meta = checkpoint.meta as TrainingMeta | null;
  if (meta === null || typeof meta !== "object" || typeof meta.runKey !== "string") {
    throw new InvalidOptionError("resumeFrom", meta, "not a training checkpoint (no run key)");
  }
  const arrays = checkpoint.arrays;
  const series = (prefix: string): Float64Array[] => {
    const out: Float64Array[] = [];
    for (let k = 0; arrays[`${prefix}.${k}`] !== undefined; k++)
      out.push(arrays[`${prefix}.${k}`] as Float64Array);
    return out;
  };
  const step = meta.step ?? 0;
  return {
    runKey: meta.runKey,
    step,
    wallMs: meta.priorMs ?? 0,
    trainMs: meta.trainMs ?? 0,
    weights: series("var").map((w) => Float32Array.from(w)),
    optimizer: {
      optimizer,
      stepCount: meta.stepCount ?? step,
      first: series("m1"),
      second: series("m2"),
    },
    stepLosses: arrays.stepLosses ?? new Float64Array(0),
    stepWallMs: arrays.stepWallMs ?? new Float64Array(0),
    evaluations: meta.evaluations ?? [],
  };
}

/**
 * Baselines' `train` (the one training loop: same optimizer, warm-up, seeded per-epoch
 * permutations, tail batch skipped, evaluations, callbacks) with its whole state stored as
 * {@link Checkpoint}s: periodic checkpoints (weights, the optimizer's moments, step, curves)
 * and exact resume, so a run resumed from a checkpoint produces the same step losses and
 * evaluations as the uninterrupted run (float32 weights and float64 moments are stored
 * bit-exactly). Wall times continue from the checkpoint's.
 *
 * @param model - a baselines `Trainable` model (e.g. `SimplexHeads`, `DecoderTransformer`); its
 *   weights are trained in place
 * @param data - the training set, a `TensorDataset` made by `model.dataset(X, targets)`
 * @param options - {@link ResumableTrainOptions}: those of baselines' `train`, with a
 *   checkpoint callback and a checkpoint to resume from
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
): Promise<TrainResult> {
  const { onCheckpoint, resumeFrom, ...rest } = options;
  return await train(model, data, {
    ...rest,
    ...(onCheckpoint === undefined
      ? {}
      : { onCheckpoint: (state: TrainingState) => onCheckpoint(encodeState(state)) }),
    ...(resumeFrom === undefined ? {} : { resumeFrom: decodeState(resumeFrom, options.optimizer) }),
  });
}
