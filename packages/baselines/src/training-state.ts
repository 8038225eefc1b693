import type { EvaluationRecord } from "./evaluation-record.js";
import type { OptimizerState } from "./optimizer.js";

/**
 * The whole state of a training run at a step, as {@link train} hands it to `onCheckpoint`
 * and takes it back as `resumeFrom`: the weights (float32, exactly as the variables hold
 * them), the optimizer's moments and step count, the progress (step, times, step losses,
 * evaluations) and a key of the run (data size, batch size, seed, variable shapes, optimizer
 * settings) that a resume must match. Resuming from it reproduces the uninterrupted run bit
 * for bit: the same step losses, evaluations and final weights.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type TrainingState } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1, seed: 1 });
 * const data = model.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4).fill(1));
 * let saved: TrainingState | undefined;
 * await train(model, data, { optimizer: "adam", learningRate: 0.1, steps: 4, checkpointEvery: 2, onCheckpoint: (s) => { saved ??= s; } });
 * saved?.step; // 2
 * saved?.optimizer.stepCount; // 2
 * saved?.weights.length === model.trainableVariables.length; // true
 * data.dispose(); model.dispose();
 * ```
 */
export interface TrainingState {
  /** What identifies the run (a resume into a different one is refused). */
  readonly runKey: string;
  /** Optimizer steps taken. */
  readonly step: number;
  /** Milliseconds since training started (a resumed run continues from here). */
  readonly wallMs: number;
  /** Milliseconds in optimizer steps only. */
  readonly trainMs: number;
  /** The variables' values, in the model's `trainableVariables` order. */
  readonly weights: readonly Float32Array[];
  /** The optimizer's moments and step count (`Optimizer.exportState()`). */
  readonly optimizer: OptimizerState;
  /** The mini-batch loss of every step so far. */
  readonly stepLosses: Float64Array;
  /** Milliseconds since the start at the end of every step so far. */
  readonly stepWallMs: Float64Array;
  /** Every evaluation so far. */
  readonly evaluations: readonly EvaluationRecord[];
}
