import { describe, expect, it } from "vitest";
import {
  ConvexformerError,
  CorruptFileError,
  InvalidOptionError,
  NonFiniteInputError,
  ShapeMismatchError,
  UnsupportedFormatError,
} from "./errors.js";
import {
  validateFinite,
  validateInteger,
  validateKnownOptions,
  validateLength,
  validatePositive,
} from "./validate.js";

function caught(fn: () => void): ConvexformerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvexformerError);
    return e as ConvexformerError;
  }
  throw new Error("expected a throw");
}

describe("validators", () => {
  it("validateFinite names the argument and the first bad index", () => {
    validateFinite("y", new Float64Array([1, -2, 0]));
    const e = caught(() => validateFinite("y", [1, 2, Number.NaN, Number.POSITIVE_INFINITY]));
    expect(e).toBeInstanceOf(NonFiniteInputError);
    expect(e.code).toBe("non-finite-input");
    expect(e.argument).toBe("y");
    expect((e as NonFiniteInputError).index).toBe(2);
    expect(e.message).toBe("y: entry 2 is NaN; inputs must be finite");
    expect(
      caught(() => validateFinite("x", new Float32Array([Number.NEGATIVE_INFINITY]))).message,
    ).toMatch(/-Infinity/);
  });

  it("validateInteger, validatePositive, validateLength", () => {
    validateInteger("n", 0);
    validateInteger("n", 5, 5);
    expect(caught(() => validateInteger("n", 4, 5)).message).toBe("n = 4: must be an integer >= 5");
    expect(caught(() => validateInteger("n", 2.5)).code).toBe("invalid-option");
    validatePositive("lambda", 1e-300);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(caught(() => validatePositive("lambda", bad))).toBeInstanceOf(InvalidOptionError);
    }
    validateLength("y", 3, 3);
    const e = caught(() => validateLength("y", 2, 3));
    expect(e).toBeInstanceOf(ShapeMismatchError);
    expect(e.message).toBe("y: expected length 3, got 2");
  });

  it("validateKnownOptions rejects misspelled options with the known list", () => {
    validateKnownOptions("options", undefined, ["a"]);
    validateKnownOptions("options", { a: 1 }, ["a", "b"]);
    const e = caught(() => validateKnownOptions("options", { tolerence: 1 }, ["tolerance"]));
    expect(e.argument).toBe("options.tolerence");
    expect(e.message).toMatch(/known options: tolerance/);
    expect(
      caught(() => validateKnownOptions("options", 3 as unknown as object, ["a"])).argument,
    ).toBe("options");
  });
});

describe("error classes", () => {
  it("carry stable codes, names and arguments", () => {
    const cases: [ConvexformerError, string, string][] = [
      [new ShapeMismatchError("b", "x"), "shape-mismatch", "ShapeMismatchError"],
      [new NonFiniteInputError("X", 1, Number.NaN), "non-finite-input", "NonFiniteInputError"],
      [new InvalidOptionError("lambda", -1, "must be > 0"), "invalid-option", "InvalidOptionError"],
      [new UnsupportedFormatError("f.npy", "x"), "unsupported-format", "UnsupportedFormatError"],
      [new CorruptFileError("f.npy", "x"), "corrupt-file", "CorruptFileError"],
      [
        new ConvexformerError("backend-unavailable", "m", "tfjs"),
        "backend-unavailable",
        "ConvexformerError",
      ],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(error.argument).toBeDefined();
    }
    expect(new InvalidOptionError("o", { a: "x".repeat(200) }, "r").message.length).toBeLessThan(
      100,
    );
    expect(new InvalidOptionError("o", "s", "r").message).toBe('o = "s": r');
  });
});
