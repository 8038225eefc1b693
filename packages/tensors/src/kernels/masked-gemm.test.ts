import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { maskedGemm } from "./masked-gemm.js";
import { maskedGemmAdjoint } from "./masked-gemm-adjoint.js";

function filler(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647 - 0.5;
  };
}

/** A stored r×c matrix in a padded row- or column-major layout. */
function layout<T extends Float64Array | Uint8Array>(
  r: number,
  c: number,
  colMajor: boolean,
  pad: number,
  make: (n: number) => T,
) {
  const ld = (colMajor ? r : c) + pad;
  return {
    s1: colMajor ? 1 : ld,
    s2: colMajor ? ld : 1,
    off: pad,
    data: make(Math.max(pad + (colMajor ? c : r) * ld, 1)),
  };
}

const dim = fc.integer({ min: 0, max: 30 });

describe("maskedGemm", () => {
  it("C = α·(D ⊙ op(A)·op(B)) + β·C on random strided views of A, B, D and C", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(0, 1, -0.5),
        fc.integer({ min: 1, max: 2 ** 31 - 2 }),
        (M, N, K, ta, tb, colMajor, pad, beta, seed) => {
          const rand = filler(seed);
          const floats = (n: number) => Float64Array.from({ length: n }, rand);
          const bits = (n: number) => Uint8Array.from({ length: n }, () => (rand() < 0 ? 1 : 0));
          const A = layout(ta ? K : M, ta ? M : K, colMajor[0]!, pad, floats);
          const B = layout(tb ? N : K, tb ? K : N, colMajor[1]!, pad, floats);
          const D = layout(M, N, colMajor[2]!, pad, bits);
          const C = layout(M, N, colMajor[3]!, pad, floats);
          const alpha = 1.25;
          const expected = C.data.slice();
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let p = 0; p < K; p++) {
                const a = ta
                  ? A.data[A.off + p * A.s1 + i * A.s2]!
                  : A.data[A.off + i * A.s1 + p * A.s2]!;
                const b = tb
                  ? B.data[B.off + j * B.s1 + p * B.s2]!
                  : B.data[B.off + p * B.s1 + j * B.s2]!;
                s += a * b;
              }
              const ic = C.off + i * C.s1 + j * C.s2;
              const d = D.data[D.off + i * D.s1 + j * D.s2]!;
              expected[ic] = (d ? alpha * s : 0) + (beta === 0 ? 0 : beta * expected[ic]!);
            }
          }
          maskedGemm(
            ta ? "transpose" : "no-transpose",
            tb ? "transpose" : "no-transpose",
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
            D.data,
            D.s1,
            D.s2,
            D.off,
            beta,
            C.data,
            C.s1,
            C.s2,
            C.off,
          );
          let worst = 0;
          for (let i = 0; i < expected.length; i++)
            worst = Math.max(worst, Math.abs(C.data[i]! - expected[i]!));
          expect(worst).toBeLessThanOrEqual(1e-13 * (1 + K));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("maskedGemmAdjoint", () => {
  it("is the adjoint: ⟨D ⊙ op(A)B, R⟩ = ⟨B, op(A)ᵀ(D ⊙ R)⟩, and matches its definition", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 2 ** 31 - 2 }),
        (M, N, K, ta, colMajor, pad, seed) => {
          const rand = filler(seed);
          const floats = (n: number) => Float64Array.from({ length: n }, rand);
          const bits = (n: number) => Uint8Array.from({ length: n }, () => (rand() < 0 ? 1 : 0));
          const A = layout(ta ? K : M, ta ? M : K, colMajor[0]!, pad, floats);
          const R = layout(M, N, colMajor[1]!, pad, floats);
          const D = layout(M, N, colMajor[2]!, pad, bits);
          const G = layout(K, N, colMajor[3]!, pad, floats);
          const opA = (i: number, p: number) =>
            ta ? A.data[A.off + p * A.s1 + i * A.s2]! : A.data[A.off + i * A.s1 + p * A.s2]!;
          const expected = G.data.slice();
          for (let p = 0; p < K; p++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let i = 0; i < M; i++) {
                if (D.data[D.off + i * D.s1 + j * D.s2])
                  s += opA(i, p) * R.data[R.off + i * R.s1 + j * R.s2]!;
              }
              const ig = G.off + p * G.s1 + j * G.s2;
              expected[ig] = -2 * s + 0.5 * expected[ig]!;
            }
          }
          maskedGemmAdjoint(
            ta ? "transpose" : "no-transpose",
            M,
            N,
            K,
            -2,
            A.data,
            A.s1,
            A.s2,
            A.off,
            R.data,
            R.s1,
            R.s2,
            R.off,
            D.data,
            D.s1,
            D.s2,
            D.off,
            0.5,
            G.data,
            G.s1,
            G.s2,
            G.off,
          );
          let worst = 0;
          for (let i = 0; i < expected.length; i++)
            worst = Math.max(worst, Math.abs(G.data[i]! - expected[i]!));
          expect(worst).toBeLessThanOrEqual(1e-13 * (1 + M));

          // the adjoint identity, with contiguous B (K×N) and fresh outputs
          const B = floats(K * N);
          const F = new Float64Array(M * N);
          maskedGemm(
            ta ? "transpose" : "no-transpose",
            "no-transpose",
            M,
            N,
            K,
            1,
            A.data,
            A.s1,
            A.s2,
            A.off,
            B,
            N,
            1,
            0,
            D.data,
            D.s1,
            D.s2,
            D.off,
            0,
            F,
            N,
            1,
            0,
          );
          const Rc = new Float64Array(M * N);
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) Rc[i * N + j] = R.data[R.off + i * R.s1 + j * R.s2]!;
          const Gc = new Float64Array(K * N);
          maskedGemmAdjoint(
            ta ? "transpose" : "no-transpose",
            M,
            N,
            K,
            1,
            A.data,
            A.s1,
            A.s2,
            A.off,
            Rc,
            N,
            1,
            0,
            D.data,
            D.s1,
            D.s2,
            D.off,
            0,
            Gc,
            N,
            1,
            0,
          );
          let lhs = 0;
          for (let i = 0; i < F.length; i++) lhs += F[i]! * Rc[i]!;
          let rhs = 0;
          for (let i = 0; i < B.length; i++) rhs += B[i]! * Gc[i]!;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + M * N * K));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects a mask view past its array, naming it", () => {
    const f = () =>
      maskedGemm(
        "no-transpose",
        "no-transpose",
        2,
        2,
        1,
        1,
        new Float64Array(2),
        1,
        1,
        0,
        new Float64Array(2),
        2,
        1,
        0,
        new Uint8Array(3),
        2,
        1,
        0,
        0,
        new Float64Array(4),
        2,
        1,
        0,
      );
    expect(f).toThrow(ShapeMismatchError);
    expect(f).toThrow(/^mask:/);
    const g = () =>
      maskedGemmAdjoint(
        "no-transpose",
        2,
        2,
        1,
        1,
        new Float64Array(2),
        1,
        1,
        0,
        new Float64Array(3),
        2,
        1,
        0,
        new Uint8Array(4),
        2,
        1,
        0,
        0,
        new Float64Array(2),
        2,
        1,
        0,
      );
    expect(g).toThrow(/^R:/);
    const h = () =>
      maskedGemmAdjoint(
        "bogus" as "transpose",
        2,
        2,
        1,
        1,
        new Float64Array(2),
        1,
        1,
        0,
        new Float64Array(4),
        2,
        1,
        0,
        new Uint8Array(4),
        2,
        1,
        0,
        0,
        new Float64Array(2),
        2,
        1,
        0,
      );
    expect(h).toThrow(/^transA = "bogus": must be/);
  });
});
