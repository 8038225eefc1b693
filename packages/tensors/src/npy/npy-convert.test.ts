import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { TokenBatch } from "../token-batch.js";
import { npyToMatrix, npyToTokenBatch } from "./npy-convert.js";
import { readNpy } from "./read-npy.js";
import { writeNpy } from "./write-npy.js";

describe("npyToMatrix / npyToTokenBatch", () => {
  it("shares float64 data and converts other dtypes", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const m = npyToMatrix({ dtype: "float64", shape: [3, 2], data });
    expect(m).toBeInstanceOf(Matrix);
    expect(m.data).toBe(data);
    expect(m.toRows()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const i = npyToMatrix({ dtype: "int32", shape: [1, 2], data: new Int32Array([-3, 4]) });
    expect(i.toRows()).toEqual([[-3, 4]]);
    const b = npyToMatrix({ dtype: "bool", shape: [2, 1], data: new Uint8Array([1, 0]) });
    expect(b.toRows()).toEqual([[1], [0]]);
    const i64 = npyToMatrix({ dtype: "int64", shape: [1, 1], data: new Float64Array([5]) });
    expect(i64.data).not.toBe(data);
    expect(i64.get(0, 0)).toBe(5);
  });

  it("round-trips a TokenBatch through .npy bytes", () => {
    const X = new TokenBatch(
      2,
      3,
      2,
      Float64Array.from({ length: 12 }, (_, i) => i / 3),
    );
    const Y = npyToTokenBatch(readNpy(writeNpy(X)), "X.npy");
    expect([Y.samples, Y.tokens, Y.features]).toEqual([2, 3, 2]);
    expect(Array.from(Y.data)).toEqual(Array.from(X.data));
    expect(Y.get(1, 2, 1)).toBe(X.get(1, 2, 1));
  });

  it("checks the number of dimensions, naming the array", () => {
    const v = { dtype: "float64" as const, shape: [4], data: new Float64Array(4) };
    expect(() => npyToMatrix(v, "w.npy")).toThrow(ShapeMismatchError);
    expect(() => npyToMatrix(v, "w.npy")).toThrow(/^w.npy: expected a 2-d array, got shape \(4\)/);
    expect(() => npyToTokenBatch({ ...v, shape: [2, 2] }, "X.npy")).toThrow(/3-d/);
  });
});
