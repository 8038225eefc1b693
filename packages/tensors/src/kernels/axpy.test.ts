import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { axpy } from "./axpy.js";

/** A strided view of N values: array, stride, offset (negative strides start at the far end). */
const strided = (N: number) =>
  fc
    .record({
      stride: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      pad: fc.integer({ min: 0, max: 3 }),
      values: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
        minLength: 3 * N + 7,
        maxLength: 3 * N + 7,
      }),
    })
    .map(({ stride, pad, values }) => ({
      data: Float64Array.from(values),
      stride,
      offset: pad + (stride < 0 ? (N - 1) * -stride : 0),
    }));

describe("axpy", () => {
  it("y ← αx + y on random strided views, leaving everything else untouched", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 30 })
          .chain((N) => fc.tuple(fc.constant(N), strided(N), strided(N))),
        fc.double({ min: -4, max: 4, noNaN: true }),
        ([N, x, y], alpha) => {
          const expected = y.data.slice();
          for (let i = 0; i < N; i++) {
            const iy = y.offset + i * y.stride;
            expected[iy] = expected[iy]! + alpha * x.data[x.offset + i * x.stride]!;
          }
          axpy(N, alpha, x.data, x.stride, x.offset, y.data, y.stride, y.offset);
          let worst = 0;
          for (let i = 0; i < expected.length; i++)
            worst = Math.max(worst, Math.abs(y.data[i]! - expected[i]!));
          expect(worst).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects views past the end, naming the argument", () => {
    expect(() => axpy(3, 1, new Float64Array(2), 1, 0, new Float64Array(3), 1, 0)).toThrow(
      ShapeMismatchError,
    );
    expect(() => axpy(3, 1, new Float64Array(3), 1, 0, new Float64Array(3), 2, 0)).toThrow(/^y:/);
    expect(() => axpy(-1, 1, new Float64Array(3), 1, 0, new Float64Array(3), 1, 0)).toThrow(
      /^N = /,
    );
  });
});
