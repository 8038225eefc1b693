import { describe, expect, it } from "vitest";
import { ConvexformerError, InvalidOptionError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { createRng } from "../rng.js";
import { getBackend } from "../tfjs/get-backend.js";
import { initTfjs } from "../tfjs-loader.js";
import { getBackend as getBuiltinBackend } from "./get-backend.js";
import { jsBackend } from "./js-backend.js";
import { createTfjsWasmBackend } from "./tfjs-wasm-backend.js";

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  return new Matrix(rows, cols, createRng(seed).fillUniform(new Float64Array(rows * cols), -1, 1));
}

function maxAbsDiff(a: Matrix, b: Matrix): number {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

describe("tfjs-wasm backend", () => {
  it("comes from the tfjs entry point's getBackend; the main one names that entry point", async () => {
    const error = await getBuiltinBackend("tfjs-wasm").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConvexformerError);
    expect((error as ConvexformerError).code).toBe("backend-unavailable");
    expect((error as Error).message).toContain("@convexformer/tensors/tfjs");
    expect(await getBackend("js")).toBe(jsBackend);
    expect(await getBackend()).toBe(jsBackend);
    await expect(getBackend("webgpu" as never)).rejects.toThrow(InvalidOptionError);
  });

  it("is memoized and says it is float32", async () => {
    const backend = await getBackend("tfjs-wasm");
    expect(await getBackend("tfjs-wasm")).toBe(backend);
    expect(backend.name).toBe("tfjs-wasm");
    expect(backend.precision).toBe("float32");
  });

  it("matches the float64 backend to float32 accuracy for all transposes, α, β, out", async () => {
    const backend = await getBackend("tfjs-wasm");
    const { tf } = await initTfjs();
    const before = tf.memory().numTensors;
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 5, 7],
      [17, 9, 33],
      [64, 48, 80],
      [0, 4, 3],
      [4, 0, 3],
      [4, 3, 0],
    ];
    let seed = 1;
    for (const [M, N, K] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = transA ? randomMatrix(K, M, seed++) : randomMatrix(M, K, seed++);
          const b = transB ? randomMatrix(N, K, seed++) : randomMatrix(K, N, seed++);
          const c = randomMatrix(M, N, seed++);
          const options = { transA, transB, alpha: 1.5, beta: -0.25 };
          const expected = jsBackend.matmul(a, b, { ...options, out: c.clone() });
          const out = c.clone();
          const got = backend.matmul(a, b, { ...options, out });
          expect(got.precision).toBe("float32");
          expect(got.backend).toBe("tfjs-wasm");
          expect(got.value).toBe(out);
          // float32 rounding of inputs and accumulation: ~K·2^-24 relative to |a||b|
          expect(maxAbsDiff(got.value, expected.value)).toBeLessThan(1e-6 * (K + 1) + 1e-12);
          // without out, beta is ignored
          const fresh = backend.matmul(a, b, options);
          const plain = jsBackend.matmul(a, b, options);
          expect(maxAbsDiff(fresh.value, plain.value)).toBeLessThan(1e-6 * (K + 1) + 1e-12);
        }
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("computes exactly on small integers", async () => {
    const backend = await getBackend("tfjs-wasm");
    const a = Matrix.fromRows([
      [1, 2],
      [3, 4],
    ]);
    expect(backend.matmul(a, a).value.toRows()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(backend.matmul(a, a, { transA: true }).value.toRows()).toEqual([
      [10, 14],
      [14, 20],
    ]);
  });

  it("masked product and its adjoint match the js backend", async () => {
    const backend = await getBackend("tfjs-wasm");
    const { tf } = await initTfjs();
    const before = tf.memory().numTensors;
    const rng = createRng(5);
    for (const transA of [false, true]) {
      const [M, N, K] = [23, 11, 19];
      const a = transA ? randomMatrix(K, M, 10) : randomMatrix(M, K, 10);
      const b = randomMatrix(K, N, 11);
      const r = randomMatrix(M, N, 12);
      const mask = Uint8Array.from({ length: M * N }, () => (rng.uniform() < 0.4 ? 1 : 0));
      const out = randomMatrix(M, N, 13);
      const f32 = backend.maskedMatmul(a, b, mask, { transA, alpha: 2, beta: 1, out: out.clone() });
      const f64 = jsBackend.maskedMatmul(a, b, mask, {
        transA,
        alpha: 2,
        beta: 1,
        out: out.clone(),
      });
      expect(f32.precision).toBe("float32");
      expect(maxAbsDiff(f32.value, f64.value)).toBeLessThan(1e-5);
      // masked-out entries are exactly β·out
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] === 0) expect(f32.value.data[i]).toBe(out.data[i]);
      }
      const g32 = backend.maskedMatmulAdjoint(a, r, mask, { transA, alpha: -1 });
      const g64 = jsBackend.maskedMatmulAdjoint(a, r, mask, { transA, alpha: -1 });
      expect([g32.value.rows, g32.value.cols]).toEqual([K, N]);
      expect(maxAbsDiff(g32.value, g64.value)).toBeLessThan(1e-5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects values beyond the float32 range and leaks nothing when it throws", async () => {
    const backend = await getBackend("tfjs-wasm");
    const { tf } = await initTfjs();
    const before = tf.memory().numTensors;
    const a = Matrix.fromRows([[1e39]]);
    expect(() => backend.matmul(Matrix.fromRows([[1]]), a)).toThrow(InvalidOptionError);
    expect(() => backend.matmul(Matrix.fromRows([[1]]), a)).toThrow(/^b = /);
    expect(tf.memory().numTensors).toBe(before);
    // the largest float32 itself is fine
    expect(
      backend
        .matmul(Matrix.fromRows([[1]]), Matrix.fromRows([[3.4028234663852886e38]]))
        .value.get(0, 0),
    ).toBe(3.4028234663852886e38);
  });

  it("refuses a handle that is not on the wasm backend", async () => {
    const handle = await initTfjs();
    expect(() =>
      createTfjsWasmBackend({ tf: handle.tf, backend: "cpu", fallbackReason: "test" }),
    ).toThrow(ConvexformerError);
    try {
      createTfjsWasmBackend({ tf: handle.tf, backend: "cpu" });
    } catch (e) {
      expect((e as ConvexformerError).code).toBe("backend-unavailable");
    }
  });
});
