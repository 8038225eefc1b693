import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs-core";
import type { Batch, TensorDataset } from "./tensor-dataset.js";

/**
 * A model's scores on a whole data set (float64 numbers read back from tfjs).
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, type Evaluation } from "@convexformer/baselines";
 * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 2, outputs: 2, loss: "cross-entropy" });
 * const data = m.dataset(TokenBatch.zeros(4, 2, 1), new Int32Array([0, 1, 1, 0]));
 * const e: Evaluation = m.evaluate(data);
 * e.loss; // ≈ 2.7725887 (4 · ln 2: zero inputs give equal scores)
 * e.objective; // ≈ 2.7725887 (β = 0)
 * data.dispose();
 * m.dispose();
 * ```
 */
export interface Evaluation {
  /** The training objective on the whole set: data term (with the model's `scaling`) + regularizer. */
  readonly objective: number;
  /** The data term alone (summed, or averaged under `scaling: "mean"`). */
  readonly loss: number;
  /** Fraction of correct predictions (cross-entropy: arg-max; logistic: sign); `undefined` for squared loss. */
  readonly accuracy: number | undefined;
}

/**
 * What the trainers need from a model: its variables, a mini-batch training loss, an
 * optional post-step hook (projection onto the simplex) and a full-set evaluation. Every
 * model of this package implements it.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, type Trainable } from "@convexformer/baselines";
 * const model: Trainable = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = (model as SimplexHeads).dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4).fill(1));
 * // what the trainers do each step: the batch loss and its gradient for every variable
 * const loss = tf.tidy(() => {
 *   const { value } = tf.variableGrads(() => model.batchLoss({ inputs: data.inputs, targets: data.targets }, data.size), model.trainableVariables as tf.Variable[]);
 *   return value.dataSync()[0];
 * });
 * loss; // 2 (4 · ½ with zero inputs)
 * model.afterStep();
 * model.evaluate(data).objective; // 2
 * data.dispose();
 * (model as SimplexHeads).dispose();
 * ```
 */
export interface Trainable {
  /** The variables the optimizer updates. */
  readonly trainableVariables: readonly Variable[];
  /**
   * The training loss of one mini-batch as a scalar tensor: the data term rescaled so that
   * a full batch gives the model's objective exactly (`scaling: "sum"`: `N/b · Σ_batch L`, `"mean"`:
   * `1/b · Σ_batch L`) plus the regularizer.
   *
   * @param batch - the mini-batch
   * @param datasetSize - `N`, the size of the set the batch was drawn from
   */
  batchLoss(batch: Batch, datasetSize: number): Scalar;
  /**
   * Optional fast path: {@link Trainable.batchLoss} and its gradient for every variable
   * (`grads[k]` belongs to `trainableVariables[k]`), computed by the model itself instead of
   * `tf.variableGrads` over `batchLoss`; the values must agree. The trainers call it inside
   * `tf.tidy` when the model has it.
   *
   * @param batch - the mini-batch
   * @param datasetSize - `N`, the size of the set the batch was drawn from
   */
  lossAndGradients?(batch: Batch, datasetSize: number): LossAndGradients;
  /** Called after every optimizer step (the `"projection"` simplex parameterization projects here). */
  afterStep(): void;
  /**
   * Scores on a whole data set.
   *
   * @param data - a data set built by this model (its `dataset` method)
   */
  evaluate(data: TensorDataset): Evaluation;
}

/**
 * What {@link Trainable.lossAndGradients} returns: the mini-batch loss and its gradients.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { DecoderTransformer, type LossAndGradients } from "@convexformer/baselines";
 * const m = new DecoderTransformer({ vocabSize: 5, sequenceLength: 2, width: 8, heads: 2, layers: 1 });
 * const data = m.dataset(new Int32Array([0, 1, 2, 3]), new Int32Array([4, 0]));
 * const counts = tf.tidy(() => {
 *   const result: LossAndGradients = m.lossAndGradients({ inputs: data.inputs, targets: data.targets }, 2);
 *   return [result.grads.length, m.trainableVariables.length]; // one gradient per variable
 * });
 * counts[0] === counts[1]; // true
 * data.dispose();
 * m.dispose();
 * ```
 */
export interface LossAndGradients {
  /** The mini-batch loss, as {@link Trainable.batchLoss} computes it. */
  readonly value: Scalar;
  /** The gradient of `value` for each trainable variable, in `trainableVariables` order. */
  readonly grads: readonly Tensor[];
}
