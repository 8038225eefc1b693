import type { Tensor, Tensor2D, Tensor3D } from "@tensorflow/tfjs";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import type { TfjsNamespace } from "../tfjs-loader.js";
import { TokenBatch } from "../token-batch.js";
import { checkFloat32Range } from "./float32-range.js";

// tfjs stays optional: this file only imports its types; callers pass the namespace they got
// from initTfjs() (or their own `import * as tf from "@tensorflow/tfjs"`).

function checkNamespace(tf: TfjsNamespace): void {
  if (tf === null || typeof tf !== "object" || typeof tf.tensor2d !== "function") {
    throw new InvalidOptionError(
      "tf",
      typeof tf,
      "must be the @tensorflow/tfjs namespace (from initTfjs())",
    );
  }
}

function readTensor(argument: string, tensor: Tensor, rank: number): Float64Array {
  if (tensor === null || typeof tensor !== "object" || typeof tensor.dataSync !== "function") {
    throw new InvalidOptionError(argument, typeof tensor, "must be a tfjs Tensor");
  }
  if (tensor.rank !== rank) {
    throw new ShapeMismatchError(
      argument,
      `expected a rank-${rank} tensor, got shape [${tensor.shape.join(", ")}]`,
    );
  }
  if (tensor.dtype !== "float32" && tensor.dtype !== "int32" && tensor.dtype !== "bool") {
    throw new InvalidOptionError(argument, tensor.dtype, "dtype must be float32, int32 or bool");
  }
  return Float64Array.from(tensor.dataSync() as Float32Array | Int32Array | Uint8Array);
}

/**
 * Copies a {@link Matrix} into a new float32 `tf.Tensor2D` of the same shape (the caller owns
 * it and must `dispose()` it).
 *
 * @param tf - the tfjs namespace, e.g. `(await initTfjs()).tf`
 * @param m - the matrix to copy (a {@link Matrix}, otherwise `invalid-option`); every finite entry
 *   must fit float32 (`|x| ≤ 3.4028e38`), and it is rounded to about 7 significant digits
 * @throws `InvalidOptionError` when an entry overflows float32
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { initTfjs, toTensor2d } from "@convexformer/tensors/tfjs";
 * const { tf } = await initTfjs();
 * const t = toTensor2d(tf, Matrix.fromRows([[1, 2], [3, 4]]));
 * t.shape; // [2, 2]
 * t.dispose();
 * ```
 */
export function toTensor2d(tf: TfjsNamespace, m: Matrix): Tensor2D {
  checkNamespace(tf);
  if (!(m instanceof Matrix)) throw new InvalidOptionError("m", typeof m, "must be a Matrix");
  checkFloat32Range("m", m.data);
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], "float32");
}

/**
 * Reads a rank-2 tensor (float32, int32 or bool) into a new float64 {@link Matrix}
 * (synchronous `dataSync()`; the tensor is not disposed).
 *
 * @param tensor - a rank-2 tensor of dtype `float32`, `int32` or `bool` (another dtype is
 *   `invalid-option`, another rank `shape-mismatch`), read with `dataSync()` and not disposed
 * @throws `ShapeMismatchError` unless the tensor has rank 2
 *
 * @example
 * ```ts
 * import { fromTensor2d, initTfjs } from "@convexformer/tensors/tfjs";
 * const { tf } = await initTfjs();
 * const t = tf.eye(2);
 * fromTensor2d(t).toRows(); // [[1, 0], [0, 1]]
 * t.dispose();
 * ```
 */
export function fromTensor2d(tensor: Tensor): Matrix {
  const data = readTensor("tensor", tensor, 2);
  return new Matrix(tensor.shape[0] as number, tensor.shape[1] as number, data);
}

/**
 * Copies a {@link TokenBatch} into a new float32 `tf.Tensor3D` of shape
 * `[samples, tokens, features]` (the caller owns it and must `dispose()` it).
 *
 * @param tf - the tfjs namespace, e.g. `(await initTfjs()).tf`
 * @param batch - the {@link TokenBatch} to copy (otherwise `invalid-option`); every finite entry
 *   must fit float32 (`|x| ≤ 3.4028e38`), and it is rounded to about 7 significant digits
 * @throws `InvalidOptionError` when an entry overflows float32
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { initTfjs, toTensor3d } from "@convexformer/tensors/tfjs";
 * const { tf } = await initTfjs();
 * const t = toTensor3d(tf, TokenBatch.zeros(8, 4, 16));
 * t.shape; // [8, 4, 16]
 * t.dispose();
 * ```
 */
export function toTensor3d(tf: TfjsNamespace, batch: TokenBatch): Tensor3D {
  checkNamespace(tf);
  if (!(batch instanceof TokenBatch)) {
    throw new InvalidOptionError("batch", typeof batch, "must be a TokenBatch");
  }
  checkFloat32Range("batch", batch.data);
  return tf.tensor3d(
    Float32Array.from(batch.data),
    [batch.samples, batch.tokens, batch.features],
    "float32",
  );
}

/**
 * Reads a rank-3 tensor `[samples, tokens, features]` into a new float64 {@link TokenBatch}
 * (synchronous `dataSync()`; the tensor is not disposed).
 *
 * @param tensor - a rank-3 tensor `[samples, tokens, features]` of dtype `float32`, `int32` or
 *   `bool` (another dtype is `invalid-option`, another rank `shape-mismatch`), read with
 *   `dataSync()` and not disposed
 * @throws `ShapeMismatchError` unless the tensor has rank 3
 *
 * @example
 * ```ts
 * import { fromTensor3d, initTfjs } from "@convexformer/tensors/tfjs";
 * const { tf } = await initTfjs();
 * const t = tf.ones([2, 3, 4]);
 * fromTensor3d(t).tokens; // 3
 * t.dispose();
 * ```
 */
export function fromTensor3d(tensor: Tensor): TokenBatch {
  const data = readTensor("tensor", tensor, 3);
  const [N, n, d] = tensor.shape as [number, number, number];
  return new TokenBatch(N, n, d, data);
}
