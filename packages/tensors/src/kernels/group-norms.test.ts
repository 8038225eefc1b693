import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { groupNorms, rowNorms } from "./group-norms.js";

describe("groupNorms", () => {
  it("out_g = ‖x_g‖₂ for random group sizes (empty groups too), strides and offsets", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: -2, max: 2 }).filter((s) => s !== 0),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
          minLength: 300,
          maxLength: 300,
        }),
        (sizes, start, strideX, strideOut, padOut, values) => {
          const G = sizes.length;
          const ptr = new Int32Array(G + 1);
          ptr[0] = start;
          for (let g = 0; g < G; g++) ptr[g + 1] = ptr[g]! + sizes[g]!;
          const x = Float64Array.from(values);
          const offX = 1;
          const out = new Float64Array(padOut + 2 * G + 1).fill(-7);
          const offOut = padOut + (strideOut < 0 ? (G - 1) * -strideOut : 0);
          const expected = out.slice();
          for (let g = 0; g < G; g++) {
            let s = 0;
            for (let i = ptr[g]!; i < ptr[g + 1]!; i++) s += x[offX + i * strideX]! ** 2;
            expected[offOut + g * strideOut] = Math.sqrt(s);
          }
          groupNorms(G, ptr, x, strideX, offX, out, strideOut, offOut);
          let worst = 0;
          for (let i = 0; i < out.length; i++)
            worst = Math.max(worst, Math.abs(out[i]! - expected[i]!));
          expect(worst).toBeLessThanOrEqual(1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("accepts plain number arrays as pointers", () => {
    const out = new Float64Array(2);
    groupNorms(2, [0, 2, 4], new Float64Array([3, 4, 0, 5]), 1, 0, out, 1, 0);
    expect(Array.from(out)).toEqual([5, 5]);
  });

  it("rejects bad pointers and short arrays", () => {
    const x = new Float64Array(4);
    const out = new Float64Array(2);
    expect(() => groupNorms(2, [0, 2], x, 1, 0, out, 1, 0)).toThrow(InvalidOptionError);
    expect(() => groupNorms(2, [0, 3, 2], x, 1, 0, out, 1, 0)).toThrow(/nondecreasing/);
    expect(() => groupNorms(2, [-1, 0, 2], x, 1, 0, out, 1, 0)).toThrow(/>= 0/);
    expect(() => groupNorms(2, [0, 2, 5], x, 1, 0, out, 1, 0)).toThrow(ShapeMismatchError);
    expect(() => groupNorms(2, [0, 2, 4], x, 1, 0, new Float64Array(1), 1, 0)).toThrow(/^out:/);
  });
});

describe("rowNorms", () => {
  it("equals groupNorms with equal groups of size cols", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 70, maxLength: 70 }),
        (rows, cols, off, values) => {
          const x = Float64Array.from(values);
          const a = new Float64Array(rows);
          const b = new Float64Array(rows);
          rowNorms(rows, cols, x, off, a, 1, 0);
          groupNorms(
            rows,
            Int32Array.from({ length: rows + 1 }, (_, g) => g * cols),
            x,
            1,
            off,
            b,
            1,
            0,
          );
          expect(Array.from(a)).toEqual(Array.from(b));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects a matrix past the end", () => {
    expect(() => rowNorms(2, 3, new Float64Array(5), 0, new Float64Array(2), 1, 0)).toThrow(/^x:/);
  });
});
