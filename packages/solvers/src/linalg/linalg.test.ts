import { createRng, gemm } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskySolve } from "./cholesky.js";
import { gram } from "./gram.js";

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  return createRng(seed).fillNormal(new Float64Array(rows * cols));
}

function naiveGram(
  a: Float64Array,
  rows: number,
  cols: number,
  side: "columns" | "rows",
): Float64Array {
  const m = side === "columns" ? cols : rows;
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      if (side === "columns")
        for (let r = 0; r < rows; r++) s += a[r * cols + i]! * a[r * cols + j]!;
      else for (let c = 0; c < cols; c++) s += a[i * cols + c]! * a[j * cols + c]!;
      out[i * m + j] = s;
    }
  }
  return out;
}

describe("gram", () => {
  it("matches the naive product on both sides, with blocks that do not divide the size", () => {
    for (const [rows, cols] of [
      [7, 5],
      [150, 300],
      [301, 140],
    ] as const) {
      const a = randomMatrix(rows, cols, rows * 1000 + cols);
      for (const side of ["columns", "rows"] as const) {
        const got = gram(a, rows, cols, side);
        const want = naiveGram(a, rows, cols, side);
        for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 9);
      }
    }
  });

  it("accumulates with alpha and beta", () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const out = new Float64Array([1, 0, 0, 1]);
    gram(a, 2, 2, "columns", 2, 3, out);
    expect(Array.from(out)).toEqual([23, 28, 28, 43]);
  });
});

describe("cholesky", () => {
  it("factors the 2×2 example exactly", () => {
    const a = new Float64Array([4, 2, 2, 3]);
    expect(choleskyInPlace(a, 2)).toBe(true);
    expect(Array.from(a)).toEqual([2, 0, 1, Math.SQRT2]);
    const b = new Float64Array([6, 5]);
    choleskySolve(a, 2, b);
    expect(b[0]).toBeCloseTo(1, 14);
    expect(b[1]).toBeCloseTo(1, 14);
  });

  it("reconstructs L Lᵀ and solves random SPD systems across block boundaries", () => {
    for (const n of [1, 5, 96, 97, 250]) {
      const g = randomMatrix(n + 3, n, n);
      const a = gram(g, n + 3, n, "columns");
      for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + 0.5;
      const l = a.slice();
      expect(choleskyInPlace(l, n)).toBe(true);
      const llt = new Float64Array(n * n);
      gemm("no-transpose", "transpose", n, n, n, 1, l, n, 1, 0, l, n, 1, 0, 0, llt, n, 1, 0);
      let err = 0;
      let scale = 0;
      for (let i = 0; i < n * n; i++) {
        err = Math.max(err, Math.abs(llt[i]! - a[i]!));
        scale = Math.max(scale, Math.abs(a[i]!));
      }
      expect(err / scale).toBeLessThan(1e-13);
      const xTrue = randomMatrix(n, 1, n + 1);
      const b = new Float64Array(n);
      gemm("no-transpose", "no-transpose", n, 1, n, 1, a, n, 1, 0, xTrue, 1, 1, 0, 0, b, 1, 1, 0);
      choleskySolve(l, n, b);
      for (let i = 0; i < n; i++) expect(b[i]).toBeCloseTo(xTrue[i]!, 8);
    }
  });

  it("reports a matrix that is not positive definite", () => {
    expect(choleskyInPlace(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
    const n = 120;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = i === 110 ? -1 : 1;
    expect(choleskyInPlace(a, n)).toBe(false);
  });

  it("rejects bad arguments with typed errors", () => {
    expect(() => choleskyInPlace(new Float64Array(3), 2)).toThrow(/a: expected at least 4/);
    expect(() => choleskyInPlace(new Float64Array(4), -1)).toThrow(/n = -1/);
  });
});

describe("polling (stopping long set-up work)", () => {
  it("gram and cholesky give the same results with a poll, which runs at least every block", () => {
    for (const [rows, cols] of [
      [70, 300],
      [300, 70],
    ] as const) {
      const a = randomMatrix(rows, cols, rows + cols);
      for (const side of ["columns", "rows"] as const) {
        let polls = 0;
        const plain = gram(a, rows, cols, side, 0.5);
        const polled = gram(a, rows, cols, side, 0.5, 0, undefined, () => {
          polls++;
        });
        expect(Array.from(polled)).toEqual(Array.from(plain));
        const m = side === "columns" ? cols : rows;
        // row blocks of 32, column chunks of 256 (lower triangle): at least one poll per 32 rows
        expect(polls).toBeGreaterThanOrEqual(Math.ceil(m / 32));
      }
    }
    const n = 250;
    const spd = gram(randomMatrix(300, n, 4), 300, n, "columns");
    const plain = Float64Array.from(spd);
    const polled = Float64Array.from(spd);
    let polls = 0;
    expect(choleskyInPlace(plain, n)).toBe(true);
    expect(
      choleskyInPlace(polled, n, () => {
        polls++;
      }),
    ).toBe(true);
    expect(Array.from(polled)).toEqual(Array.from(plain));
    expect(polls).toBeGreaterThanOrEqual(Math.ceil((n - 96) / 32));
  });

  it("stops at once when the poll throws", () => {
    const a = randomMatrix(50, 200, 1);
    let calls = 0;
    const stop = new Error("stop");
    expect(() =>
      gram(a, 50, 200, "columns", 1, 0, undefined, () => {
        if (++calls === 3) throw stop;
      }),
    ).toThrow(stop);
    expect(calls).toBe(3);
  });
});
