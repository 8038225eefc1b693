import {
  InvalidOptionError,
  ShapeMismatchError,
  validateFinite,
  validateInteger,
} from "@convexformer/tensors";
import type { OutputKind, SimplexParameterization } from "../attention-model-config.js";

/** Validation of the models' options and weight fields (internal): `validate*` throw typed errors naming the argument. */

export function validateSimplexParameterization(value: unknown): SimplexParameterization {
  const s = value ?? "softmax";
  if (s !== "softmax" && s !== "projection") {
    throw new InvalidOptionError("simplex", s, 'must be "softmax" or "projection"');
  }
  return s;
}

export function validateHeads(heads: unknown): number {
  validateInteger("heads", heads as number, 1);
  return heads as number;
}

/** Head dimension: explicit, or features / heads (which must divide). */
export function validateHeadDim(features: number, heads: number, headDim: unknown): number {
  if (headDim !== undefined) {
    validateInteger("headDim", headDim as number, 1);
    return headDim as number;
  }
  if (features % heads !== 0) {
    throw new InvalidOptionError(
      "heads",
      heads,
      `features (${features}) must be divisible by heads, or give headDim explicitly`,
    );
  }
  return features / heads;
}

export function validateOutputKind(value: unknown, outputs: number | undefined): OutputKind {
  const kind = value ?? ((outputs ?? 1) === 1 ? "scalar" : "vector");
  if (kind !== "scalar" && kind !== "vector" && kind !== "sequence") {
    throw new InvalidOptionError("output", kind, 'must be "scalar", "vector" or "sequence"');
  }
  return kind;
}

export function validateReadout(value: unknown, tokens: number): number | "mean" {
  const r = value ?? 0;
  if (r === "mean") return r;
  if (!Number.isSafeInteger(r) || (r as number) < 0 || (r as number) >= tokens) {
    throw new InvalidOptionError("readout", r, `must be "mean" or a token index in [0, ${tokens})`);
  }
  return r as number;
}

export function validateDimension(argument: string, actual: unknown, expected: number): void {
  if (actual !== expected)
    throw new ShapeMismatchError(argument, `expected ${expected}, got ${String(actual)}`);
}

/** Throws unless `values` is a Float64Array of `length` finite entries; returns it. */
export function validateFloat64Array(
  argument: string,
  values: Float64Array,
  length: number,
): Float64Array {
  if (!(values instanceof Float64Array))
    throw new InvalidOptionError(argument, typeof values, "must be a Float64Array");
  if (values.length !== length)
    throw new ShapeMismatchError(argument, `expected ${length} entries, got ${values.length}`);
  validateFinite(argument, values);
  return values;
}
