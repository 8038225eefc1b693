import type { SmoothLoss } from "@convexformer/solvers";
import {
  InvalidOptionError,
  ShapeMismatchError,
  TokenBatch,
  validateFinite,
  validateInteger,
} from "@convexformer/tensors";

/** Internal argument validation shared by the models and programs (`validate*`: throw a typed error naming the argument). */

/** Tolerance of the simplex test on attention rows. */
const SIMPLEX_TOLERANCE = 1e-9;

/** Throws unless `values` holds `rows` rows of length `cols`, each nonnegative summing to 1. */
export function validateSimplexRows(
  name: string,
  values: Float64Array,
  rows: number,
  cols: number,
): void {
  validateArray(name, values, rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < cols; k++) {
      const v = values[r * cols + k] as number;
      if (v < 0)
        throw new InvalidOptionError(
          `${name}[${r * cols + k}]`,
          v,
          "attention weights must be >= 0 (rows on the simplex)",
        );
      s += v;
    }
    if (Math.abs(s - 1) > SIMPLEX_TOLERANCE) {
      throw new InvalidOptionError(
        `${name} row ${r}`,
        s,
        "attention rows must sum to 1 (unit simplex)",
      );
    }
  }
}

/** Throws unless `values.length === length` and all entries are finite. */
export function validateArray(name: string, values: Float64Array, length: number): void {
  if (!(values instanceof Float64Array))
    throw new InvalidOptionError(name, typeof values, "must be a Float64Array");
  if (values.length !== length)
    throw new ShapeMismatchError(name, `expected length ${length}, got ${values.length}`);
  validateFinite(name, values);
}

/** Throws unless `X` has the given tokens and features and is finite. */
export function validateBatchShape(X: TokenBatch, tokens: number, features: number): void {
  if (X.tokens !== tokens || X.features !== features) {
    throw new ShapeMismatchError(
      "X",
      `expected samples of ${tokens} tokens × ${features} features, got ${X.tokens} × ${X.features}`,
    );
  }
  validateFinite("X", X.data);
}

/** Throws unless `loss` takes `size` predictions. */
export function validateLossSize(loss: SmoothLoss, size: number): void {
  if (loss.size !== size) {
    throw new ShapeMismatchError(
      "loss",
      `the loss takes ${loss.size} predictions, the model makes ${size}`,
    );
  }
}

/** Throws unless `value` (`β`, `λ`, …) is a finite number ≥ 0, or > 0 when `strict`. */
export function validateNonnegative(name: string, beta: number, strict: boolean): void {
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta < 0 || (strict && beta === 0)) {
    throw new InvalidOptionError(
      name,
      beta,
      strict ? "must be a finite number > 0" : "must be a finite number >= 0",
    );
  }
}

/** Checks the size fields of a weights object. */
export function validateSizes(fields: Record<string, number>): void {
  for (const [k, v] of Object.entries(fields)) validateInteger(k, v, 1);
}

/** Throws unless `X` is a non-empty {@link TokenBatch} (samples, tokens, features all ≥ 1) of finite values. */
export function validateTokenBatch(name: string, X: TokenBatch): void {
  if (!(X instanceof TokenBatch))
    throw new InvalidOptionError(name, typeof X, "must be a TokenBatch");
  if (X.samples < 1 || X.tokens < 1 || X.features < 1) {
    throw new ShapeMismatchError(
      name,
      `is empty (${X.samples} samples × ${X.tokens} tokens × ${X.features} features); all must be >= 1`,
    );
  }
  validateFinite(name, X.data);
}
