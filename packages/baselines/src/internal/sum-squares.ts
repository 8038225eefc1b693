import * as tf from "@tensorflow/tfjs";

/** Σ of squares, a scalar. */
export function sumSquares(...ts: tf.Tensor[]): tf.Scalar {
  return tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as tf.Scalar;
}
