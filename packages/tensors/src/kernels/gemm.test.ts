import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMismatchError } from "../errors.js";
import { gemm } from "./gemm.js";
import type { Transpose } from "./transpose.js";

/** Reference: C = α·op(A)·op(B) + β·C by the definition, entry by entry. */
function naiveGemm(
  ta: boolean,
  tb: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  sa1: number,
  sa2: number,
  oa: number,
  B: Float64Array,
  sb1: number,
  sb2: number,
  ob: number,
  beta: number,
  C: Float64Array,
  sc1: number,
  sc2: number,
  oc: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) {
        const a = ta ? A[oa + p * sa1 + i * sa2]! : A[oa + i * sa1 + p * sa2]!;
        const b = tb ? B[ob + j * sb1 + p * sb2]! : B[ob + p * sb1 + j * sb2]!;
        s += a * b;
      }
      const idx = oc + i * sc1 + j * sc2;
      C[idx] = alpha * s + (beta === 0 ? 0 : beta * C[idx]!);
    }
  }
}

const dims = fc.integer({ min: 0, max: 70 });
const bigDims = fc.integer({ min: 30, max: 140 });

describe("gemm", () => {
  it.each([
    ["no-transpose", "no-transpose"],
    ["transpose", "no-transpose"],
    ["no-transpose", "transpose"],
    ["transpose", "transpose"],
  ] as [Transpose, Transpose][])(
    "matches the definition for op(A)=%s, op(B)=%s on random strided views",
    (transA, transB) => {
      fc.assert(
        fc.property(
          fc.oneof(dims, bigDims),
          fc.oneof(dims, bigDims),
          fc.oneof(dims, bigDims),
          fc.boolean(),
          fc.integer({ min: 0, max: 3 }),
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.constantFrom(0, 1, -0.5),
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          (M, N, K, colMajor, pad, alpha, beta, seed) => {
            const ta = transA === "transpose";
            const tb = transB === "transpose";
            let state = seed;
            const rand = () => {
              state = (state * 48271) % 2147483647;
              return state / 2147483647 - 0.5;
            };
            // stored shapes; padded leading dimension; row- or column-major storage
            const layout = (r: number, c: number) => {
              const ld = (colMajor ? r : c) + pad;
              const s1 = colMajor ? 1 : ld;
              const s2 = colMajor ? ld : 1;
              const size = pad + (colMajor ? c : r) * ld;
              const data = new Float64Array(Math.max(size, 1)).map(rand);
              return { s1, s2, off: pad, data };
            };
            const a = layout(ta ? K : M, ta ? M : K);
            const b = layout(tb ? N : K, tb ? K : N);
            const c = layout(M, N);
            const expected = c.data.slice();
            naiveGemm(
              ta,
              tb,
              M,
              N,
              K,
              alpha,
              a.data,
              a.s1,
              a.s2,
              a.off,
              b.data,
              b.s1,
              b.s2,
              b.off,
              beta,
              expected,
              c.s1,
              c.s2,
              c.off,
            );
            gemm(
              transA,
              transB,
              M,
              N,
              K,
              alpha,
              a.data,
              a.s1,
              a.s2,
              a.off,
              b.data,
              b.s1,
              b.s2,
              b.off,
              beta,
              c.data,
              c.s1,
              c.s2,
              c.off,
            );
            // one assertion on the worst entry (also covers the padding, which must be untouched)
            let worst = 0;
            for (let i = 0; i < expected.length; i++) {
              worst = Math.max(worst, Math.abs(c.data[i]! - expected[i]!));
            }
            expect(worst).toBeLessThanOrEqual(1e-12 * (1 + K));
          },
        ),
        { numRuns: 60 },
      );
    },
  );

  it("overwrites C when beta = 0, even where C holds NaN", () => {
    const C = new Float64Array([Number.NaN]);
    gemm(
      "no-transpose",
      "no-transpose",
      1,
      1,
      1,
      1,
      new Float64Array([2]),
      1,
      1,
      0,
      new Float64Array([3]),
      1,
      1,
      0,
      0,
      C,
      1,
      1,
      0,
    );
    expect(C[0]).toBe(6);
  });

  it("rejects a view that reaches past its array, naming the argument", () => {
    expect(() =>
      gemm(
        "no-transpose",
        "no-transpose",
        2,
        2,
        2,
        1,
        new Float64Array(3),
        2,
        1,
        0,
        new Float64Array(4),
        2,
        1,
        0,
        0,
        new Float64Array(4),
        2,
        1,
        0,
      ),
    ).toThrow(ShapeMismatchError);
    try {
      gemm(
        "no-transpose",
        "no-transpose",
        2,
        2,
        2,
        1,
        new Float64Array(3),
        2,
        1,
        0,
        new Float64Array(4),
        2,
        1,
        0,
        0,
        new Float64Array(4),
        2,
        1,
        0,
      );
    } catch (e) {
      expect((e as ShapeMismatchError).argument).toBe("A");
      expect((e as ShapeMismatchError).code).toBe("shape-mismatch");
    }
  });
});
