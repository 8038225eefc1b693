import type { Matrix } from "../matrix.js";
import type { TokenBatch } from "../token-batch.js";

/**
 * The element types `.npy` I/O supports, with their numpy `descr`:
 * `float64` `'<f8'`, `float32` `'<f4'`, `int32` `'<i4'`, `int64` `'<i8'` (read into
 * `number`s, so every value must be a safe integer, |v| < 2^53), `bool` `'|b1'`, `uint8` `'|u1'`.
 *
 * @example
 * ```ts
 * import { type NpyDtype, readNpy, writeNpy } from "@convexformer/tensors";
 * const bytes = writeNpy({ dtype: "int32", shape: [3], data: new Int32Array([1, 2, 3]) });
 * const dtype: NpyDtype = readNpy(bytes).dtype;
 * dtype; // "int32"
 * ```
 */
export type NpyDtype = "float64" | "float32" | "int32" | "int64" | "bool" | "uint8";

/** Fields every {@link NpyArray} has. */
interface NpyArrayBase {
  /** Dimensions in C (row-major) order; `[]` for a 0-d (scalar) array. */
  readonly shape: readonly number[];
}

/**
 * A float64 (`'<f8'`) array.
 *
 * @example
 * ```ts
 * import { type NpyFloat64Array, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyFloat64Array = { dtype: "float64", shape: [2], data: new Float64Array([0.5, 1.5]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "float64"
 * back.data; // Float64Array [0.5, 1.5]
 * ```
 */
export interface NpyFloat64Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "float64";
  /** The values, C order. */
  readonly data: Float64Array;
}

/**
 * A float32 (`'<f4'`) array.
 *
 * @example
 * ```ts
 * import { type NpyFloat32Array, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyFloat32Array = { dtype: "float32", shape: [2], data: new Float32Array([0.5, 1.5]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "float32"
 * back.data; // Float32Array [0.5, 1.5]
 * ```
 */
export interface NpyFloat32Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "float32";
  /** The values, C order. */
  readonly data: Float32Array;
}

/**
 * An int32 (`'<i4'`) array.
 *
 * @example
 * ```ts
 * import { type NpyInt32Array, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyInt32Array = { dtype: "int32", shape: [2], data: new Int32Array([-1, 7]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "int32"
 * back.data; // Int32Array [-1, 7]
 * ```
 */
export interface NpyInt32Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "int32";
  /** The values, C order. */
  readonly data: Int32Array;
}

/**
 * An int64 (`'<i8'`) array, held as safe-integer `number`s in a `Float64Array` (reading a value
 * beyond ±(2^53 − 1) is an error; so is writing a non-integer).
 *
 * @example
 * ```ts
 * import { type NpyInt64Array, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyInt64Array = { dtype: "int64", shape: [2], data: new Float64Array([2 ** 40, -3]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "int64"
 * back.data; // Float64Array [1099511627776, -3]
 * ```
 */
export interface NpyInt64Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "int64";
  /** The values (safe integers), C order. */
  readonly data: Float64Array;
}

/**
 * A boolean (`'|b1'`) array, held as 0/1 bytes.
 *
 * @example
 * ```ts
 * import { type NpyBoolArray, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyBoolArray = { dtype: "bool", shape: [2], data: new Uint8Array([1, 0]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "bool"
 * back.data; // Uint8Array [1, 0]
 * ```
 */
export interface NpyBoolArray extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "bool";
  /** The values as 0 (false) / 1 (true), C order. */
  readonly data: Uint8Array;
}

/**
 * A uint8 (`'|u1'`) array.
 *
 * @example
 * ```ts
 * import { type NpyUint8Array, readNpy, writeNpy } from "@convexformer/tensors";
 * const array: NpyUint8Array = { dtype: "uint8", shape: [2], data: new Uint8Array([255, 0]) };
 * const back = readNpy(writeNpy(array));
 * back.dtype; // "uint8"
 * back.data; // Uint8Array [255, 0]
 * ```
 */
export interface NpyUint8Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "uint8";
  /** The values, C order. */
  readonly data: Uint8Array;
}

/**
 * An n-dimensional array read from or written to `.npy`: `shape`, `dtype` and the C-order
 * `data` as the typed array that fits the dtype (a discriminated union on `dtype`).
 *
 * @example
 * ```ts
 * import { type NpyArray, readNpy, writeNpy } from "@convexformer/tensors";
 * function total(array: NpyArray): number {
 *   let s = 0;
 *   for (const v of array.data) s += Number(v); // every dtype's data iterates as numbers
 *   return s;
 * }
 * total(readNpy(writeNpy({ dtype: "uint8", shape: [2, 2], data: new Uint8Array([1, 2, 3, 4]) }))); // 10
 * ```
 */
export type NpyArray =
  | NpyFloat64Array
  | NpyFloat32Array
  | NpyInt32Array
  | NpyInt64Array
  | NpyBoolArray
  | NpyUint8Array;

/**
 * What `writeNpy` accepts: an {@link NpyArray}, or a {@link Matrix} / {@link TokenBatch} (float64).
 *
 * @example
 * ```ts
 * import { Matrix, type NpyInput, readNpy, TokenBatch, writeNpy } from "@convexformer/tensors";
 * const inputs: NpyInput[] = [Matrix.identity(2), TokenBatch.zeros(1, 2, 3)];
 * readNpy(writeNpy(inputs[1] as NpyInput)).shape; // [1, 2, 3]
 * ```
 */
export type NpyInput = NpyArray | Matrix | TokenBatch;
