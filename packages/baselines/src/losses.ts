import { LOSS_NAMES, type LossName } from "@convexformer/attention";
import { InvalidOptionError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";

/**
 * The data term summed over every sample (and every token for sequence outputs):
 * `Σ L(ŷ, y)`, a scalar tensor. For `"cross-entropy"` the last axis holds the `c` classes
 * and `targets` holds probabilities (one-hot for class labels); for the other losses the
 * two tensors are compared entrywise.
 *
 * @param loss - the loss (one of the attention package's `LOSS_NAMES`)
 * @param predictions - model outputs
 * @param targets - same shape as `predictions`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { lossSum } from "@convexformer/baselines";
 * lossSum("squared", tf.tensor([1, 2]), tf.tensor([0, 0])).dataSync(); // [2.5]
 * ```
 */
export function lossSum(loss: LossName, predictions: Tensor, targets: Tensor): Scalar {
  return tf.tidy(() => {
    switch (loss) {
      case "squared":
        return tf.mul(0.5, tf.sum(tf.square(tf.sub(predictions, targets)))) as Scalar;
      case "logistic":
        return tf.sum(tf.softplus(tf.neg(tf.mul(targets, predictions)))) as Scalar;
      case "cross-entropy":
        return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(predictions)))) as Scalar;
      default:
        throw new InvalidOptionError("loss", loss, `must be one of ${LOSS_NAMES.join(", ")}`);
    }
  });
}

/**
 * What {@link correctCount} returns.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { correctCount, type CorrectCount } from "@convexformer/baselines";
 * const scores = tf.tensor([[2, 1], [0, 3], [1, 0]]);
 * const oneHot = tf.tensor([[1, 0], [1, 0], [1, 0]]);
 * const c: CorrectCount | undefined = correctCount("cross-entropy", scores, oneHot);
 * c?.correct.dataSync()[0]; // 2
 * c?.count; // 3
 * c?.correct.dispose();
 * ```
 */
export interface CorrectCount {
  /** Number of correct predictions (a scalar tensor the caller disposes). */
  readonly correct: Scalar;
  /** Number of predictions scored. */
  readonly count: number;
}

/**
 * Number of correct predictions, as a scalar tensor, and how many were scored:
 * cross-entropy compares the arg-max of each row of the last axis with the arg-max of the
 * target row; logistic compares signs entrywise (`y·ŷ > 0`). Squared loss has no accuracy
 * (returns `undefined`).
 *
 * @param loss - the loss (one of the attention package's `LOSS_NAMES`)
 * @param predictions - model outputs (cross-entropy: class scores on the last axis)
 * @param targets - same shape as `predictions` (logistic: `±1`; cross-entropy: probabilities
 *   or one-hot rows)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { correctCount } from "@convexformer/baselines";
 * correctCount("logistic", tf.tensor([0.3, -2]), tf.tensor([1, 1]))?.count; // 2
 * ```
 */
export function correctCount(
  loss: LossName,
  predictions: Tensor,
  targets: Tensor,
): CorrectCount | undefined {
  if (loss === "squared") return undefined;
  if (loss === "logistic") {
    const correct = tf.tidy(
      () => tf.sum(tf.cast(tf.greater(tf.mul(predictions, targets), 0), "float32")) as Scalar,
    );
    return { correct, count: predictions.size };
  }
  const c = predictions.shape[predictions.rank - 1] as number;
  const correct = tf.tidy(
    () =>
      tf.sum(
        tf.cast(tf.equal(tf.argMax(predictions, -1), tf.argMax(targets, -1)), "float32"),
      ) as Scalar,
  );
  return { correct, count: predictions.size / c };
}
