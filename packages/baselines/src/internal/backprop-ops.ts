import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";

// Building blocks of hand-written backward passes on the wasm backend (no tape: no saved
// clones, no custom-gradient wrappers, and every 2-D product is a plain `matMul` without
// transpose flags, the only form the wasm backend sends to XNNPACK).

/** What {@link layerNormForward} keeps for {@link layerNormBackward}. */
export interface LayerNormCache {
  /** `(x − mean) / √(var + ε)`, `[m, d]`. */
  readonly xhat: Tensor;
  /** `1 / √(var + ε)`, `[m, 1]`. */
  readonly rstd: Tensor;
}

/**
 * LayerNorm over the last axis of a 2-D `[m, d]` input: the same operations, in the same
 * order, as `tf.moments` followed by `(x − mean)·rsqrt(var + ε)·gain + bias`.
 */
export function layerNormForward(
  x: Tensor,
  gain: Tensor,
  bias: Tensor,
  epsilon: number,
): { y: Tensor; cache: LayerNormCache } {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  const rstd = tf.rsqrt(tf.add(variance, epsilon));
  const xhat = tf.mul(centered, rstd);
  return { y: tf.add(tf.mul(xhat, gain), bias), cache: { xhat, rstd } };
}

/**
 * Gradients of {@link layerNormForward} for the upstream gradient `dy` `[m, d]`:
 * `dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂))` with `g = dy ⊙ gain`.
 */
export function layerNormBackward(
  dy: Tensor,
  cache: LayerNormCache,
  gain: Tensor,
): { dx: Tensor; dgain: Tensor; dbias: Tensor } {
  const { xhat, rstd } = cache;
  const dgain = columnSum(tf.mul(dy, xhat));
  const dbias = columnSum(dy);
  const g = tf.mul(dy, gain);
  const dx = tf.mul(
    tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xhat, tf.mean(tf.mul(g, xhat), -1, true))),
    rstd,
  );
  return { dx, dgain, dbias };
}

/**
 * `xᵀ · dy` for `x` `[m, k]` and `dy` `[m, p]` (the gradient of a weight `W` in `y = x W`),
 * transposing whichever operand is smaller: `transpose(x) · dy`, or `(transpose(dy) · x)ᵀ`
 * (the final transpose is only `k × p`). `xT`, when given, is `xᵀ` already computed.
 */
export function weightGradient(x: Tensor, dy: Tensor, xT?: Tensor): Tensor {
  if (xT !== undefined) return tf.matMul(xT, dy);
  const k = x.shape[1] as number;
  const p = dy.shape[1] as number;
  if (k <= p) return tf.matMul(tf.transpose(x), dy);
  return tf.transpose(tf.matMul(tf.transpose(dy), x));
}

/**
 * Column sums of a 2-D `[m, p]` tensor, `[p]`, as the product `xᵀ 1` with the transpose
 * flag. On the wasm backend a flagged product skips XNNPACK (whose operand packing of a fresh
 * `m × p` matrix costs more than the sum) and runs a plain dot-product loop: several times
 * faster than the `Sum` kernel over the first axis, which transposes before reducing.
 */
export function columnSum(x: Tensor): Tensor {
  const [m, p] = x.shape as [number, number];
  return tf.matMul(x, tf.ones([m, 1]), true, false).reshape([p]);
}

/** `dy · wᵀ` for a 2-D weight `w` (the gradient of the input of `y = x w`). */
export function inputGradient(dy: Tensor, w: Tensor): Tensor {
  return tf.matMul(dy, tf.transpose(w));
}

/** Softmax backward along the last axis: `a ⊙ (da − Σ a ⊙ da)` for `a = softmax(s)`. */
export function softmaxBackward(a: Tensor, da: Tensor): Tensor {
  return tf.mul(a, tf.sub(da, tf.sum(tf.mul(a, da), -1, true)));
}
