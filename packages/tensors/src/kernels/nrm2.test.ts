import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { nrm2 } from "./nrm2.js";

describe("nrm2", () => {
  it("matches √Σx² to a few ulps on random strided views", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
          minLength: 130,
          maxLength: 130,
        }),
        (N, stride, pad, values) => {
          const data = Float64Array.from(values);
          const offset = pad + (stride < 0 ? (N - 1) * -stride : 0);
          let s = 0;
          for (let i = 0; i < N; i++) s += data[offset + i * stride]! ** 2;
          const expected = Math.sqrt(s);
          expect(Math.abs(nrm2(N, data, stride, offset) - expected)).toBeLessThanOrEqual(
            1e-14 * (1 + expected),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("neither overflows nor underflows (scaled path)", () => {
    expect(nrm2(2, new Float64Array([3e200, 4e200]), 1, 0)).toBeCloseTo(5e200, -186);
    expect(Math.abs(nrm2(2, new Float64Array([3e-200, 4e-200]), 1, 0) / 5e-200 - 1)).toBeLessThan(
      1e-15,
    );
    expect(nrm2(2, new Float64Array([Number.POSITIVE_INFINITY, 1]), 1, 0)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(nrm2(3, new Float64Array([0, 0, 0]), 1, 0)).toBe(0);
    expect(nrm2(0, new Float64Array(0), 1, 0)).toBe(0);
  });

  it("propagates NaN", () => {
    expect(nrm2(2, new Float64Array([Number.NaN, 1]), 1, 0)).toBeNaN();
  });

  it("rejects a view past the end", () => {
    expect(() => nrm2(3, new Float64Array(4), 2, 0)).toThrow(ShapeMismatchError);
  });
});
