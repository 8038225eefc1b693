import { InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";

/**
 * Euclidean projection onto the unit simplex `{a ≥ 0, Σ a = 1}`, applied in place to every
 * consecutive row of length `rowLength` of `values` (sort-based algorithm of Held, Wolfe and
 * Crowder / Duchi et al., `O(n log n)` per row, float64). This is the projection the
 * `"projection"` simplex parameterization applies after each optimizer step.
 *
 * @param values - rows stored back to back; overwritten with their projections
 * @param rowLength - length of one row (default: the whole array is one row)
 * @returns `values`
 * @throws `ShapeMismatchError` when `values.length` is not a multiple of `rowLength`
 *
 * @example
 * ```ts
 * import { projectOntoSimplex } from "@convexformer/baselines";
 * projectOntoSimplex(new Float64Array([0.5, 1.5, -1])); // [0, 1, 0]
 * ```
 */
export function projectOntoSimplex(values: Float64Array, rowLength = values.length): Float64Array {
  if (!Number.isSafeInteger(rowLength) || rowLength < 1) {
    throw new InvalidOptionError("rowLength", rowLength, "must be an integer >= 1");
  }
  if (values.length % rowLength !== 0) {
    throw new ShapeMismatchError(
      "values",
      `length ${values.length} is not a multiple of rowLength ${rowLength}`,
    );
  }
  const sorted = new Float64Array(rowLength);
  for (let start = 0; start < values.length; start += rowLength) {
    for (let k = 0; k < rowLength; k++) sorted[k] = values[start + k] as number;
    sorted.sort();
    // descending scan for the largest k with u_k - (Σ_{i≤k} u_i - 1)/k > 0
    let cumulative = 0;
    let theta = 0;
    for (let k = 1; k <= rowLength; k++) {
      const u = sorted[rowLength - k] as number;
      cumulative += u;
      const t = (cumulative - 1) / k;
      if (u - t > 0) theta = t;
    }
    for (let k = 0; k < rowLength; k++) {
      const v = (values[start + k] as number) - theta;
      values[start + k] = Math.max(v, 0);
    }
  }
  return values;
}
