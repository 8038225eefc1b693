import { InvalidOptionError, NonFiniteInputError, ShapeMismatchError } from "./errors.js";

/**
 * Any array of numbers a kernel can read.
 *
 * @example
 * ```ts
 * import { assertFinite, type NumericArray } from "@convexformer/tensors";
 * const values: NumericArray[] = [new Float64Array([1, 2]), new Float32Array([3]), [4, 5]];
 * for (const v of values) assertFinite("values", v); // all finite: nothing is thrown
 * values.length; // 3
 * ```
 */
export type NumericArray = Float64Array | Float32Array | ArrayLike<number>;

/**
 * Throws {@link NonFiniteInputError} naming `argument` if any entry is `NaN` or infinite.
 *
 * @param argument - the argument's name as the caller spells it (`"options.tolerance"`), used in
 *   the error's message and `argument` field
 * @param values - the numbers to check (any array-like of numbers); the error names the index and
 *   value of the first `NaN` or infinite entry
 * @example
 * ```ts
 * import { assertFinite } from "@convexformer/tensors";
 * assertFinite("y", new Float64Array([1, 2, 3])); // ok
 * ```
 */
export function assertFinite(argument: string, values: NumericArray): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // v - v is NaN exactly when v is NaN or infinite
    if (v - v !== 0) throw new NonFiniteInputError(argument, i, v);
  }
}

/**
 * Throws {@link InvalidOptionError} unless `value` is an integer ≥ `min` (default 0).
 *
 * @param argument - the argument's name as the caller spells it (`"options.tolerance"`), used in
 *   the error's message and `argument` field
 * @param value - the number to check: it must be a safe integer (`Number.isSafeInteger`)
 * @param min - the smallest value allowed (default 0)
 * @example
 * ```ts
 * import { assertInteger } from "@convexformer/tensors";
 * assertInteger("rows", 3, 1); // ok
 * ```
 */
export function assertInteger(argument: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(argument, value, `must be an integer >= ${min}`);
  }
}

/**
 * Throws {@link InvalidOptionError} unless `value` is a finite number > 0.
 *
 * @param argument - the argument's name as the caller spells it (`"options.tolerance"`), used in
 *   the error's message and `argument` field
 * @param value - the value to check: it must be a finite number > 0 (a non-number is rejected too)
 * @example
 * ```ts
 * import { assertPositive } from "@convexformer/tensors";
 * assertPositive("lambda", 0.1); // ok
 * ```
 */
export function assertPositive(argument: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(argument, value, "must be a finite number > 0");
  }
}

/**
 * Throws {@link ShapeMismatchError} unless `actual === expected`.
 *
 * @param argument - the argument's name as the caller spells it (`"options.tolerance"`), used in
 *   the error's message and `argument` field
 * @param actual - the length the caller got
 * @param expected - the length required
 * @example
 * ```ts
 * import { assertLength } from "@convexformer/tensors";
 * assertLength("y", 4, 4); // ok
 * ```
 */
export function assertLength(argument: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new ShapeMismatchError(argument, `expected length ${expected}, got ${actual}`);
  }
}

/**
 * Throws {@link InvalidOptionError} when `options` holds a key not in `known`, so that a
 * misspelled option is an error rather than silently ignored.
 *
 * @param argument - the argument's name as the caller spells it (`"options.tolerance"`), used in
 *   the error's message and `argument` field
 * @param options - the options object the caller got; `undefined` passes, a non-object (or `null`)
 *   is `invalid-option`
 * @param known - the option names allowed; the error for an unknown key names `argument.key` and
 *   lists them
 * @example
 * ```ts
 * import { assertKnownOptions } from "@convexformer/tensors";
 * assertKnownOptions("options", { tol: 1e-6 }, ["tol", "maxIterations"]); // ok
 * ```
 */
export function assertKnownOptions(
  argument: string,
  options: object | undefined,
  known: readonly string[],
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError(argument, options, "must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(
        `${argument}.${key}`,
        (options as Record<string, unknown>)[key],
        `unknown option; known options: ${known.join(", ")}`,
      );
    }
  }
}
