import fc from "fast-check";
import {
  CholeskyDecomposition,
  MatrixSubView,
  MatrixTransposeView,
  Matrix as MlMatrix,
} from "ml-matrix";
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../errors.js";
import { matmul } from "../matmul.js";
import { Matrix } from "../matrix.js";
import { fromMlMatrix, toMlMatrix } from "./ml-matrix.js";

describe("ml-matrix interop", () => {
  it("round-trips any shape exactly and shares no memory", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 36, maxLength: 36 }),
        (rows, cols, values) => {
          const m = new Matrix(rows, cols, Float64Array.from(values.slice(0, rows * cols)));
          const ml = toMlMatrix(m);
          expect([ml.rows, ml.columns]).toEqual([rows, cols]);
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) expect(Object.is(ml.get(i, j), m.get(i, j))).toBe(true);
          }
          const back = fromMlMatrix(ml);
          expect(Array.from(back.data)).toEqual(Array.from(m.data));
          if (rows * cols > 0) {
            ml.set(0, 0, 12345);
            expect(m.get(0, 0)).not.toBe(12345);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads ml-matrix views (transpose, sub-matrix)", () => {
    const ml = new MlMatrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(fromMlMatrix(new MatrixTransposeView(ml)).toRows()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(fromMlMatrix(new MatrixSubView(ml, 0, 1, 1, 2)).toRows()).toEqual([
      [2, 3],
      [5, 6],
    ]);
  });

  it("a Cholesky factor from ml-matrix reproduces the matrix through our matmul", () => {
    const a = Matrix.fromRows([
      [4, 2, 0.4],
      [2, 3, 0.5],
      [0.4, 0.5, 2],
    ]);
    const L = fromMlMatrix(new CholeskyDecomposition(toMlMatrix(a)).lowerTriangularMatrix);
    const llt = matmul(L, L, { transB: true });
    for (let i = 0; i < 9; i++) expect(Math.abs(llt.data[i]! - a.data[i]!)).toBeLessThan(1e-14);
  });

  it("rejects non-matrices, naming the argument", () => {
    // @ts-expect-error: not a Matrix
    expect(() => toMlMatrix([[1]])).toThrow(InvalidOptionError);
    // @ts-expect-error: not an ml-matrix matrix
    expect(() => fromMlMatrix(Matrix.identity(2))).toThrow(/^m = /);
  });
});
