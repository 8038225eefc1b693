import { createRng, InvalidOptionError, type Rng } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import { type EarlyStop, type EvaluationRecord, reachesTarget } from "./evaluation-record.js";
import type { Optimizer } from "./optimizer.js";
import type { Batch, TensorDataset } from "./tensor-dataset.js";
import type { StopReason } from "./train.js";
import type { Trainable } from "./trainable.js";
import type { TrainingState } from "./training-state.js";

/** The resolved schedule of a run. */
export interface Schedule {
  readonly batchSize: number;
  readonly perEpoch: number;
  readonly seed: number;
}

/**
 * The state of one training run and its two operations, a step and an evaluation, with the
 * export and restore of the whole state ({@link TrainingState}); `train` drives it.
 */
export class TrainingLoop {
  step = 0;
  trainMs = 0;
  start = performance.now();
  stopReason: StopReason | undefined;
  reachedTarget: EvaluationRecord | undefined;
  resumedAt: number | undefined;
  readonly stepLosses: number[] = [];
  readonly stepWall: number[] = [];
  readonly evaluations: EvaluationRecord[] = [];
  readonly runKey: string;
  private readonly rng: Rng;
  private order: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private readonly full: Batch | undefined;

  /**
   * @param model - the model trained in place
   * @param data - the training set
   * @param optimizer - the optimizer over the model's variables
   * @param schedule - batch size, batches per epoch, seed
   * @param options - the validation set, early stop and evaluation callback
   */
  constructor(
    private readonly model: Trainable,
    private readonly data: TensorDataset,
    private readonly optimizer: Optimizer,
    private readonly schedule: Schedule,
    private readonly options: {
      readonly validation?: TensorDataset | undefined;
      readonly earlyStop?: EarlyStop | undefined;
      readonly onEvaluate?: ((record: EvaluationRecord) => unknown) | undefined;
    },
  ) {
    const N = data.size;
    this.rng = createRng(schedule.seed);
    this.full =
      schedule.batchSize === N ? { inputs: data.inputs, targets: data.targets } : undefined;
    this.runKey = JSON.stringify({
      N,
      batchSize: schedule.batchSize,
      seed: schedule.seed,
      shapes: model.trainableVariables.map((v) => v.shape),
      optimizer: optimizer.options,
    });
  }

  /** Evaluates on the train (and validation) set; records it, checks the early stop, calls back. */
  evaluate(): void {
    const train = this.model.evaluate(this.data);
    const val =
      this.options.validation === undefined
        ? undefined
        : this.model.evaluate(this.options.validation);
    const record: EvaluationRecord = {
      step: this.step,
      epoch: this.step / this.schedule.perEpoch,
      wallMs: performance.now() - this.start,
      trainMs: this.trainMs,
      objective: train.objective,
      loss: train.loss,
      accuracy: train.accuracy,
      validationObjective: val?.objective,
      validationLoss: val?.loss,
      validationAccuracy: val?.accuracy,
    };
    this.evaluations.push(record);
    const early = this.options.earlyStop;
    if (early !== undefined && this.reachedTarget === undefined && reachesTarget(record, early)) {
      this.reachedTarget = record;
      this.stopReason ??= "target";
    }
    if (this.options.onEvaluate?.(record) === "stop") this.stopReason ??= "callback";
  }

  /** One optimizer step on the next mini-batch (a fresh seeded permutation each epoch); its loss. */
  runStep(): number {
    const { batchSize, perEpoch } = this.schedule;
    const N = this.data.size;
    const within = this.step % perEpoch;
    if (this.full === undefined && within === 0) this.order = this.rng.permutation(N);
    const t0 = performance.now();
    const variables = this.model.trainableVariables;
    const value = tf.tidy(() => {
      const batch =
        this.full ??
        this.data.batch(this.order.subarray(within * batchSize, (within + 1) * batchSize));
      if (this.model.lossAndGradients !== undefined) {
        const { value, grads } = this.model.lossAndGradients(batch, N);
        this.optimizer.apply(grads);
        return value;
      }
      const { value, grads } = tf.variableGrads(
        () => this.model.batchLoss(batch, N),
        variables as Variable[],
      );
      this.optimizer.apply(variables.map((v) => grads[v.name] as Tensor));
      return value;
    });
    const loss = value.dataSync()[0] as number;
    value.dispose();
    this.model.afterStep();
    this.trainMs += performance.now() - t0;
    this.step += 1;
    this.stepLosses.push(loss);
    this.stepWall.push(performance.now() - this.start);
    return loss;
  }

  /** The whole state now (weights, optimizer moments, progress). */
  exportState(): TrainingState {
    return {
      runKey: this.runKey,
      step: this.step,
      wallMs: performance.now() - this.start,
      trainMs: this.trainMs,
      weights: this.model.trainableVariables.map((v) => Float32Array.from(v.dataSync())),
      optimizer: this.optimizer.exportState(),
      stepLosses: Float64Array.from(this.stepLosses),
      stepWallMs: Float64Array.from(this.stepWall),
      evaluations: [...this.evaluations],
    };
  }

  /**
   * Continues from a state of the same run: weights, optimizer moments, progress, and the
   * permutations drawn so far (replayed from the seed).
   *
   * @param state - a state {@link exportState} made for this run
   * @throws `InvalidOptionError` for a state of a different run or with weights of other sizes
   */
  restoreState(state: TrainingState): void {
    if (state.runKey !== this.runKey) {
      throw new InvalidOptionError(
        "resumeFrom",
        state.runKey,
        `the checkpoint belongs to a different run (expected ${this.runKey})`,
      );
    }
    this.step = state.step;
    this.trainMs = state.trainMs;
    this.evaluations.push(...state.evaluations);
    this.stepLosses.push(...state.stepLosses);
    this.stepWall.push(...state.stepWallMs);
    this.model.trainableVariables.forEach((v, k) => {
      const values = state.weights[k];
      if (values === undefined || values.length !== v.size) {
        throw new InvalidOptionError(
          `resumeFrom.weights[${k}]`,
          values?.length,
          `expected ${v.size} values`,
        );
      }
      const restored = tf.tensor(values, v.shape, "float32");
      v.assign(restored);
      restored.dispose();
    });
    this.optimizer.restoreState(state.optimizer);
    const { perEpoch } = this.schedule;
    if (this.full === undefined && this.step > 0) {
      const drawn = Math.floor((this.step - 1) / perEpoch) + 1;
      for (let e = 0; e < drawn; e++) this.order = this.rng.permutation(this.data.size);
    }
    const early = this.options.earlyStop;
    this.reachedTarget =
      early === undefined ? undefined : this.evaluations.find((r) => reachesTarget(r, early));
    this.resumedAt = this.step;
    this.start = performance.now() - state.wallMs;
  }
}
