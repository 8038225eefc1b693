import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { createRng } from "../rng.js";
import { getBackend } from "./get-backend.js";
import { jsBackend } from "./js-backend.js";

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  return new Matrix(rows, cols, createRng(seed).fillUniform(new Float64Array(rows * cols), -1, 1));
}

function randomMask(rows: number, cols: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: rows * cols }, () => (rng.uniform() < 0.5 ? 1 : 0));
}

/** op(a)·op(b) by the definition. */
function naiveProduct(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const opA = transA ? a.transpose() : a;
  const opB = transB ? b.transpose() : b;
  const c = new Matrix(opA.rows, opB.cols);
  for (let i = 0; i < opA.rows; i++) {
    for (let j = 0; j < opB.cols; j++) {
      let s = 0;
      for (let p = 0; p < opA.cols; p++) s += opA.get(i, p) * opB.get(p, j);
      c.set(i, j, s);
    }
  }
  return c;
}

function expectClose(actual: Matrix, expected: Matrix, tol: number): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  for (let i = 0; i < expected.data.length; i++) {
    expect(Math.abs(actual.data[i]! - expected.data[i]!)).toBeLessThanOrEqual(tol);
  }
}

const dim = fc.integer({ min: 0, max: 24 });

describe("jsBackend", () => {
  it("is what getBackend() and getBackend('js') return", async () => {
    expect(await getBackend()).toBe(jsBackend);
    expect(await getBackend("js")).toBe(jsBackend);
    expect(jsBackend.name).toBe("js");
    expect(jsBackend.precision).toBe("float64");
  });

  it("matmul = α·op(a)·op(b) + β·out for every transpose combination", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (M, N, K, transA, transB, withOut, seed) => {
          const a = transA ? randomMatrix(K, M, seed) : randomMatrix(M, K, seed);
          const b = transB ? randomMatrix(N, K, seed + 1) : randomMatrix(K, N, seed + 1);
          const alpha = 0.75;
          const beta = -0.5;
          const c0 = randomMatrix(M, N, seed + 2);
          const expected = naiveProduct(a, b, transA, transB);
          for (let i = 0; i < expected.data.length; i++) {
            expected.data[i] = alpha * expected.data[i]! + (withOut ? beta * c0.data[i]! : 0);
          }
          const out = c0.clone();
          const result = jsBackend.matmul(a, b, {
            transA,
            transB,
            alpha,
            beta,
            ...(withOut ? { out } : {}),
          });
          expect(result.precision).toBe("float64");
          expect(result.backend).toBe("js");
          if (withOut) expect(result.value).toBe(out);
          expectClose(result.value, expected, 1e-12 * (K + 1));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("maskedMatmul = α·(D ⊙ op(a)·op(b)) + β·out and its adjoint satisfies ⟨F(B), R⟩ = ⟨B, F*(R)⟩", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (M, N, K, transA, seed) => {
          const a = transA ? randomMatrix(K, M, seed) : randomMatrix(M, K, seed);
          const b = randomMatrix(K, N, seed + 1);
          const mask = randomMask(M, N, seed + 2);
          const product = naiveProduct(a, b, transA, false);
          const out = randomMatrix(M, N, seed + 3);
          const expected = out.clone();
          for (let i = 0; i < expected.data.length; i++) {
            expected.data[i] = 2 * expected.data[i]! + (mask[i] ? -1 * product.data[i]! : 0);
          }
          const forward = jsBackend.maskedMatmul(a, b, mask, { transA, alpha: -1, beta: 2, out });
          expect(forward.precision).toBe("float64");
          expectClose(forward.value, expected, 1e-12 * (K + 1));

          // adjoint identity with a fresh forward (no α, β)
          const fb = jsBackend.maskedMatmul(a, b, mask, { transA }).value;
          const r = randomMatrix(M, N, seed + 4);
          const g = jsBackend.maskedMatmulAdjoint(a, r, mask, { transA }).value;
          expect([g.rows, g.cols]).toEqual([K, N]);
          let lhs = 0;
          for (let i = 0; i < fb.data.length; i++) lhs += fb.data[i]! * r.data[i]!;
          let rhs = 0;
          for (let i = 0; i < b.data.length; i++) rhs += b.data[i]! * g.data[i]!;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-11 * (1 + M * N * K));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("maskedMatmulAdjoint honours α, β and out", () => {
    const a = Matrix.fromRows([[1], [2]]); // op(a) = a, 2×1
    const r = Matrix.fromRows([
      [1, 1],
      [1, 1],
    ]);
    const mask = new Uint8Array([1, 0, 0, 1]);
    const out = Matrix.fromRows([[10, 20]]);
    const g = jsBackend.maskedMatmulAdjoint(a, r, mask, { alpha: 2, beta: 0.5, out });
    // aᵀ(D ⊙ r) = [1, 2]; 2·[1, 2] + 0.5·[10, 20] = [7, 14]
    expect(g.value.toRows()).toEqual([[7, 14]]);
    expect(g.value).toBe(out);
  });

  it("rejects mismatched shapes, masks and options, naming the argument", () => {
    const a = new Matrix(2, 3);
    const b = new Matrix(4, 2);
    expect(() => jsBackend.matmul(a, b)).toThrow(ShapeMismatchError);
    expect(() => jsBackend.matmul(a, b)).toThrow(/^b:/);
    expect(() => jsBackend.matmul(a, new Matrix(3, 2), { out: new Matrix(3, 3) })).toThrow(
      /options.out/,
    );
    expect(() => jsBackend.maskedMatmul(a, new Matrix(3, 2), new Uint8Array(3))).toThrow(/mask/);
    expect(() => jsBackend.maskedMatmulAdjoint(a, new Matrix(3, 2), new Uint8Array(6))).toThrow(
      /^r:/,
    );
    expect(() => jsBackend.matmul(a, new Matrix(3, 2), { alpha: Number.NaN })).toThrow(
      InvalidOptionError,
    );
    // @ts-expect-error: unknown option
    expect(() => jsBackend.matmul(a, new Matrix(3, 2), { transpose: true })).toThrow(
      /options.transpose/,
    );
    // @ts-expect-error: not a Matrix
    expect(() => jsBackend.matmul([[1]], a)).toThrow(/a = /);
  });

  it("getBackend rejects an unknown name", async () => {
    // @ts-expect-error: unknown backend
    await expect(getBackend("webgpu")).rejects.toThrow(InvalidOptionError);
  });
});
