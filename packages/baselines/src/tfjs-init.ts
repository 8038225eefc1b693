import type { Rng } from "@convexformer/tensors";
import { InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";

function size(shape: readonly number[]): number {
  let s = 1;
  for (const k of shape) s *= k;
  return s;
}

/**
 * A float32 tensor of independent uniform draws in `[-bound, bound)` from a seeded
 * generator (PyTorch's default `nn.Linear` initialization uses `bound = 1/sqrt(fan_in)`).
 * The values depend only on the generator state, never on the tfjs backend.
 *
 * @param rng - the seeded generator (`createRng` of `@convexformer/tensors`); advanced
 * @param shape - tensor shape
 * @param bound - half-width of the interval, ≥ 0
 *
 * @example
 * ```ts
 * import { createRng } from "@convexformer/tensors";
 * import { seededUniform } from "@convexformer/baselines";
 * const w = seededUniform(createRng(0), [128, 128], 1 / Math.sqrt(128));
 * ```
 */
export function seededUniform(rng: Rng, shape: readonly number[], bound: number): Tensor {
  if (!(bound >= 0) || !Number.isFinite(bound)) {
    throw new InvalidOptionError("bound", bound, "must be a finite number >= 0");
  }
  const data = rng.fillUniform(new Float64Array(size(shape)), -bound, bound);
  return tf.tensor(Float32Array.from(data), [...shape], "float32");
}

/**
 * A float32 tensor of independent normal draws `N(mean, std²)` from a seeded generator.
 *
 * @param rng - the seeded generator; advanced
 * @param shape - tensor shape
 * @param std - standard deviation, ≥ 0
 * @param mean - mean (default 0)
 *
 * @example
 * ```ts
 * import { createRng } from "@convexformer/tensors";
 * import { seededNormal } from "@convexformer/baselines";
 * const positions = seededNormal(createRng(0), [4, 128], 0.02);
 * ```
 */
export function seededNormal(rng: Rng, shape: readonly number[], std: number, mean = 0): Tensor {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new InvalidOptionError("std", std, "must be a finite number >= 0");
  }
  const data = rng.fillNormal(new Float64Array(size(shape)), mean, std);
  return tf.tensor(Float32Array.from(data), [...shape], "float32");
}

/**
 * Copies a float64 array into a new float32 tensor of the given shape.
 *
 * @param data - row-major values; its length must equal the product of `shape`
 * @param shape - tensor shape
 * @param argument - the argument name used in errors
 *
 * @example
 * ```ts
 * import { tensorFromFloat64 } from "@convexformer/baselines";
 * const t = tensorFromFloat64(new Float64Array([1, 2, 3, 4]), [2, 2]);
 * ```
 */
export function tensorFromFloat64(
  data: ArrayLike<number>,
  shape: readonly number[],
  argument = "data",
): Tensor {
  const n = size(shape);
  if (data.length !== n) {
    throw new ShapeMismatchError(
      argument,
      `shape [${shape}] needs ${n} entries, got ${data.length}`,
    );
  }
  return tf.tensor(Float32Array.from(data), [...shape], "float32");
}

/**
 * Reads a tensor into a new `Float64Array` (row-major). Does not dispose the tensor. Read
 * outside `tf.tidy`: returning large arrays from inside a tidy is very slow.
 *
 * @param t - any tfjs tensor (read with `dataSync`, so it waits for the backend)
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { tensorToFloat64 } from "@convexformer/baselines";
 * const t = tf.tensor([1, 2, 3]);
 * tensorToFloat64(t); // Float64Array [1, 2, 3]
 * t.dispose();
 * ```
 */
export function tensorToFloat64(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as Float32Array);
}
