import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { gemv } from "./gemv.js";
import type { Transpose } from "./transpose.js";

/** Deterministic filler in [-0.5, 0.5). */
function filler(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647 - 0.5;
  };
}

describe("gemv", () => {
  it("y = α·op(A)·x + β·y on random layouts, strides and offsets", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -2, max: 2 }).filter((s) => s !== 0),
        fc.integer({ min: -2, max: 2 }).filter((s) => s !== 0),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.constantFrom(0, 1, -0.5),
        fc.integer({ min: 1, max: 2 ** 31 - 2 }),
        (M, N, trans, colMajor, pad, sx, sy, alpha, beta, seed) => {
          const rand = filler(seed);
          const ld = (colMajor ? M : N) + pad;
          const s1 = colMajor ? 1 : ld;
          const s2 = colMajor ? ld : 1;
          const A = Float64Array.from({ length: pad + (colMajor ? N : M) * ld + 1 }, rand);
          const xLen = trans ? M : N;
          const yLen = trans ? N : M;
          const vec = (n: number, s: number) => ({
            data: Float64Array.from({ length: pad + n * Math.abs(s) + 1 }, rand),
            off: pad + (s < 0 ? (n - 1) * -s : 0),
          });
          const x = vec(xLen, sx);
          const y = vec(yLen, sy);
          const expected = y.data.slice();
          for (let r = 0; r < yLen; r++) {
            let s = 0;
            for (let c = 0; c < xLen; c++) {
              const a = trans ? A[pad + c * s1 + r * s2]! : A[pad + r * s1 + c * s2]!;
              s += a * x.data[x.off + c * sx]!;
            }
            const iy = y.off + r * sy;
            expected[iy] = alpha * s + (beta === 0 ? 0 : beta * expected[iy]!);
          }
          gemv(
            trans ? "transpose" : "no-transpose",
            M,
            N,
            alpha,
            A,
            s1,
            s2,
            pad,
            x.data,
            sx,
            x.off,
            beta,
            y.data,
            sy,
            y.off,
          );
          let worst = 0;
          for (let i = 0; i < expected.length; i++)
            worst = Math.max(worst, Math.abs(y.data[i]! - expected[i]!));
          expect(worst).toBeLessThanOrEqual(1e-13 * (1 + xLen));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("β = 0 overwrites NaN in y", () => {
    const y = new Float64Array([Number.NaN]);
    gemv(
      "no-transpose",
      1,
      1,
      2,
      new Float64Array([3]),
      1,
      1,
      0,
      new Float64Array([4]),
      1,
      0,
      0,
      y,
      1,
      0,
    );
    expect(y[0]).toBe(24);
  });

  it("rejects bad views and flags, naming the argument", () => {
    const A = new Float64Array(6);
    expect(() =>
      gemv(
        "no-transpose",
        2,
        3,
        1,
        A,
        3,
        1,
        0,
        new Float64Array(2),
        1,
        0,
        0,
        new Float64Array(2),
        1,
        0,
      ),
    ).toThrow(/^x:/);
    expect(() =>
      gemv(
        "transpose",
        2,
        3,
        1,
        A,
        3,
        1,
        0,
        new Float64Array(2),
        1,
        0,
        0,
        new Float64Array(2),
        1,
        0,
      ),
    ).toThrow(ShapeMismatchError);
    const bad = "T" as Transpose;
    expect(() =>
      gemv(bad, 2, 3, 1, A, 3, 1, 0, new Float64Array(3), 1, 0, 0, new Float64Array(2), 1, 0),
    ).toThrow(InvalidOptionError);
  });
});
