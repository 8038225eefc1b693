import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "./errors.js";
import { matmul } from "./matmul.js";
import { Matrix } from "./matrix.js";

function naive(a: Matrix, b: Matrix): Matrix {
  const c = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let p = 0; p < a.cols; p++) s += a.get(i, p) * b.get(p, j);
      c.set(i, j, s);
    }
  }
  return c;
}

const matrix = (rows: number, cols: number) =>
  fc
    .array(fc.integer({ min: -9, max: 9 }), { minLength: rows * cols, maxLength: rows * cols })
    .map((v) => new Matrix(rows, cols, Float64Array.from(v)));

describe("matmul", () => {
  it("equals the definition exactly on small integers, for all transposes, with α, β, out", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(
            fc.integer({ min: 0, max: 12 }),
            fc.integer({ min: 0, max: 12 }),
            fc.integer({ min: 0, max: 12 }),
          )
          .chain(([M, N, K]) => fc.tuple(matrix(M, K), matrix(K, N), matrix(M, N))),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        ([a, b, c0], transA, transB, withOut) => {
          const expected = naive(a, b);
          for (let i = 0; i < expected.data.length; i++) {
            expected.data[i] = 2 * expected.data[i]! + (withOut ? -3 * c0.data[i]! : 0);
          }
          const out = c0.clone();
          const got = matmul(transA ? a.transpose() : a, transB ? b.transpose() : b, {
            transA,
            transB,
            alpha: 2,
            beta: -3,
            ...(withOut ? { out } : {}),
          });
          if (withOut) expect(got).toBe(out);
          expect([got.rows, got.cols]).toEqual([expected.rows, expected.cols]);
          // exact (integers); == so that −0 (β·0 with K = 0) equals 0
          expect(got.data.every((v, i) => v === expected.data[i])).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rejects mismatched shapes and unknown options, naming the argument", () => {
    expect(() => matmul(new Matrix(2, 3), new Matrix(2, 3))).toThrow(ShapeMismatchError);
    expect(() => matmul(new Matrix(2, 3), new Matrix(2, 3))).toThrow(/^b:/);
    expect(() => matmul(new Matrix(2, 3), new Matrix(3, 2), { out: new Matrix(2, 3) })).toThrow(
      /^out:/,
    );
    // @ts-expect-error: unknown option
    expect(() => matmul(new Matrix(1, 1), new Matrix(1, 1), { transC: true })).toThrow(
      InvalidOptionError,
    );
  });
});
