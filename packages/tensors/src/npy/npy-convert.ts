import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { TokenBatch } from "../token-batch.js";
import type { NpyArray } from "./npy-array.js";

function toFloat64(array: NpyArray, name: string): Float64Array {
  if (array === null || typeof array !== "object" || !("dtype" in array)) {
    throw new InvalidOptionError(name, array, "must be an NpyArray (from readNpy)");
  }
  // float64 data is shared; int64 data is also a Float64Array of exact integers, but copy it so
  // that the Matrix never aliases an integer array
  if (array.dtype === "float64") return array.data;
  return Float64Array.from(array.data);
}

/**
 * Views a 2-d {@link NpyArray} as a float64 {@link Matrix}: float64 data is shared (no copy),
 * other dtypes are converted (bool → 0/1).
 *
 * @param array - a 2-d array, e.g. from `readNpy`
 * @param name - the name used in error messages (default `"array"`)
 * @throws {@link ShapeMismatchError} unless `array` is 2-d
 *
 * @example
 * ```ts
 * import { npyToMatrix, readNpy, writeNpy, Matrix } from "@convexformer/tensors";
 * const m = npyToMatrix(readNpy(writeNpy(Matrix.identity(3))));
 * m.get(1, 1); // 1
 * ```
 */
export function npyToMatrix(array: NpyArray, name = "array"): Matrix {
  const data = toFloat64(array, name);
  if (array.shape.length !== 2) {
    throw new ShapeMismatchError(
      name,
      `expected a 2-d array, got shape (${array.shape.join(", ")})`,
    );
  }
  return new Matrix(array.shape[0] as number, array.shape[1] as number, data);
}

/**
 * Views a 3-d {@link NpyArray} of shape `(N, n, d)` as a float64 {@link TokenBatch}: float64
 * data is shared (no copy), other dtypes are converted.
 *
 * @param array - a 3-d array, e.g. from `readNpy`
 * @param name - the name used in error messages (default `"array"`)
 * @throws {@link ShapeMismatchError} unless `array` is 3-d
 *
 * @example
 * ```ts
 * import { npyToTokenBatch, readNpy, writeNpy, TokenBatch } from "@convexformer/tensors";
 * const X = npyToTokenBatch(readNpy(writeNpy(TokenBatch.zeros(4, 3, 2))));
 * X.tokens; // 3
 * ```
 */
export function npyToTokenBatch(array: NpyArray, name = "array"): TokenBatch {
  const data = toFloat64(array, name);
  if (array.shape.length !== 3) {
    throw new ShapeMismatchError(
      name,
      `expected a 3-d (samples, tokens, features) array, got shape (${array.shape.join(", ")})`,
    );
  }
  const [N, n, d] = array.shape as [number, number, number];
  return new TokenBatch(N, n, d, data);
}
