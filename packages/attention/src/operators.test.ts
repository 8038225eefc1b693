import { checkAdjoint } from "@convexformer/solvers";
import { createRng, type Matrix, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionOperator } from "./attention-operator.js";
import { gatePatterns } from "./gate-patterns.js";
import { sampleGates } from "./sample-gates.js";
import { sequenceOperator } from "./sequence-operator.js";

const rng = createRng(42);

function randomBatch(N: number, n: number, d: number): TokenBatch {
  return new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
}

function denseApply(A: Matrix, x: Float64Array): Float64Array {
  const out = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    for (let j = 0; j < A.cols; j++) s += A.get(i, j) * (x[j] as number);
    out[i] = s;
  }
  return out;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let scale = 1;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m / scale;
}

/** Independent reference of the gated design: column (j,l,k,q) row (i,l') = [l = l'] D_ij X_i[k,q]. */
function referenceDesign(
  X: TokenBatch,
  c: number,
  mask: Uint8Array | undefined,
  P: number,
): number[][] {
  const { samples: N, tokens: n, features: d } = X;
  const rows: number[][] = [];
  for (let i = 0; i < N; i++)
    for (let l = 0; l < c; l++) {
      const row: number[] = [];
      for (let j = 0; j < P; j++)
        for (let l2 = 0; l2 < c; l2++)
          for (let k = 0; k < n; k++)
            for (let q = 0; q < d; q++) {
              const on = mask === undefined || mask[i * P + j] === 1;
              row.push(on && l === l2 ? X.get(i, k, q) : 0);
            }
      rows.push(row);
    }
  return rows;
}

describe("attentionOperator", () => {
  const cases = [
    { name: "scalar (9)", N: 7, n: 3, d: 4, c: 1, P: 0 },
    { name: "vector (12)", N: 9, n: 4, d: 3, c: 3, P: 0 },
    { name: "gated (14), scalar", N: 11, n: 3, d: 2, c: 1, P: 5 },
    { name: "gated (14), vector", N: 8, n: 2, d: 3, c: 4, P: 6 },
  ];
  for (const { name, N, n, d, c, P } of cases) {
    it(`${name}: adjoint identity, and apply/adjoint/columns agree with an independent dense design`, () => {
      const X = randomBatch(N, n, d);
      const mask =
        P > 0
          ? gatePatterns(
              {
                u1: rng.fillNormal(new Float64Array(P * n)),
                u2: rng.fillNormal(new Float64Array(P * d)),
              },
              X,
            )
          : undefined;
      const A = attentionOperator(X, c, mask);
      expect(checkAdjoint(A, rng, 5)).toBeLessThan(1e-13);
      const ref = referenceDesign(X, c, mask, Math.max(P, 1));
      const dense = A.toDense?.();
      expect(dense).toBeDefined();
      expect(dense?.toRows()).toEqual(ref);
      const x = rng.fillNormal(new Float64Array(A.cols));
      const y = new Float64Array(A.rows);
      A.apply(x, y);
      expect(maxRelDiff(y, denseApply(dense as Matrix, x))).toBeLessThan(1e-13);
      // group-sparse x (the compact path skips zero blocks)
      const sparse = x.slice();
      const nd = n * d;
      for (let b = 0; b < sparse.length / nd; b += 2) sparse.fill(0, b * nd, (b + 1) * nd);
      const ys = new Float64Array(A.rows);
      A.apply(sparse, ys);
      expect(maxRelDiff(ys, denseApply(dense as Matrix, sparse))).toBeLessThan(1e-13);
      A.apply(new Float64Array(A.cols), ys);
      expect(ys.every((v) => v === 0)).toBe(true);
      const r = rng.fillNormal(new Float64Array(A.rows));
      const g = new Float64Array(A.cols);
      A.adjoint(r, g);
      expect(maxRelDiff(g, denseApply((dense as Matrix).transpose(), r))).toBeLessThan(1e-13);
      // a column range crossing block boundaries
      const start = Math.floor(A.cols / 3) + 1;
      const end = A.cols - 2;
      const part = new Float64Array(A.rows);
      A.applyColumns?.(start, end, x.slice(start, end), part);
      const padded = new Float64Array(A.cols);
      padded.set(x.slice(start, end), start);
      expect(maxRelDiff(part, denseApply(dense as Matrix, padded))).toBeLessThan(1e-13);
      const gpart = new Float64Array(end - start);
      A.adjointColumns?.(start, end, r, gpart);
      expect(maxRelDiff(gpart, g.slice(start, end))).toBeLessThan(1e-13);
      // block-aligned ranges (whole blocks only: one blocked product, no partial edges)
      for (const [s0, e0] of [
        [0, A.cols],
        [nd, Math.min(A.cols, 9 * nd)],
      ] as const) {
        const whole = new Float64Array(A.rows);
        A.applyColumns?.(s0, e0, x.slice(s0, e0), whole);
        const pad = new Float64Array(A.cols);
        pad.set(x.slice(s0, e0), s0);
        expect(maxRelDiff(whole, denseApply(dense as Matrix, pad))).toBeLessThan(1e-13);
        const gwhole = new Float64Array(e0 - s0);
        A.adjointColumns?.(s0, e0, r, gwhole);
        expect(maxRelDiff(gwhole, g.slice(s0, e0))).toBeLessThan(1e-13);
      }
    });
  }

  for (const { name, N, n, d, c, P } of cases) {
    it(`${name}: restrictColumns (whole blocks, and ranges splitting blocks) agrees with the full operator on a padded vector`, () => {
      const X = randomBatch(N, n, d);
      const mask =
        P > 0
          ? gatePatterns(
              {
                u1: rng.fillNormal(new Float64Array(P * n)),
                u2: rng.fillNormal(new Float64Array(P * d)),
              },
              X,
            )
          : undefined;
      const A = attentionOperator(X, c, mask);
      const nd = n * d;
      const blocks = A.cols / nd;
      // blocks 0, 2 and the last two (as runs of contiguous blocks; fewer for small operators)
      const chosen = [...new Set([0, 2, blocks - 2, blocks - 1])]
        .filter((b) => b >= 0 && b < blocks)
        .sort((a, b) => a - b);
      const starts: number[] = [];
      const lengths: number[] = [];
      for (const b of chosen) {
        const t = starts.length - 1;
        if (t >= 0 && (starts[t] as number) + (lengths[t] as number) === b * nd)
          lengths[t] = (lengths[t] as number) + nd;
        else {
          starts.push(b * nd);
          lengths.push(nd);
        }
      }
      const check = (starts: number[], lengths: number[], zeroSecondBlock: boolean): void => {
        const S = A.restrictColumns?.(starts, lengths);
        expect(S).toBeDefined();
        const sub = S as NonNullable<typeof S>;
        expect([sub.rows, sub.cols]).toEqual([A.rows, lengths.reduce((u, v) => u + v, 0)]);
        expect(checkAdjoint(sub, rng, 5)).toBeLessThan(1e-13);
        const embed = (v: Float64Array): Float64Array => {
          const full = new Float64Array(A.cols);
          let o = 0;
          for (let t = 0; t < starts.length; t++) {
            const a = starts[t] as number;
            const len = lengths[t] as number;
            full.set(v.subarray(o, o + len), a);
            o += len;
          }
          return full;
        };
        const pick = (full: ArrayLike<number>): Float64Array => {
          const out = new Float64Array(sub.cols);
          let o = 0;
          for (let t = 0; t < starts.length; t++) {
            const a = starts[t] as number;
            for (let j = 0; j < (lengths[t] as number); j++) out[o++] = full[a + j] as number;
          }
          return out;
        };
        const xs = rng.fillNormal(new Float64Array(sub.cols));
        if (zeroSecondBlock) xs.fill(0, nd, 2 * nd); // a zero block: the apply skips it
        const got = new Float64Array(A.rows);
        sub.apply(xs, got);
        const want = new Float64Array(A.rows);
        A.apply(embed(xs), want);
        expect(maxRelDiff(got, want)).toBeLessThan(1e-13);
        sub.apply(new Float64Array(sub.cols), got);
        expect(got.every((v) => v === 0)).toBe(true);
        const r = rng.fillNormal(new Float64Array(A.rows));
        const g = new Float64Array(A.cols);
        A.adjoint(r, g);
        const gs = new Float64Array(sub.cols);
        sub.adjoint(r, gs);
        expect(maxRelDiff(gs, pick(g))).toBeLessThan(1e-13);
        // its dense form is the kept columns of the full one
        const dense = (A.toDense as () => Matrix)();
        const subDense = sub.toDense?.();
        expect(subDense).toBeDefined();
        for (let i = 0; i < A.rows; i++) {
          const row = dense.data.subarray(i * A.cols, (i + 1) * A.cols);
          const subRow = (subDense as Matrix).data.subarray(i * sub.cols, (i + 1) * sub.cols);
          expect(Array.from(subRow)).toEqual(Array.from(pick(row)));
        }
      };
      check(starts, lengths, chosen.length > 1);
      // token-sized ranges that split blocks (one across a block boundary), when there is room
      if (blocks >= 3) check([1, 2 * nd + d], [nd, d], false);
      else check([1], [nd - 1], false);
      // ranges that overlap or leave the operator: no restriction
      expect(A.restrictColumns?.([0, 0], [nd, nd])).toBeUndefined();
      expect(A.restrictColumns?.([A.cols - nd], [2 * nd])).toBeUndefined();
    });
  }

  it("restrictColumns runs through the blocked kernels at scnn-like sizes", () => {
    const N = 600;
    const d = 40;
    const P = 30;
    const X = randomBatch(N, 1, d);
    const mask = gatePatterns(
      { u1: rng.fillNormal(new Float64Array(P)), u2: rng.fillNormal(new Float64Array(P * d)) },
      X,
    );
    const A = attentionOperator(X, 1, mask);
    const keep = [1, 4, 5, 6, 11, 20, 29];
    const S = A.restrictColumns?.(
      keep.map((b) => b * d),
      keep.map(() => d),
    );
    expect(S).toBeDefined();
    const sub = S as NonNullable<typeof S>;
    const xs = rng.fillNormal(new Float64Array(sub.cols));
    const full = new Float64Array(A.cols);
    keep.forEach((b, t) => {
      full.set(xs.subarray(t * d, (t + 1) * d), b * d);
    });
    const got = new Float64Array(A.rows);
    const want = new Float64Array(A.rows);
    sub.apply(xs, got);
    A.apply(full, want);
    expect(maxRelDiff(got, want)).toBeLessThan(1e-13);
    const r = rng.fillNormal(new Float64Array(A.rows));
    const g = new Float64Array(A.cols);
    A.adjoint(r, g);
    const gs = new Float64Array(sub.cols);
    sub.adjoint(r, gs);
    const expected = new Float64Array(sub.cols);
    keep.forEach((b, t) => {
      expected.set(g.subarray(b * d, (b + 1) * d), t * d);
    });
    expect(maxRelDiff(gs, expected)).toBeLessThan(1e-13);
  });

  it("offers no toDense for large designs, and rejects wrong lengths", () => {
    const X = TokenBatch.zeros(2000, 8, 32);
    const A = attentionOperator(X, 10);
    expect(A.toDense).toBeUndefined();
    expect(() => A.apply(new Float64Array(3), new Float64Array(A.rows))).toThrow(
      /x: expected length/,
    );
    expect(() => attentionOperator(X, 1, new Uint8Array(3))).toThrow(/mask/);
    expect(() => attentionOperator(X, 0)).toThrow(/outputs/);
  });
});

describe("sequenceOperator", () => {
  for (const signs of [2, 1] as const) {
    it(`signs = ${signs}: adjoint identity and agreement with the defining formula`, () => {
      const N = 5;
      const n = 3;
      const d = 2;
      const c = 2;
      const X = randomBatch(N, n, d);
      const A = sequenceOperator(X, c, signs);
      expect(A.cols).toBe(d * c * signs * n * n);
      expect(checkAdjoint(A, rng, 5)).toBeLessThan(1e-13);
      const x = rng.fillNormal(new Float64Array(A.cols));
      const y = new Float64Array(A.rows);
      A.apply(x, y);
      // Ŷ_i[k, l] = Σ_q Σ_m (C⁺ − C⁻)_{ql}[k, m] X_i[m, q]
      const nn = n * n;
      for (let i = 0; i < N; i++)
        for (let k = 0; k < n; k++)
          for (let l = 0; l < c; l++) {
            let s = 0;
            for (let q = 0; q < d; q++)
              for (let m = 0; m < n; m++) {
                const base = (q * c + l) * signs * nn + k * n + m;
                const b =
                  signs === 2
                    ? (x[base] as number) - (x[base + nn] as number)
                    : (x[base] as number);
                s += b * X.get(i, m, q);
              }
            expect(Math.abs((y[(i * n + k) * c + l] as number) - s)).toBeLessThan(1e-12);
          }
      const dense = A.toDense?.() as Matrix;
      expect(maxRelDiff(y, denseApply(dense, x))).toBeLessThan(1e-13);
    });
  }
});

describe("sampleGates", () => {
  it("is seeded, removes duplicate and never-active patterns, and keeps the patterns of the kept gates", () => {
    // 3 samples: at most 2^3 − 1 distinct nonzero patterns, so many of 50 gates are duplicates
    const X = randomBatch(3, 2, 2);
    const a = sampleGates(X, 50, { seed: 9 });
    const b = sampleGates(X, 50, { seed: 9 });
    expect(Array.from(a.u1)).toEqual(Array.from(b.u1));
    expect(a.count + a.dropped).toBe(50);
    expect(a.count).toBeLessThanOrEqual(7);
    const patterns = new Set<string>();
    for (let j = 0; j < a.count; j++) {
      const col = [0, 1, 2].map((i) => a.mask[i * a.count + j]).join("");
      expect(col).not.toBe("000");
      patterns.add(col);
    }
    expect(patterns.size).toBe(a.count);
    expect(Array.from(gatePatterns(a, X))).toEqual(Array.from(a.mask));
    const all = sampleGates(X, 50, { seed: 9, keepDuplicates: true });
    expect(all.count).toBe(50);
    // D_ij = 1[u1ᵀ X_i u2 ≥ 0], checked directly
    for (let j = 0; j < 50; j++)
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let k = 0; k < 2; k++)
          for (let q = 0; q < 2; q++)
            s += (all.u1[j * 2 + k] as number) * X.get(i, k, q) * (all.u2[j * 2 + q] as number);
        expect(all.mask[i * 50 + j]).toBe(s >= 0 ? 1 : 0);
      }
    expect(() => sampleGates(X, 0)).toThrow(/count/);
    expect(() => sampleGates(X, 5, { sead: 1 } as never)).toThrow(/unknown option/);
  });
});
