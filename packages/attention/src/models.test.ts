import { squaredLoss } from "@convexformer/solvers";
import { ConvexformerError, createRng, Matrix, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionForward, attentionObjective } from "./attention-network.js";
import { gatePatterns } from "./gate-patterns.js";
import { sequenceAttentionForward } from "./sequence-attention.js";
import { simplexAttentionForward } from "./simplex-attention.js";
import { standardAttentionForward } from "./standard-attention.js";
import { tokenImportance } from "./token-importance.js";

const rng = createRng(5);

function stochastic(rows: number, cols: number): Float64Array {
  const out = rng.fillUniform(new Float64Array(rows * cols));
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += out[r * cols + k] as number;
    for (let k = 0; k < cols; k++) out[r * cols + k] = (out[r * cols + k] as number) / s;
  }
  return out;
}

const mat = (data: Float64Array, rows: number, cols: number) =>
  new Matrix(rows, cols, data.slice());

function matmul(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
      out.set(i, j, s);
    }
  return out;
}

describe("model forward maps against literal matrix products", () => {
  const N = 4;
  const n = 3;
  const d = 2;
  const c = 2;
  const h = 3;
  const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));

  it("(30): Ŷ_i = Σ_j α_j W_1j X_i W_2j", () => {
    const w = {
      heads: h,
      tokens: n,
      features: d,
      outputs: c,
      W1: stochastic(h * n, n),
      W2: rng.fillNormal(new Float64Array(h * d * c)),
      alpha: rng.fillNormal(new Float64Array(h)),
    };
    const Y = sequenceAttentionForward(w, X);
    for (let i = 0; i < N; i++) {
      const ref = new Matrix(n, c);
      for (let j = 0; j < h; j++) {
        const p = matmul(
          matmul(mat(w.W1.subarray(j * n * n, (j + 1) * n * n), n, n), X.sample(i)),
          mat(w.W2.subarray(j * d * c, (j + 1) * d * c), d, c),
        );
        for (let e = 0; e < n * c; e++)
          ref.data[e] = (ref.data[e] as number) + (w.alpha[j] as number) * (p.data[e] as number);
      }
      for (let e = 0; e < n * c; e++)
        expect(Math.abs((Y[i * n * c + e] as number) - (ref.data[e] as number))).toBeLessThan(
          1e-13,
        );
    }
  });

  it("(4) with W_V W_O = W_2 equals (30) with α = 1", () => {
    const m = 2;
    const W1 = stochastic(h * n, n);
    const WV = rng.fillNormal(new Float64Array(h * d * m));
    const WO = rng.fillNormal(new Float64Array(h * m * c));
    const W2 = new Float64Array(h * d * c);
    for (let j = 0; j < h; j++) {
      const p = matmul(
        mat(WV.subarray(j * d * m, (j + 1) * d * m), d, m),
        mat(WO.subarray(j * m * c, (j + 1) * m * c), m, c),
      );
      W2.set(p.data, j * d * c);
    }
    const a = simplexAttentionForward(
      { heads: h, tokens: n, features: d, hidden: m, outputs: c, W1, WV, WO },
      X,
    );
    const b = sequenceAttentionForward(
      { heads: h, tokens: n, features: d, outputs: c, W1, W2, alpha: new Float64Array(h).fill(1) },
      X,
    );
    for (let e = 0; e < a.length; e++)
      expect(Math.abs((a[e] as number) - (b[e] as number))).toBeLessThan(1e-13);
  });

  it("(3): rows of softmax attention are convex combinations of the value rows", () => {
    const m = 2;
    const w = {
      heads: 1,
      features: d,
      hidden: m,
      outputs: 1,
      WQ: rng.fillNormal(new Float64Array(d * m)),
      WK: rng.fillNormal(new Float64Array(d * m)),
      WV: rng.fillNormal(new Float64Array(d * m)),
      WO: rng.fillNormal(new Float64Array(m)),
    };
    const Y = standardAttentionForward(w, X);
    for (let i = 0; i < N; i++) {
      const V = matmul(matmul(X.sample(i), mat(w.WV, d, m)), mat(w.WO, m, 1));
      const lo = Math.min(...V.data);
      const hi = Math.max(...V.data);
      for (let k = 0; k < n; k++) {
        const v = Y[i * n + k] as number;
        expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(v).toBeLessThanOrEqual(hi + 1e-12);
      }
    }
  });

  it("(8)/(11)/(13): ŷ_il = Σ_j D_ij (w_1jᵀ X_i w_2j) α_jl, and the penalty uses ‖α_j‖₁²", () => {
    const gates = {
      u1: rng.fillNormal(new Float64Array(h * n)),
      u2: rng.fillNormal(new Float64Array(h * d)),
    };
    const w = {
      heads: h,
      tokens: n,
      features: d,
      outputs: c,
      w1: stochastic(h, n),
      w2: rng.fillNormal(new Float64Array(h * d)),
      alpha: rng.fillNormal(new Float64Array(h * c)),
      gates,
    };
    const D = gatePatterns(gates, X);
    const y = attentionForward(w, X);
    const yu = attentionForward({ ...w, gates: undefined } as never, X);
    for (let i = 0; i < N; i++)
      for (let l = 0; l < c; l++) {
        let s = 0;
        let su = 0;
        for (let j = 0; j < h; j++) {
          const v =
            matmul(
              matmul(mat(w.w1.subarray(j * n, (j + 1) * n), 1, n), X.sample(i)),
              mat(w.w2.subarray(j * d, (j + 1) * d), d, 1),
            ).get(0, 0) * (w.alpha[j * c + l] as number);
          su += v;
          if (D[i * h + j] === 1) s += v;
        }
        expect(Math.abs((y[i * c + l] as number) - s)).toBeLessThan(1e-13);
        expect(Math.abs((yu[i * c + l] as number) - su)).toBeLessThan(1e-13);
      }
    const loss = squaredLoss(new Float64Array(N * c), { outputs: c });
    let penalty = 0;
    for (let j = 0; j < h; j++) {
      penalty += Math.hypot(...w.w2.subarray(j * d, (j + 1) * d)) ** 2;
      penalty +=
        Math.abs(w.alpha[j * c] as number) + Math.abs(w.alpha[j * c + 1] as number) === 0
          ? 0
          : (Math.abs(w.alpha[j * c] as number) + Math.abs(w.alpha[j * c + 1] as number)) ** 2;
    }
    const expected = loss.value(y) + (0.3 / 2) * penalty;
    expect(Math.abs(attentionObjective(w, X, loss, 0.3) - expected)).toBeLessThan(1e-12);
  });

  it("rejects attention rows off the simplex and mismatched shapes with typed errors", () => {
    const w = {
      heads: 1,
      tokens: n,
      features: d,
      outputs: 1,
      w1: new Float64Array([0.5, 0.6, -0.1]),
      w2: new Float64Array(d),
      alpha: new Float64Array(1),
    };
    expect(() => attentionForward(w, X)).toThrow(ConvexformerError);
    expect(() => attentionForward({ ...w, w1: new Float64Array([0.5, 0.25, 0.2]) }, X)).toThrow(
      /sum to 1/,
    );
    expect(() =>
      attentionForward({ ...w, w1: new Float64Array([1, 0, 0]), w2: new Float64Array(3) }, X),
    ).toThrow(/weights.w2/);
    expect(() =>
      attentionForward({ ...w, w1: new Float64Array([1, 0, 0]) }, new TokenBatch(1, 2, 2)),
    ).toThrow(/X/);
    expect(() =>
      attentionObjective(
        { ...w, w1: new Float64Array([1, 0, 0]) },
        X,
        squaredLoss(new Float64Array(3)),
        1,
      ),
    ).toThrow(/loss/);
  });
});

describe("tokenImportance", () => {
  it("row norms per gate, output and token, and their sums", () => {
    const layout = { gates: 2, outputs: 2, tokens: 3, features: 2 };
    const x = rng.fillNormal(new Float64Array(24));
    const t = tokenImportance(x, layout);
    for (let j = 0; j < 2; j++)
      for (let l = 0; l < 2; l++)
        for (let k = 0; k < 3; k++) {
          const g = (j * 2 + l) * 3 + k;
          expect(t.norms[g]).toBeCloseTo(
            Math.hypot(x[2 * g] as number, x[2 * g + 1] as number),
            14,
          );
        }
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let g = k; g < 12; g += 3) s += t.norms[g] as number;
      expect(t.perToken[k]).toBeCloseTo(s, 13);
      expect((t.perOutput[k] as number) + (t.perOutput[3 + k] as number)).toBeCloseTo(s, 13);
      expect((t.perGate[k] as number) + (t.perGate[3 + k] as number)).toBeCloseTo(s, 13);
    }
  });
});
