import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { dot } from "./dot.js";

const strided = (N: number) =>
  fc
    .record({
      stride: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      pad: fc.integer({ min: 0, max: 3 }),
      values: fc.array(fc.integer({ min: -1000, max: 1000 }), {
        minLength: 3 * N + 7,
        maxLength: 3 * N + 7,
      }),
    })
    .map(({ stride, pad, values }) => ({
      data: Float64Array.from(values),
      stride,
      offset: pad + (stride < 0 ? (N - 1) * -stride : 0),
    }));

describe("dot", () => {
  it("equals Σ xᵢyᵢ exactly on integer data and random strided views", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 40 })
          .chain((N) => fc.tuple(fc.constant(N), strided(N), strided(N))),
        ([N, x, y]) => {
          let expected = 0;
          for (let i = 0; i < N; i++) {
            expected += x.data[x.offset + i * x.stride]! * y.data[y.offset + i * y.stride]!;
          }
          expect(dot(N, x.data, x.stride, x.offset, y.data, y.stride, y.offset)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is symmetric, and ⟨x, x⟩ ≥ 0", () => {
    const x = new Float64Array([1.5, -2, 0.25]);
    const y = new Float64Array([4, 1, -8]);
    expect(dot(3, x, 1, 0, y, 1, 0)).toBe(dot(3, y, 1, 0, x, 1, 0));
    expect(dot(3, x, 1, 0, y, 1, 0)).toBe(2);
    expect(dot(3, x, 1, 0, x, 1, 0)).toBe(6.3125);
    expect(dot(0, x, 1, 0, y, 1, 0)).toBe(0);
  });

  it("rejects views past the end, naming the argument", () => {
    expect(() => dot(2, new Float64Array(2), 1, 1, new Float64Array(2), 1, 0)).toThrow(
      ShapeMismatchError,
    );
    expect(() => dot(2, new Float64Array(2), 1, 0, new Float64Array(2), -1, 0)).toThrow(/^y:/);
  });
});
