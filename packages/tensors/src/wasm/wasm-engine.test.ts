import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gemm } from "../kernels/gemm.js";
import { gemv, jsGemv } from "../kernels/gemv.js";
import { jsGemm } from "../kernels/js-gemm.js";
import { jsMaskedGemm, maskedGemm } from "../kernels/masked-gemm.js";
import { jsMaskedGemmAdjoint, maskedGemmAdjoint } from "../kernels/masked-gemm-adjoint.js";
import type { Transpose } from "../kernels/transpose.js";
import { createRng } from "../rng.js";
import { configureKernels, kernelInfo } from "./kernel-config.js";

const TOL = 1e-12;
const rng = createRng(7);

/** A strided view of a `rows × cols` matrix inside a larger random array. */
interface Layout {
  readonly data: Float64Array;
  readonly s1: number;
  readonly s2: number;
  readonly off: number;
}

type Kind = "row" | "col" | "padded" | "reversed";
const kinds = fc.constantFrom<Kind>("row", "col", "padded", "reversed");

function layout(rows: number, cols: number, kind: Kind, offset: number): Layout {
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  let s1: number;
  let s2: number;
  let off = offset;
  let size: number;
  switch (kind) {
    case "row":
      [s1, s2, size] = [c, 1, r * c];
      break;
    case "col":
      [s1, s2, size] = [1, r, r * c];
      break;
    case "padded":
      // a sub-matrix: 3 extra columns, elements 2 apart
      [s1, s2, size] = [2 * c + 3, 2, r * (2 * c + 3)];
      break;
    case "reversed":
      // rows stored last to first
      [s1, s2, size] = [-c, 1, r * c];
      off += (r - 1) * c;
      break;
  }
  const data = rng.fillUniform(new Float64Array(size + offset + 2), -1, 1);
  return { data, s1, s2, off };
}

/** Entrywise |w − j| ≤ TOL·scale, scale = |α|·Σ|a||b| + |β||c| bounded by the magnitude sums. */
function expectClose(got: Float64Array, want: Float64Array, scale: number, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs((got[i] as number) - (want[i] as number));
    if (!(d <= TOL * scale)) {
      throw new Error(`${what}: entry ${i} differs: ${got[i]} vs ${want[i]} (|d| = ${d})`);
    }
  }
}

const TRANSPOSES: [Transpose, Transpose][] = [
  ["no-transpose", "no-transpose"],
  ["transpose", "no-transpose"],
  ["no-transpose", "transpose"],
  ["transpose", "transpose"],
];

/** Runs gemm (wasm engine) and jsGemm on copies of C; checks the agreement. */
function checkGemm(
  ta: Transpose,
  tb: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  beta: number,
  ka: Kind,
  kb: Kind,
  kc: Kind,
  offset: number,
): void {
  const tA = ta === "transpose";
  const tB = tb === "transpose";
  const A = layout(tA ? K : M, tA ? M : K, ka, offset);
  const B = layout(tB ? N : K, tB ? K : N, kb, offset + 1);
  const C = layout(M, N, kc, offset + 2);
  const want = C.data.slice();
  const got = C.data.slice();
  jsGemm(
    ta,
    tb,
    M,
    N,
    K,
    alpha,
    A.data,
    A.s1,
    A.s2,
    A.off,
    B.data,
    B.s1,
    B.s2,
    B.off,
    beta,
    want,
    C.s1,
    C.s2,
    C.off,
  );
  gemm(
    ta,
    tb,
    M,
    N,
    K,
    alpha,
    A.data,
    A.s1,
    A.s2,
    A.off,
    B.data,
    B.s1,
    B.s2,
    B.off,
    beta,
    got,
    C.s1,
    C.s2,
    C.off,
  );
  // entries are in [−1, 1]: |α|·K + |β| bounds each entry's magnitude sum
  expectClose(
    got,
    want,
    Math.abs(alpha) * Math.max(K, 1) + Math.abs(beta),
    `gemm ${ta}/${tb} ${M}x${N}x${K}`,
  );
}

describe("WebAssembly SIMD kernels against the JS kernels", () => {
  beforeAll(async () => {
    const info = await configureKernels({ engine: "wasm-simd", threads: 1 });
    expect(info.engine).toBe("wasm-simd");
    expect(info.threads).toBe(1);
  });
  afterAll(async () => {
    await configureKernels({ engine: "auto", threads: "auto" });
  });

  it.each(TRANSPOSES)(
    "gemm op(A)=%s, op(B)=%s: random sizes, strides, offsets, views, α, β (1e-12)",
    (ta, tb) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 37 }),
          fc.integer({ min: 0, max: 37 }),
          fc.integer({ min: 0, max: 37 }),
          fc.constantFrom(1, -0.5, 2.25, 0),
          fc.constantFrom(0, 1, -1.5),
          kinds,
          kinds,
          kinds,
          fc.integer({ min: 0, max: 5 }),
          (M, N, K, alpha, beta, ka, kb, kc, offset) => {
            checkGemm(ta, tb, M, N, K, alpha, beta, ka, kb, kc, offset);
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it.each(TRANSPOSES)(
    "gemm op(A)=%s, op(B)=%s across the cache blocks (K > 256, M > 128, N > 1024)",
    (ta, tb) => {
      checkGemm(ta, tb, 133, 9, 301, 1.5, -0.75, "row", "col", "padded", 3);
      checkGemm(ta, tb, 6, 1031, 258, -1, 0.5, "padded", "row", "row", 1);
    },
  );

  it("gemm with β = 0 ignores NaN in C, as BLAS does", () => {
    const A = new Float64Array([1, 2, 3, 4]);
    const C = new Float64Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    gemm("no-transpose", "no-transpose", 2, 2, 2, 1, A, 2, 1, 0, A, 2, 1, 0, 0, C, 2, 1, 0);
    expect([...C]).toEqual([7, 10, 15, 22]);
  });

  it("gemv both ways: random sizes, strides, offsets, α, β (1e-12)", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 0, max: 45 }),
        fc.constantFrom(1, -2, 0),
        fc.constantFrom(0, 1, 0.5),
        kinds,
        fc.constantFrom(1, 2, -1),
        fc.constantFrom(1, 3, -2),
        fc.integer({ min: 0, max: 4 }),
        (trans, M, N, alpha, beta, kind, sx, sy, offset) => {
          const A = layout(M, N, kind, offset);
          const xLen = trans ? M : N;
          const yLen = trans ? N : M;
          const x = rng.fillUniform(new Float64Array(xLen * Math.abs(sx) + offset + 1), -1, 1);
          const y = rng.fillUniform(new Float64Array(yLen * Math.abs(sy) + offset + 1), -1, 1);
          const ox = sx < 0 ? offset + (xLen - 1) * -sx : offset;
          const oy = sy < 0 ? offset + Math.max(yLen - 1, 0) * -sy : offset;
          const want = y.slice();
          const got = y.slice();
          const t: Transpose = trans ? "transpose" : "no-transpose";
          jsGemv(
            t,
            M,
            N,
            alpha,
            A.data,
            A.s1,
            A.s2,
            A.off,
            x,
            sx,
            Math.max(ox, 0),
            beta,
            want,
            sy,
            oy,
          );
          gemv(
            t,
            M,
            N,
            alpha,
            A.data,
            A.s1,
            A.s2,
            A.off,
            x,
            sx,
            Math.max(ox, 0),
            beta,
            got,
            sy,
            oy,
          );
          expectClose(got, want, Math.abs(alpha) * Math.max(xLen, 1) + Math.abs(beta), "gemv");
        },
      ),
      { numRuns: 120 },
    );
  });

  it.each(TRANSPOSES)(
    "maskedGemm op(A)=%s, op(B)=%s and its adjoint: random masks, views, α, β (1e-12)",
    (ta, tb) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 30 }),
          fc.integer({ min: 1, max: 30 }),
          fc.integer({ min: 0, max: 30 }),
          fc.constantFrom(1, -0.5),
          fc.constantFrom(0, 2),
          kinds,
          fc.boolean(),
          (M, N, K, alpha, beta, kind, stridedMask) => {
            const tA = ta === "transpose";
            const tB = tb === "transpose";
            const A = layout(tA ? K : M, tA ? M : K, kind, 1);
            const B = layout(tB ? N : K, tB ? K : N, "row", 0);
            // mask: compact (N, 1) or column-major (1, M)
            const D = new Uint8Array(M * N);
            for (let i = 0; i < D.length; i++) D[i] = rng.uniform() < 0.5 ? 0 : 1 + (i % 3);
            const [d1, d2] = stridedMask ? [1, M] : [N, 1];
            const C = layout(M, N, kind, 2);
            const want = C.data.slice();
            const got = C.data.slice();
            const args = [
              A.data,
              A.s1,
              A.s2,
              A.off,
              B.data,
              B.s1,
              B.s2,
              B.off,
              D,
              d1,
              d2,
              0,
            ] as const;
            jsMaskedGemm(ta, tb, M, N, K, alpha, ...args, beta, want, C.s1, C.s2, C.off);
            maskedGemm(ta, tb, M, N, K, alpha, ...args, beta, got, C.s1, C.s2, C.off);
            const scale = Math.abs(alpha) * Math.max(K, 1) + Math.abs(beta);
            expectClose(got, want, scale, "maskedGemm");

            // adjoint in the right factor: G (K × N) = α·op(A)ᵀ (D ⊙ R) + β·G
            const R = layout(M, N, kind, 0);
            const G = layout(K, N, "padded", 1);
            const wantG = G.data.slice();
            const gotG = G.data.slice();
            const adj = [
              A.data,
              A.s1,
              A.s2,
              A.off,
              R.data,
              R.s1,
              R.s2,
              R.off,
              D,
              d1,
              d2,
              0,
            ] as const;
            jsMaskedGemmAdjoint(ta, M, N, K, alpha, ...adj, beta, wantG, G.s1, G.s2, G.off);
            maskedGemmAdjoint(ta, M, N, K, alpha, ...adj, beta, gotG, G.s1, G.s2, G.off);
            expectClose(gotG, wantG, Math.abs(alpha) * M + Math.abs(beta), "maskedGemmAdjoint");
          },
        ),
        { numRuns: 40 },
      );
    },
  );
});

describe("WebAssembly SIMD kernels on worker threads", () => {
  afterAll(async () => {
    await configureKernels({ engine: "auto", threads: "auto" });
  });

  it("splits products over 2 threads with bitwise the results of 1 thread", async () => {
    const sizes: [Transpose, Transpose, number, number, number][] = [
      ["no-transpose", "no-transpose", 130, 97, 120], // split by rows
      ["transpose", "transpose", 41, 260, 111], // split by columns
      ["transpose", "no-transpose", 64, 64, 300],
    ];
    const run = (): Float64Array[] =>
      sizes.map(([ta, tb, M, N, K]) => {
        const local = createRng(M * N + K);
        const A = local.fillUniform(new Float64Array(M * K), -1, 1);
        const B = local.fillUniform(new Float64Array(K * N), -1, 1);
        const C = local.fillUniform(new Float64Array(M * N), -1, 1);
        const lda = ta === "transpose" ? M : K;
        const ldb = tb === "transpose" ? K : N;
        gemm(ta, tb, M, N, K, 0.5, A, lda, 1, 0, B, ldb, 1, 0, -1, C, N, 1, 0);
        return C;
      });
    await configureKernels({ engine: "wasm-simd", threads: 1 });
    const one = run();
    const info = await configureKernels({ engine: "wasm-simd", threads: 2 });
    expect(info.threads).toBe(2);
    const two = run();
    await configureKernels({ engine: "js" });
    const js = run();
    for (let s = 0; s < sizes.length; s++) {
      expect(two[s]).toEqual(one[s]);
      expectClose(two[s] as Float64Array, js[s] as Float64Array, 0.5 * 300 + 1, `threads ${s}`);
    }
  });

  it("splits gemv and the masked products over 2 threads", async () => {
    const M = 700;
    const N = 600;
    const local = createRng(3);
    const A = local.fillUniform(new Float64Array(M * N), -1, 1);
    const x = local.fillUniform(new Float64Array(Math.max(M, N)), -1, 1);
    const D = new Uint8Array(M * 40).map((_, i) => (i % 3 === 0 ? 0 : 1));
    const Z = local.fillUniform(new Float64Array(40 * N), -1, 1);
    const R = local.fillUniform(new Float64Array(M * 40), -1, 1);
    const run = (): Float64Array[] => {
      const y0 = new Float64Array(M);
      const y1 = new Float64Array(N);
      gemv("no-transpose", M, N, 1, A, N, 1, 0, x, 1, 0, 0, y0, 1, 0);
      gemv("transpose", M, N, 1, A, N, 1, 0, x, 1, 0, 0, y1, 1, 0);
      const C = new Float64Array(M * 40);
      maskedGemm(
        "no-transpose",
        "transpose",
        M,
        40,
        N,
        1,
        A,
        N,
        1,
        0,
        Z,
        N,
        1,
        0,
        D,
        40,
        1,
        0,
        0,
        C,
        40,
        1,
        0,
      );
      const G = new Float64Array(N * 40);
      maskedGemmAdjoint(
        "no-transpose",
        M,
        40,
        N,
        1,
        A,
        N,
        1,
        0,
        R,
        40,
        1,
        0,
        D,
        40,
        1,
        0,
        0,
        G,
        40,
        1,
        0,
      );
      return [y0, y1, C, G];
    };
    await configureKernels({ engine: "wasm-simd", threads: 2 });
    expect(kernelInfo().threads).toBe(2);
    const two = run();
    await configureKernels({ engine: "js" });
    const js = run();
    for (let s = 0; s < two.length; s++) {
      expectClose(two[s] as Float64Array, js[s] as Float64Array, Math.max(M, N), `product ${s}`);
    }
  });
});
