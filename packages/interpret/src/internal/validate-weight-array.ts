import { ShapeMismatchError, validateFinite } from "@convexformer/tensors";

/** Checks that `values` is a `Float64Array` of `length` finite entries (internal). */
export function validateWeightArray(
  argument: string,
  values: unknown,
  length: number,
): Float64Array {
  if (!(values instanceof Float64Array) || values.length !== length) {
    throw new ShapeMismatchError(
      argument,
      `expected a Float64Array of length ${length}, got ${values instanceof Float64Array ? `length ${values.length}` : typeof values}`,
    );
  }
  validateFinite(argument, values);
  return values;
}
