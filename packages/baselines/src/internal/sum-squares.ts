import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";

/** Σ of squares, a scalar. */
export function sumSquares(...ts: Tensor[]): Scalar {
  return tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as Scalar;
}
