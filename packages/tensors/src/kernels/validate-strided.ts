import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { NumericArray } from "../validate.js";

/**
 * Checks that every index `offset + i·stride1 + j·stride2` (`0 ≤ i < rows`, `0 ≤ j < cols`)
 * lies inside `array`, so that a strided kernel never reads past its buffer.
 *
 * @internal
 */
export function validateStrided2d(
  argument: string,
  array: NumericArray,
  rows: number,
  cols: number,
  stride1: number,
  stride2: number,
  offset: number,
): void {
  if (
    !Number.isSafeInteger(stride1) ||
    !Number.isSafeInteger(stride2) ||
    !Number.isSafeInteger(offset)
  ) {
    throw new InvalidOptionError(
      argument,
      { stride1, stride2, offset },
      "strides and offset must be integers",
    );
  }
  if (rows === 0 || cols === 0) return;
  const last1 = (rows - 1) * stride1;
  const last2 = (cols - 1) * stride2;
  const lo = offset + Math.min(0, last1) + Math.min(0, last2);
  const hi = offset + Math.max(0, last1) + Math.max(0, last2);
  if (lo < 0 || hi >= array.length) {
    throw new ShapeMismatchError(
      argument,
      `a ${rows}x${cols} view with strides (${stride1}, ${stride2}) and offset ${offset} reaches index ${lo < 0 ? lo : hi}, outside an array of length ${array.length}`,
    );
  }
}

/**
 * Checks that every index `offset + i·stride` (`0 ≤ i < n`) lies inside `array`.
 *
 * @internal
 */
export function validateStrided1d(
  argument: string,
  array: NumericArray,
  n: number,
  stride: number,
  offset: number,
): void {
  validateStrided2d(argument, array, n, 1, stride, 0, offset);
}

/** Checks that `value` is an integer ≥ 0 (a dimension). @internal */
export function validateExtent(argument: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidOptionError(argument, value, "must be an integer >= 0");
  }
}

/** Checks a transpose flag. @internal */
export function validateTranspose(argument: string, value: string): void {
  if (value !== "no-transpose" && value !== "transpose") {
    throw new InvalidOptionError(argument, value, 'must be "no-transpose" or "transpose"');
  }
}
