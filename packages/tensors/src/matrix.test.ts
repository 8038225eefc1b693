import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "./errors.js";
import { Matrix } from "./matrix.js";

describe("Matrix", () => {
  it("is row-major: data[i·cols + j] is entry (i, j)", () => {
    const m = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.get(1, 0)).toBe(4);
    m.set(0, 2, 9);
    expect(m.data[2]).toBe(9);
  });

  it("row() and rowBlock() are zero-copy views", () => {
    const m = Matrix.fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const r = m.row(1);
    expect(Array.from(r)).toEqual([3, 4]);
    r[0] = 30;
    expect(m.get(1, 0)).toBe(30);
    const block = m.rowBlock(1, 3);
    expect([block.rows, block.cols]).toEqual([2, 2]);
    block.set(1, 1, 60);
    expect(m.get(2, 1)).toBe(60);
    expect(block.data.buffer).toBe(m.data.buffer);
    expect(m.rowBlock(2, 2).rows).toBe(0);
  });

  it("clone(), transpose() and toRows() copy", () => {
    const m = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const c = m.clone();
    c.set(0, 0, 100);
    expect(m.get(0, 0)).toBe(1);
    const t = m.transpose();
    expect(t.toRows()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.transpose().toRows()).toEqual(m.toRows());
    const rows = m.toRows();
    rows[0]![0] = -1;
    expect(m.get(0, 0)).toBe(1);
  });

  it("zeros, identity, empty shapes", () => {
    expect(Matrix.zeros(2, 3).data).toEqual(new Float64Array(6));
    expect(Matrix.identity(3).toRows()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(Matrix.fromRows([]).rows).toBe(0);
    expect(new Matrix(0, 5).data.length).toBe(0);
  });

  it("wraps the given storage without copying", () => {
    const data = new Float64Array(4);
    const m = new Matrix(2, 2, data);
    expect(m.data).toBe(data);
  });

  it("throws typed errors naming the argument", () => {
    expect(() => new Matrix(2, 2, new Float64Array(3))).toThrow(ShapeMismatchError);
    try {
      new Matrix(2, 2, new Float64Array(3));
    } catch (e) {
      expect((e as ShapeMismatchError).argument).toBe("data");
      expect((e as ShapeMismatchError).code).toBe("shape-mismatch");
    }
    expect(() => new Matrix(-1, 2)).toThrow(InvalidOptionError);
    expect(() => new Matrix(1.5, 2)).toThrow(/^rows = 1.5/);
    expect(() => Matrix.fromRows([[1, 2], [3]])).toThrow(/^rows\[1\]:/);
    expect(() => Matrix.zeros(2, 2).row(2)).toThrow(ShapeMismatchError);
    expect(() => Matrix.zeros(2, 2).row(-1)).toThrow(/^i:/);
    expect(() => Matrix.zeros(2, 2).rowBlock(1, 3)).toThrow(/^rowBlock:/);
    expect(() => Matrix.zeros(2, 2).rowBlock(2, 1)).toThrow(ShapeMismatchError);
  });
});
