import { InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";

/**
 * One mini-batch: inputs and targets, first axis = samples.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { TensorDataset, type Batch } from "@convexformer/baselines";
 * const data = new TensorDataset(tf.zeros([6, 2, 3]), tf.ones([6]));
 * const batch: Batch = data.slice(0, 4);
 * batch.inputs.shape; // [4, 2, 3]
 * batch.targets.shape; // [4]
 * tf.dispose([batch.inputs, batch.targets]);
 * data.dispose();
 * ```
 */
export interface Batch {
  /** Model inputs (`[b, n, d]` float32 token matrices, or `[b, n]` int32 token ids). */
  readonly inputs: Tensor;
  /** Targets in the layout the model's loss expects. */
  readonly targets: Tensor;
}

/**
 * A data set held as two tfjs tensors whose first axis indexes samples. The dataset owns
 * its tensors: call {@link TensorDataset.dispose} when done. Models build these from float64
 * inputs (`model.dataset(X, y)`) after checking shapes against their configuration.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { TensorDataset } from "@convexformer/baselines";
 * const data = new TensorDataset(tf.zeros([8, 4, 3]), tf.zeros([8]));
 * const batch = data.batch(new Int32Array([0, 5])); // inputs [2, 4, 3]
 * batch.inputs.dispose(); batch.targets.dispose(); data.dispose();
 * ```
 */
export class TensorDataset {
  /** Number of samples `N`. */
  readonly size: number;
  /** All inputs, `[N, ...]`. */
  readonly inputs: Tensor;
  /** All targets, `[N, ...]`. */
  readonly targets: Tensor;

  /**
   * Takes ownership of both tensors (they must agree on the first axis and not be empty).
   *
   * @param inputs - model inputs, first axis = samples (`[N, n, d]` float32 token matrices or
   *   `[N, n]` int32 token ids)
   * @param targets - targets in the layout the model's loss expects, first axis = samples
   * @throws `ShapeMismatchError` when the first axes differ
   */
  constructor(inputs: Tensor, targets: Tensor) {
    if (inputs.rank < 1 || targets.rank < 1 || inputs.shape[0] !== targets.shape[0]) {
      throw new ShapeMismatchError(
        "targets",
        `inputs [${inputs.shape}] and targets [${targets.shape}] must share the first axis`,
      );
    }
    this.size = inputs.shape[0] as number;
    this.inputs = inputs;
    this.targets = targets;
  }

  /**
   * The samples at `indices` (new tensors; the caller disposes them, or calls this inside
   * `tf.tidy`).
   *
   * @param indices - sample indices in `[0, N)`, in the order wanted (repeats allowed)
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { TensorDataset } from "@convexformer/baselines";
   * const data = new TensorDataset(tf.range(0, 6).reshape([6, 1]), tf.zeros([6]));
   * const b = data.batch(new Int32Array([4, 1])); // inputs [[4], [1]]
   * ```
   */
  batch(indices: Int32Array): Batch {
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k] as number;
      if (i < 0 || i >= this.size) {
        throw new InvalidOptionError(`indices[${k}]`, i, `must be in [0, ${this.size})`);
      }
    }
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices, "int32");
      return { inputs: tf.gather(this.inputs, idx), targets: tf.gather(this.targets, idx) };
    });
  }

  /**
   * Samples `start ≤ i < end` (new tensors, caller disposes).
   *
   * @param start - first sample, `0 ≤ start ≤ end`
   * @param end - one past the last sample, `≤ N`
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { TensorDataset } from "@convexformer/baselines";
   * const data = new TensorDataset(tf.zeros([6, 2]), tf.zeros([6]));
   * data.slice(2, 4).inputs.shape; // [2, 2]
   * ```
   */
  slice(start: number, end: number): Batch {
    if (
      !(
        Number.isSafeInteger(start) &&
        Number.isSafeInteger(end) &&
        0 <= start &&
        start < end &&
        end <= this.size
      )
    ) {
      throw new InvalidOptionError("end", end, `need 0 <= start (${start}) < end <= ${this.size}`);
    }
    return tf.tidy(() => ({
      inputs: tf.slice(this.inputs, start, end - start),
      targets: tf.slice(this.targets, start, end - start),
    }));
  }

  /**
   * Frees both tensors.
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { TensorDataset } from "@convexformer/baselines";
   * new TensorDataset(tf.zeros([2, 1]), tf.zeros([2])).dispose();
   * ```
   */
  dispose(): void {
    this.inputs.dispose();
    this.targets.dispose();
  }
}
