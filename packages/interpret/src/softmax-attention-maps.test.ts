import { simplexAttentionForward, standardAttentionForward } from "@convexformer/attention";
import { createRng, type Matrix, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { headTokenWeights, simplexMaps } from "./simplex-maps.js";
import { softmaxAttentionMaps } from "./softmax-attention-maps.js";
import { softmaxAttentionSparsity } from "./softmax-attention-sparsity.js";
import { mapSparsity } from "./sparsity.js";

describe("softmax attention maps of (3)", () => {
  it("a hand-computed case: X = [1; −1], W_Q = W_K = 1", () => {
    const w = {
      heads: 1,
      features: 1,
      hidden: 1,
      outputs: 1,
      WQ: new Float64Array([1]),
      WK: new Float64Array([1]),
      WV: new Float64Array([1]),
      WO: new Float64Array([1]),
    };
    const a = softmaxAttentionMaps(w, new TokenBatch(1, 2, 1, new Float64Array([1, -1])));
    // scores [[1, −1], [−1, 1]]: row 1 = softmax(1, −1), row 2 = softmax(−1, 1)
    const hi = Math.E / (Math.E + 1 / Math.E);
    const lo = 1 - hi;
    expect(Array.from(a.maps)).toEqual([
      expect.closeTo(hi, 15),
      expect.closeTo(lo, 15),
      expect.closeTo(lo, 15),
      expect.closeTo(hi, 15),
    ]);
    expect(a.mean[0]?.toRows()).toEqual([
      [expect.closeTo(hi, 15), expect.closeTo(lo, 15)],
      [expect.closeTo(lo, 15), expect.closeTo(hi, 15)],
    ]);
  });

  it("averages over inputs and heads; the maps reproduce the float64 forward of (3)", () => {
    const rng = createRng(9);
    const h = 2;
    const d = 3;
    const m = 2;
    const c = 2;
    const n = 4;
    const N = 5;
    const w = {
      heads: h,
      features: d,
      hidden: m,
      outputs: c,
      WQ: rng.fillNormal(new Float64Array(h * d * m)),
      WK: rng.fillNormal(new Float64Array(h * d * m)),
      WV: rng.fillNormal(new Float64Array(h * d * m)),
      WO: rng.fillNormal(new Float64Array(h * m * c)),
    };
    const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
    const a = softmaxAttentionMaps(w, X);
    expect(a.maps.length).toBe(N * h * n * n);
    // rows are distributions
    for (let r = 0; r < N * h * n; r++) {
      const row = a.maps.subarray(r * n, (r + 1) * n);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    }
    // Ŷ_i = Σ_j A_ij X_i W_Vj W_Oj
    const y = standardAttentionForward(w, X);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < n; k++) {
        for (let l = 0; l < c; l++) {
          let s = 0;
          for (let j = 0; j < h; j++) {
            for (let t = 0; t < n; t++) {
              let v = 0;
              for (let q = 0; q < d; q++)
                for (let r = 0; r < m; r++)
                  v +=
                    X.get(i, t, q) *
                    (w.WV[(j * d + q) * m + r] as number) *
                    (w.WO[(j * m + r) * c + l] as number);
              s += (a.maps[((i * h + j) * n + k) * n + t] as number) * v;
            }
          }
          expect(s).toBeCloseTo(y[(i * n + k) * c + l] as number, 12);
        }
      }
    }
    // mean over inputs, and over heads
    const e = 1 * n + 2;
    let sum = 0;
    for (let i = 0; i < N; i++) sum += a.maps[(i * h + 1) * n * n + e] as number;
    expect(a.mean[1]?.data[e]).toBeCloseTo(sum / N, 15);
    expect(a.meanOverHeads.data[e]).toBeCloseTo(
      ((a.mean[0]?.data[e] as number) + (a.mean[1]?.data[e] as number)) / 2,
      15,
    );
  });

  it("rejects a feature mismatch and short weights", () => {
    const w = {
      heads: 1,
      features: 2,
      hidden: 1,
      outputs: 1,
      WQ: new Float64Array(2),
      WK: new Float64Array(2),
      WV: new Float64Array(2),
      WO: new Float64Array(1),
    };
    expect(() => softmaxAttentionMaps(w, new TokenBatch(1, 2, 1))).toThrow(
      /X: expected 2 features/,
    );
    expect(() =>
      softmaxAttentionMaps({ ...w, WK: new Float64Array(1) }, new TokenBatch(1, 2, 2)),
    ).toThrow(expect.objectContaining({ code: "shape-mismatch", argument: "weights.WK" }));
  });
});

describe("simplex maps of (4), (8), (30)", () => {
  it("exact instance 3: the optimum of (4) attends to token 1 from both rows", () => {
    const s = Math.SQRT1_2;
    const w = {
      heads: 1,
      tokens: 2,
      features: 1,
      hidden: 1,
      outputs: 1,
      W1: new Float64Array([1, 0, 1, 0]),
      WV: new Float64Array([s]),
      WO: new Float64Array([s]),
    };
    const m = simplexMaps(w);
    expect(m.mean.toRows()).toEqual([
      [1, 0],
      [1, 0],
    ]);
    // the map reproduces the forward of (4): Ŷ = W1 X WV WO
    const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
    const y = simplexAttentionForward(w, X);
    expect(y[0]).toBeCloseTo(0.5, 15);
    expect(y[1]).toBeCloseTo(0.5, 15);
  });

  it("means over heads, copies, and the w_1j rows of (8)", () => {
    const W1 = new Float64Array([1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5]);
    const m = simplexMaps({
      heads: 2,
      tokens: 2,
      features: 1,
      outputs: 1,
      W1,
      W2: new Float64Array(2),
      alpha: new Float64Array(2),
    });
    expect(m.mean.toRows()).toEqual([
      [0.75, 0.25],
      [0.25, 0.75],
    ]);
    W1[0] = 7;
    expect(m.heads[0]?.get(0, 0)).toBe(1);
    const t = headTokenWeights({
      heads: 2,
      tokens: 3,
      features: 1,
      outputs: 1,
      w1: new Float64Array([0, 1, 0, 0.2, 0.3, 0.5]),
      w2: new Float64Array(2),
      alpha: new Float64Array(2),
    });
    expect(t.toRows()).toEqual([
      [0, 1, 0],
      [0.2, 0.3, 0.5],
    ]);
    expect(() =>
      headTokenWeights({
        heads: 2,
        tokens: 3,
        features: 1,
        outputs: 1,
        w1: new Float64Array(5),
        w2: new Float64Array(2),
        alpha: new Float64Array(2),
      }),
    ).toThrow(/weights\.w1: expected a Float64Array of length 6/);
  });
});

describe("softmax attention sparsity, per input", () => {
  it("sharp maps that attend to different tokens: sparse per input, uniform on average", () => {
    // tokens x_k = (a_k, 1), query 50·1, key a_m: every row attends to the token with the
    // larger a; input 1 has a = (1, −1) (token 1), input 2 a = (−1, 1) (token 2), so each
    // input's map is one-hot while the mean over the two inputs is uniform
    const w = {
      heads: 1,
      features: 2,
      hidden: 1,
      outputs: 1,
      WQ: new Float64Array([0, 50]),
      WK: new Float64Array([1, 0]),
      WV: new Float64Array(2),
      WO: new Float64Array([1]),
    };
    const maps = softmaxAttentionMaps(
      w,
      new TokenBatch(2, 2, 2, new Float64Array([1, 1, -1, 1, -1, 1, 1, 1])),
    );
    const s = softmaxAttentionSparsity(maps);
    expect(s.perHead[0]?.rows).toHaveLength(4);
    expect(s.mean.entropy).toBeLessThan(1e-40);
    expect(s.mean.effectiveTokens).toBeCloseTo(1, 12);
    expect(mapSparsity(maps.mean[0] as Matrix).mean.entropy).toBeCloseTo(1, 12);
    const causal = softmaxAttentionSparsity(maps, { causal: true });
    expect(causal.perHead[0]?.rows.map((r) => r.effectiveTokens)).toEqual([
      1,
      expect.closeTo(1, 12),
      1,
      expect.closeTo(1, 12),
    ]);
  });
});
