import * as tensors from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import * as baselines from "./index.js";

describe("@convexformer/baselines public API", () => {
  it("re-exports the error classes a user catches, identical to the tensors ones", () => {
    const pairs = [
      [baselines.ConvexformerError, tensors.ConvexformerError],
      [baselines.CorruptFileError, tensors.CorruptFileError],
      [baselines.InvalidOptionError, tensors.InvalidOptionError],
      [baselines.NonFiniteInputError, tensors.NonFiniteInputError],
      [baselines.ShapeMismatchError, tensors.ShapeMismatchError],
      [baselines.UnsupportedFormatError, tensors.UnsupportedFormatError],
    ] as const;
    for (const [reexported, original] of pairs) expect(reexported).toBe(original);
    expect(() => new baselines.SimplexHeads({ tokens: 0, features: 1, heads: 1 })).toThrow(
      baselines.InvalidOptionError,
    );
  });

  it("exports no weight types or loss names of its own (they are the attention package's)", () => {
    const names = Object.keys(baselines);
    for (const gone of ["LOSS_NAMES", "assertLossName", "linearMap"])
      expect(names).not.toContain(gone);
  });
});
