import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { amax, argmax, asum, sum } from "./reductions.js";

const view = fc
  .record({
    N: fc.integer({ min: 0, max: 40 }),
    stride: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
    pad: fc.integer({ min: 0, max: 3 }),
    values: fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 130, maxLength: 130 }),
  })
  .map(({ N, stride, pad, values }) => {
    const data = Float64Array.from(values);
    const offset = pad + (stride < 0 ? (N - 1) * -stride : 0);
    const picked = Array.from({ length: N }, (_, i) => data[offset + i * stride]!);
    return { N, stride, offset, data, picked };
  });

describe("reductions on random strided views (integer data: exact)", () => {
  it("sum, asum, amax, argmax match their definitions", () => {
    fc.assert(
      fc.property(view, ({ N, stride, offset, data, picked }) => {
        expect(sum(N, data, stride, offset)).toBe(picked.reduce((a, b) => a + b, 0));
        expect(asum(N, data, stride, offset)).toBe(picked.reduce((a, b) => a + Math.abs(b), 0));
        expect(amax(N, data, stride, offset)).toBe(
          picked.reduce((a, b) => Math.max(a, Math.abs(b)), 0),
        );
        const best = N === 0 ? -1 : picked.indexOf(Math.max(...picked));
        expect(argmax(N, data, stride, offset)).toBe(best);
      }),
      { numRuns: 300 },
    );
  });
});

describe("sum", () => {
  it("is compensated: exact where naive summation loses everything", () => {
    expect(sum(3, new Float64Array([1e16, 1, -1e16]), 1, 0)).toBe(1);
    const x = new Float64Array(1001).fill(0.1);
    x[0] = 1e8;
    // exact sum 100000100.0000000000000055…, correctly rounded; a naive loop gives 100000099.99999404
    expect(sum(1001, x, 1, 0)).toBe(100000100);
    let naive = 0;
    for (const v of x) naive += v;
    expect(naive).not.toBe(100000100);
  });
});

describe("amax and argmax edge cases", () => {
  it("amax propagates NaN; argmax skips NaN and returns the first maximum", () => {
    expect(amax(3, new Float64Array([1, Number.NaN, 5]), 1, 0)).toBeNaN();
    expect(argmax(4, new Float64Array([Number.NaN, 2, 7, 7]), 1, 0)).toBe(2);
    expect(
      argmax(2, new Float64Array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]), 1, 0),
    ).toBe(0);
    expect(argmax(0, new Float64Array(0), 1, 0)).toBe(-1);
  });

  it("reject views past the end", () => {
    for (const f of [sum, asum, amax, argmax]) {
      expect(() => f(3, new Float64Array(2), 1, 0)).toThrow(ShapeMismatchError);
    }
  });
});
