import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
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

/** |a − b| ≤ 1e-12·scale entrywise (entries of the factors lie in [−1, 1]). */
function expectClose(actual: Matrix, expected: Matrix, scale: number): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  for (let i = 0; i < expected.data.length; i++) {
    expect(Math.abs(actual.data[i]! - expected.data[i]!)).toBeLessThanOrEqual(1e-12 * scale);
  }
}

const dim = fc.integer({ min: 0, max: 40 });

describe("the wasm-simd backend", () => {
  it("is float64 WebAssembly, obtained by name", async () => {
    const backend = await getBackend("wasm-simd");
    expect(backend.name).toBe("wasm-simd");
    expect(backend.precision).toBe("float64");
    const a = Matrix.fromRows([
      [1, 2],
      [3, 4],
    ]);
    const r = backend.matmul(a, a);
    expect(r.value.toRows()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(r.backend).toBe("wasm-simd");
    expect(r.precision).toBe("float64");
  });

  it("matmul, maskedMatmul and maskedMatmulAdjoint agree with the js backend to 1e-12", async () => {
    const backend = await getBackend("wasm-simd");
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
          const out = randomMatrix(M, N, seed + 2);
          const mask = randomMask(M, N, seed + 3);
          const base = { transA, transB, alpha: 0.75 };
          const options = withOut ? { ...base, beta: -0.5 } : base;
          const scale = 0.75 * Math.max(K, 1) + 0.5;
          const w1 = backend.matmul(a, b, withOut ? { ...options, out: out.clone() } : options);
          const j1 = jsBackend.matmul(a, b, withOut ? { ...options, out: out.clone() } : options);
          expect(w1.backend).toBe("wasm-simd");
          expectClose(w1.value, j1.value, scale);
          const w2 = backend.maskedMatmul(
            a,
            b,
            mask,
            withOut ? { ...options, out: out.clone() } : options,
          );
          const j2 = jsBackend.maskedMatmul(
            a,
            b,
            mask,
            withOut ? { ...options, out: out.clone() } : options,
          );
          expectClose(w2.value, j2.value, scale);
          // adjoint: op(a) is M × K, r and the mask M × N, out K × N
          const r = randomMatrix(M, N, seed + 4);
          const g = randomMatrix(K, N, seed + 5);
          const adj = withOut ? { transA, alpha: 0.75, beta: -0.5 } : { transA, alpha: 0.75 };
          const w3 = backend.maskedMatmulAdjoint(
            a,
            r,
            mask,
            withOut ? { ...adj, out: g.clone() } : adj,
          );
          const j3 = jsBackend.maskedMatmulAdjoint(
            a,
            r,
            mask,
            withOut ? { ...adj, out: g.clone() } : adj,
          );
          expectClose(w3.value, j3.value, 0.75 * Math.max(M, 1) + 0.5);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("rejects disagreeing shapes with the js backend's errors", async () => {
    const backend = await getBackend("wasm-simd");
    const a = randomMatrix(2, 3, 1);
    expect(() => backend.matmul(a, a)).toThrow(ShapeMismatchError);
    expect(() => backend.maskedMatmul(a, a, new Uint8Array(3), { transB: true })).toThrow(/mask/);
    expect(() => backend.maskedMatmulAdjoint(a, randomMatrix(3, 2, 2), new Uint8Array(6))).toThrow(
      ShapeMismatchError,
    );
  });
});
