import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "./errors.js";
import { Matrix } from "./matrix.js";
import { TokenBatch } from "./token-batch.js";

describe("TokenBatch", () => {
  const make = () =>
    new TokenBatch(
      3,
      2,
      4,
      Float64Array.from({ length: 24 }, (_, i) => i),
    );

  it("is C order: (i, k, q) is data[(i·n + k)·d + q]", () => {
    const X = make();
    expect(X.get(2, 1, 3)).toBe((2 * 2 + 1) * 4 + 3);
    expect(X.get(0, 0, 0)).toBe(0);
  });

  it("sample(i) is a zero-copy n × d matrix", () => {
    const X = make();
    const s = X.sample(1);
    expect([s.rows, s.cols]).toEqual([2, 4]);
    expect(s.toRows()).toEqual([
      [8, 9, 10, 11],
      [12, 13, 14, 15],
    ]);
    s.set(0, 0, -1);
    expect(X.get(1, 0, 0)).toBe(-1);
  });

  it("sampleBlock and flat share storage", () => {
    const X = make();
    const B = X.sampleBlock(1, 3);
    expect([B.samples, B.tokens, B.features]).toEqual([2, 2, 4]);
    expect(B.get(0, 0, 0)).toBe(8);
    const F = X.flat();
    expect([F.rows, F.cols]).toEqual([3, 8]);
    expect(F.data).toBe(X.data);
    // row i of the flat matrix is vec(X_i) (row-major)
    expect(Array.from(F.row(2))).toEqual(Array.from(X.sample(2).data));
  });

  it("fromSamples copies matrices of one shape", () => {
    const a = Matrix.fromRows([[1], [2]]);
    const b = Matrix.fromRows([[3], [4]]);
    const X = TokenBatch.fromSamples([a, b]);
    expect([X.samples, X.tokens, X.features]).toEqual([2, 2, 1]);
    a.set(0, 0, 100);
    expect(X.get(0, 0, 0)).toBe(1);
    expect(Array.from(X.data)).toEqual([1, 2, 3, 4]);
  });

  it("throws typed errors naming the argument", () => {
    expect(() => new TokenBatch(2, 2, 2, new Float64Array(7))).toThrow(/^data:/);
    expect(() => new TokenBatch(2, -2, 2)).toThrow(InvalidOptionError);
    expect(() => TokenBatch.fromSamples([])).toThrow(ShapeMismatchError);
    expect(() => TokenBatch.fromSamples([Matrix.zeros(2, 2), Matrix.zeros(2, 3)])).toThrow(
      /^samples\[1\]:/,
    );
    expect(() => make().sample(3)).toThrow(/^i:/);
    expect(() => make().sampleBlock(2, 4)).toThrow(/^sampleBlock:/);
    expect(TokenBatch.zeros(0, 3, 4).flat().rows).toBe(0);
  });
});
