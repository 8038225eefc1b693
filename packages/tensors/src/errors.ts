/**
 * Stable machine-readable error codes used by every Convexformer package.
 *
 * - `shape-mismatch`: array sizes or dimensions disagree.
 * - `non-finite-input`: an input holds `NaN` or `±Infinity`.
 * - `invalid-option`: an option or scalar argument is out of its domain (λ ≤ 0, unknown name, …).
 * - `unsupported-format`: a file is valid but uses a feature we do not read (Fortran order, …).
 * - `corrupt-file`: a file is malformed, truncated, or promises more data than it holds.
 * - `backend-unavailable`: an optional compute backend (tfjs) could not be loaded.
 * - `usage`: a bad command line or input file (the CLI prints the message and exits 2).
 * - `interrupted`: set-up work stopped by a signal or a time limit before there was a result.
 *
 * @example
 * ```ts
 * import { type ErrorCode, InvalidOptionError } from "@convexformer/tensors";
 * const code: ErrorCode = new InvalidOptionError("tolerance", 0, "must be > 0").code;
 * code; // "invalid-option"
 * ```
 */
export type ErrorCode =
  | "shape-mismatch"
  | "non-finite-input"
  | "invalid-option"
  | "unsupported-format"
  | "corrupt-file"
  | "backend-unavailable"
  | "usage"
  | "interrupted";

/**
 * Base class of every error thrown by Convexformer packages. `code` is stable across
 * releases; `argument` names the offending argument (or file) when there is one.
 *
 * @example
 * ```ts
 * import { ConvexformerError, Matrix } from "@convexformer/tensors";
 * try {
 *   new Matrix(2, 2, new Float64Array(3));
 * } catch (e) {
 *   if (!(e instanceof ConvexformerError)) throw e;
 *   e.code; // "shape-mismatch"
 *   e.argument; // "data"
 * }
 * ```
 */
export class ConvexformerError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** The name of the offending argument, option or file, when there is one. */
  readonly argument: string | undefined;

  /**
   * @param code - the stable error code
   * @param message - a human-readable message naming the argument and its value
   * @param argument - the offending argument's name
   */
  constructor(code: ErrorCode, message: string, argument?: string) {
    super(message);
    this.name = "ConvexformerError";
    this.code = code;
    this.argument = argument;
  }
}

/**
 * Thrown when array sizes or dimensions disagree.
 *
 * @example
 * ```ts
 * import { Matrix, matmul, ShapeMismatchError } from "@convexformer/tensors";
 * const error = new ShapeMismatchError("b", "expected 3 rows, got 4");
 * error.message; // "b: expected 3 rows, got 4"
 * error.code; // "shape-mismatch"
 * matmul(Matrix.zeros(2, 3), Matrix.zeros(4, 2)); // throws ShapeMismatchError
 * ```
 */
export class ShapeMismatchError extends ConvexformerError {
  /**
   * @param argument - the offending argument
   * @param detail - what was expected and what was found
   */
  constructor(argument: string, detail: string) {
    super("shape-mismatch", `${argument}: ${detail}`, argument);
    this.name = "ShapeMismatchError";
  }
}

/**
 * Thrown when an input holds `NaN` or `±Infinity`.
 *
 * @example
 * ```ts
 * import { validateFinite, NonFiniteInputError } from "@convexformer/tensors";
 * const error = new NonFiniteInputError("X", 17, Number.NaN);
 * error.message; // "X: entry 17 is NaN; inputs must be finite"
 * error.index; // 17
 * validateFinite("y", new Float64Array([1, Number.POSITIVE_INFINITY])); // throws NonFiniteInputError
 * ```
 */
export class NonFiniteInputError extends ConvexformerError {
  /** Flat index of the first non-finite entry. */
  readonly index: number;

  /**
   * @param argument - the offending argument
   * @param index - the flat index of the first non-finite entry
   * @param value - the value found there
   */
  constructor(argument: string, index: number, value: number) {
    super(
      "non-finite-input",
      `${argument}: entry ${index} is ${value}; inputs must be finite`,
      argument,
    );
    this.name = "NonFiniteInputError";
    this.index = index;
  }
}

/**
 * Thrown when an option or scalar argument is outside its domain.
 *
 * @example
 * ```ts
 * import { validatePositive, InvalidOptionError } from "@convexformer/tensors";
 * const error = new InvalidOptionError("lambda", -1, "must be > 0");
 * error.message; // "lambda = -1: must be > 0"
 * error.code; // "invalid-option"
 * validatePositive("options.lambda", 0); // throws InvalidOptionError
 * ```
 */
export class InvalidOptionError extends ConvexformerError {
  /**
   * @param argument - the offending option
   * @param value - the value given
   * @param requirement - what the value must satisfy
   */
  constructor(argument: string, value: unknown, requirement: string) {
    super("invalid-option", `${argument} = ${formatValue(value)}: ${requirement}`, argument);
    this.name = "InvalidOptionError";
  }
}

/**
 * Thrown when a file is well formed but uses a feature that is not supported.
 *
 * @example
 * ```ts
 * import { UnsupportedFormatError } from "@convexformer/tensors";
 * const error = new UnsupportedFormatError("X.npy", "Fortran order is not supported");
 * error.message; // "X.npy: Fortran order is not supported"
 * error.code; // "unsupported-format"
 * ```
 */
export class UnsupportedFormatError extends ConvexformerError {
  /**
   * @param argument - the file or argument
   * @param detail - what is not supported
   */
  constructor(argument: string, detail: string) {
    super("unsupported-format", `${argument}: ${detail}`, argument);
    this.name = "UnsupportedFormatError";
  }
}

/**
 * Thrown when a file is malformed or truncated (checked before any large allocation).
 *
 * @example
 * ```ts
 * import { CorruptFileError, readNpy } from "@convexformer/tensors";
 * const error = new CorruptFileError("X.npy", "header promises 800 bytes, file holds 640");
 * error.message; // "X.npy: header promises 800 bytes, file holds 640"
 * error.code; // "corrupt-file"
 * readNpy(new Uint8Array([0x93, 0x4e, 0x55]), "short.npy"); // throws CorruptFileError
 * ```
 */
export class CorruptFileError extends ConvexformerError {
  /**
   * @param argument - the file or argument
   * @param detail - what is wrong
   */
  constructor(argument: string, detail: string) {
    super("corrupt-file", `${argument}: ${detail}`, argument);
    this.name = "CorruptFileError";
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (
    typeof value === "number" ||
    typeof value === "boolean" ||
    value === undefined ||
    value === null
  ) {
    return String(value);
  }
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
