import type { Matrix } from "../matrix.js";
import type { TokenBatch } from "../token-batch.js";

/**
 * The element types `.npy` I/O supports, with their numpy `descr`:
 * `float64` `'<f8'`, `float32` `'<f4'`, `int32` `'<i4'`, `int64` `'<i8'` (read into
 * `number`s, so every value must be a safe integer, |v| < 2^53), `bool` `'|b1'`, `uint8` `'|u1'`.
 */
export type NpyDtype = "float64" | "float32" | "int32" | "int64" | "bool" | "uint8";

/** Fields every {@link NpyArray} has. */
interface NpyArrayBase {
  /** Dimensions in C (row-major) order; `[]` for a 0-d (scalar) array. */
  readonly shape: readonly number[];
}

/** A float64 (`'<f8'`) array. */
export interface NpyFloat64Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "float64";
  /** The values, C order. */
  readonly data: Float64Array;
}

/** A float32 (`'<f4'`) array. */
export interface NpyFloat32Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "float32";
  /** The values, C order. */
  readonly data: Float32Array;
}

/** An int32 (`'<i4'`) array. */
export interface NpyInt32Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "int32";
  /** The values, C order. */
  readonly data: Int32Array;
}

/**
 * An int64 (`'<i8'`) array, held as safe-integer `number`s in a `Float64Array` (reading a value
 * beyond ±(2^53 − 1) is an error; so is writing a non-integer).
 */
export interface NpyInt64Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "int64";
  /** The values (safe integers), C order. */
  readonly data: Float64Array;
}

/** A boolean (`'|b1'`) array, held as 0/1 bytes. */
export interface NpyBoolArray extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "bool";
  /** The values as 0 (false) / 1 (true), C order. */
  readonly data: Uint8Array;
}

/** A uint8 (`'|u1'`) array. */
export interface NpyUint8Array extends NpyArrayBase {
  /** The element type. */
  readonly dtype: "uint8";
  /** The values, C order. */
  readonly data: Uint8Array;
}

/**
 * An n-dimensional array read from or written to `.npy`: `shape`, `dtype` and the C-order
 * `data` as the typed array that fits the dtype (a discriminated union on `dtype`).
 */
export type NpyArray =
  | NpyFloat64Array
  | NpyFloat32Array
  | NpyInt32Array
  | NpyInt64Array
  | NpyBoolArray
  | NpyUint8Array;

/** What `writeNpy` accepts: an {@link NpyArray}, or a {@link Matrix} / {@link TokenBatch} (float64). */
export type NpyInput = NpyArray | Matrix | TokenBatch;
