import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { scal } from "./scal.js";

describe("scal", () => {
  it("x ← αx on the view only, on random strided views", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (N, stride, pad, alpha, seed) => {
          const data = Float64Array.from({ length: 3 * N + 7 }, (_, i) => ((i * seed) % 17) - 8);
          const offset = pad + (stride < 0 ? (N - 1) * -stride : 0);
          const expected = data.slice();
          for (let i = 0; i < N; i++)
            expected[offset + i * stride] = alpha * expected[offset + i * stride]!;
          scal(N, alpha, data, stride, offset);
          // α = 0 writes +0 / −0 products as exact zeros: compare with ==
          let same = true;
          for (let i = 0; i < data.length; i++) same &&= data[i] === expected[i];
          expect(same).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("α = 0 clears NaN and infinities, as in BLAS", () => {
    const x = new Float64Array([Number.NaN, Number.POSITIVE_INFINITY, 3]);
    scal(3, 0, x, 1, 0);
    expect(Array.from(x)).toEqual([0, 0, 0]);
  });

  it("rejects a view past the end", () => {
    expect(() => scal(4, 2, new Float64Array(3), 1, 0)).toThrow(ShapeMismatchError);
    expect(() => scal(2, 2, new Float64Array(3), 1, 0.5)).toThrow(/^x = /);
  });
});
