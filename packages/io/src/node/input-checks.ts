import type { NpyArray } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";

/**
 * Names the entry at flat (C-order) index `flat` of an array of `shape` by its axes, e.g.
 * `"sample 3, token 2, feature 0"`.
 *
 * @param shape - the array's shape
 * @param axes - one name per axis (missing names become `axis k`)
 * @param flat - the flat index
 * @example
 * ```ts
 * import { describeEntry } from "@convexformer/io/node";
 * describeEntry([4, 3, 2], ["sample", "token", "feature"], 20); // "sample 3, token 1, feature 0"
 * ```
 */
export function describeEntry(
  shape: readonly number[],
  axes: readonly string[],
  flat: number,
): string {
  const index: number[] = [];
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const size = shape[k] as number;
    index[k] = size > 0 ? rest % size : 0;
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  return index.map((i, k) => `${axes[k] ?? `axis ${k}`} ${i}`).join(", ");
}

/**
 * Throws a {@link UsageError} naming the file and the entry (by its axes) of the first NaN or
 * infinite value of `array`.
 *
 * @param file - the file name for the message
 * @param array - the array read from it
 * @param axes - one name per axis, e.g. `["sample", "token", "feature"]`
 * @example
 * ```ts
 * import { validateFiniteEntries } from "@convexformer/io/node";
 * validateFiniteEntries("y.npy", { dtype: "float64", shape: [2], data: new Float64Array([1, 2]) }, ["sample"]);
 * ```
 */
export function validateFiniteEntries(
  file: string,
  array: NpyArray,
  axes: readonly string[],
): void {
  const data = array.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v - v !== 0)
      throw new UsageError(
        `${file}: ${describeEntry(array.shape, axes, i)} is ${v}; entries must be finite numbers`,
      );
  }
}
