import { InvalidArgumentError } from "commander";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\+?\d+$/;

/**
 * A commander parser for a number option written in decimal notation (`0.5`, `1e-6`; not
 * `0x10`, `Infinity` or an empty string) within bounds: `min` / `max` are exclusive unless
 * `minInclusive` / `maxInclusive`. The error names the option and the value as given.
 *
 * @param name - the option, e.g. `"--tolerance"`
 * @param bounds - the accepted range
 * @example
 * ```ts
 * import { decimalOption } from "./numeric-options.js"; // internal module
 * const tolerance = decimalOption("--tolerance", { min: 0, max: 1 });
 * tolerance("1e-6"); // 0.000001
 * ```
 */
export function decimalOption(
  name: string,
  bounds: {
    readonly min?: number;
    readonly max?: number;
    readonly minInclusive?: boolean;
    readonly maxInclusive?: boolean;
  } = {},
): (value: string) => number {
  const { min, max, minInclusive = false, maxInclusive = false } = bounds;
  const range = `${min === undefined ? "" : `${minInclusive ? ">=" : ">"} ${min}`}${min !== undefined && max !== undefined ? " and " : ""}${max === undefined ? "" : `${maxInclusive ? "<=" : "<"} ${max}`}`;
  return (value: string): number => {
    if (!DECIMAL.test(value))
      throw new InvalidArgumentError(
        `${name} must be a decimal number${range === "" ? "" : ` ${range}`}; got "${value}".`,
      );
    const v = Number(value);
    if (
      !Number.isFinite(v) ||
      (min !== undefined && (minInclusive ? v < min : v <= min)) ||
      (max !== undefined && (maxInclusive ? v > max : v >= max))
    )
      throw new InvalidArgumentError(`${name} must be a finite number ${range}; got "${value}".`);
    return v;
  };
}

/**
 * A commander parser for a whole-number option in decimal digits, `>= min` (default 1).
 *
 * @param name - the option, e.g. `"--max-iterations"`
 * @param min - the smallest value accepted
 * @example
 * ```ts
 * import { integerOption } from "./numeric-options.js"; // internal module
 * integerOption("--max-iterations")("250"); // 250
 * ```
 */
export function integerOption(name: string, min = 1): (value: string) => number {
  return (value: string): number => {
    const v = Number(value);
    if (!INTEGER.test(value) || !Number.isSafeInteger(v) || v < min)
      throw new InvalidArgumentError(
        `${name} must be a whole number >= ${min} in decimal digits; got "${value}".`,
      );
    return v;
  };
}

/**
 * A commander parser for an option that takes one of a fixed set of words; anything else is
 * rejected with a message naming the option and the allowed values (exit 2).
 *
 * @param option - the option as the user types it (`--attention`)
 * @param values - the allowed values
 * @example
 * ```ts
 * import { choiceOption } from "./numeric-options.js"; // internal module
 * choiceOption("--attention", ["softmax", "simplex"] as const)("simplex"); // "simplex"
 * ```
 */
export function choiceOption<T extends string>(
  option: string,
  values: readonly T[],
): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(
        `${option} must be one of ${values.join(", ")}; got "${value}".`,
      );
    return value as T;
  };
}
