import * as tensors from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import * as attention from "./index.js";

describe("@convexformer/attention public API", () => {
  it("re-exports the error classes a user catches, identical to the tensors ones", () => {
    const pairs = [
      [attention.ConvexformerError, tensors.ConvexformerError],
      [attention.CorruptFileError, tensors.CorruptFileError],
      [attention.InvalidOptionError, tensors.InvalidOptionError],
      [attention.NonFiniteInputError, tensors.NonFiniteInputError],
      [attention.ShapeMismatchError, tensors.ShapeMismatchError],
      [attention.UnsupportedFormatError, tensors.UnsupportedFormatError],
    ] as const;
    for (const [reexported, original] of pairs) expect(reexported).toBe(original);
    let caught: unknown;
    try {
      attention.lossFromTargets(new Float64Array(3), { rows: 2 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(attention.ShapeMismatchError);
  });
});
