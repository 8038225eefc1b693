import { createRng, InvalidOptionError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { equalRowSumRegularizer } from "./equal-row-sum-regularizer.js";
import { maxRowSumRelaxation } from "./max-row-sum-relaxation.js";

/** Euclidean projection of v onto {c ≥ 0, Σ c = t} by bisection on the threshold (independent of the sort-based code). */
function projectScaledSimplex(v: Float64Array, t: number): Float64Array {
  let lo = Math.min(...v) - t - 1;
  let hi = Math.max(...v);
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    let s = 0;
    for (const x of v) s += Math.max(x - mid, 0);
    if (s > t) lo = mid;
    else hi = mid;
  }
  const th = (lo + hi) / 2;
  return v.map((x) => Math.max(x - th, 0));
}

/** Projection onto the ℓ1 ball of radius t. */
function projectL1Ball(v: Float64Array, t: number): Float64Array {
  let s = 0;
  for (const x of v) s += Math.abs(x);
  if (s <= t) return v.slice();
  const p = projectScaledSimplex(v.map(Math.abs), t);
  return p.map((a, i) => Math.sign(v[i] as number) * a);
}

/** Brute force prox: golden-section search over t of Σ_k ½ dist²(v_k, K_t) + τ t. */
function bruteProx(
  v: Float64Array,
  n: number,
  tau: number,
  mode: "simplex" | "ball",
): { value: number; x: Float64Array } {
  const rows = Array.from({ length: n }, (_, k) => v.slice(k * n, (k + 1) * n));
  const solveAt = (t: number) => {
    const x = new Float64Array(n * n);
    let f = tau * t;
    rows.forEach((row, k) => {
      const p = mode === "simplex" ? projectScaledSimplex(row, t) : projectL1Ball(row, t);
      x.set(p, k * n);
      for (let m = 0; m < n; m++) f += 0.5 * ((p[m] as number) - (row[m] as number)) ** 2;
    });
    return { value: f, x };
  };
  let a = 0;
  let b = 0;
  for (const x of v) b += Math.abs(x);
  b = b + 1;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 300; it++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (solveAt(c).value < solveAt(d).value) b = d;
    else a = c;
  }
  return solveAt((a + b) / 2);
}

function proxObjective(x: Float64Array, v: Float64Array, tau: number, value: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += 0.5 * ((x[i] as number) - (v[i] as number)) ** 2;
  return s + tau * value;
}

describe("equalRowSumRegularizer", () => {
  it("prox matches a brute-force minimization and lands in the cone", () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + (trial % 5);
      const v = rng.fillNormal(new Float64Array(n * n));
      const tau = 0.05 + rng.uniform() * 1.5;
      const R = equalRowSumRegularizer(1, n);
      const out = new Float64Array(n * n);
      R.prox(v, tau, out);
      const value = R.value(out);
      expect(Number.isFinite(value)).toBe(true);
      const ours = proxObjective(out, v, tau, value);
      const brute = bruteProx(v, n, tau, "simplex");
      expect(ours).toBeLessThanOrEqual(brute.value + 1e-10);
      expect(Math.abs(ours - brute.value)).toBeLessThan(1e-8);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(brute.x[i] as number, 5);
    }
  });

  it("prox is the zero block exactly when Σ_k max_m v_km ≤ τ, and works in place", () => {
    const R = equalRowSumRegularizer(2, 2);
    const v = new Float64Array([0.3, -1, 0.2, 0.1, 2, 1, 1, 2]);
    R.prox(v, 0.5, v); // block 1: 0.3 + 0.2 = 0.5 ≤ 0.5 → 0; block 2: rows (2,1), (1,2)
    expect(Array.from(v.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    // block 2: minimize over t; rows project onto tΔ: [2-θ, 1-θ] etc.; Σθ = τ = 0.5 → θ = 0.25 per row
    expect(Array.from(v.subarray(4))).toEqual([1.75, 0.75, 0.75, 1.75]);
    expect(R.value(v)).toBeCloseTo(2.5, 14);
  });

  it("value rejects points off the cone; polar is the support function of the unit ball", () => {
    const R = equalRowSumRegularizer(1, 3);
    expect(R.value(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 0.5]))).toBe(Infinity);
    expect(R.value(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, -1]))).toBe(Infinity);
    expect(R.value(new Float64Array([0.5, 0.5, 0, 0, 1, 0, 0.25, 0.25, 0.5]))).toBe(1);
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const V = rng.fillNormal(new Float64Array(9));
      const polar = R.polar(V);
      // brute force: the max of ⟨V, C⟩ over the extreme points 0 and the 0/1 row-stochastic matrices
      let best = 0;
      for (let a = 0; a < 3; a++)
        for (let b = 0; b < 3; b++)
          for (let c = 0; c < 3; c++)
            best = Math.max(best, (V[a] as number) + (V[3 + b] as number) + (V[6 + c] as number));
      expect(polar).toBeCloseTo(best, 14);
    }
  });

  it("Moreau-type consistency: prox output satisfies the optimality inequality against random cone points", () => {
    const rng = createRng(5);
    const n = 4;
    const R = equalRowSumRegularizer(1, n);
    const v = rng.fillNormal(new Float64Array(n * n), 0.5, 1);
    const tau = 0.7;
    const p = new Float64Array(n * n);
    R.prox(v, tau, p);
    const fp = proxObjective(p, v, tau, R.value(p));
    for (let trial = 0; trial < 200; trial++) {
      // random point of the cone: t · (random row-stochastic)
      const t = rng.uniform() * 3;
      const c = new Float64Array(n * n);
      for (let k = 0; k < n; k++) {
        const row = rng.fillUniform(new Float64Array(n));
        const s = row.reduce((a, b) => a + b, 0);
        for (let m = 0; m < n; m++) c[k * n + m] = (t * (row[m] as number)) / s;
      }
      // convex combination towards p must not decrease the prox objective below fp
      for (const w of [1, 0.1, 0.01]) {
        const q = p.map((x, i) => (1 - w) * x + w * (c[i] as number));
        expect(proxObjective(q, v, tau, R.value(q))).toBeGreaterThanOrEqual(fp - 1e-12);
      }
    }
  });
});

describe("maxRowSumRelaxation (relaxation)", () => {
  it("prox matches a brute-force minimization", () => {
    const rng = createRng(21);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + (trial % 5);
      const v = rng.fillNormal(new Float64Array(n * n));
      const tau = 0.05 + rng.uniform() * 1.5;
      const R = maxRowSumRelaxation(1, n);
      const out = new Float64Array(n * n);
      R.prox(v, tau, out);
      const ours = proxObjective(out, v, tau, R.value(out));
      const brute = bruteProx(v, n, tau, "ball");
      expect(ours).toBeLessThanOrEqual(brute.value + 1e-10);
      expect(Math.abs(ours - brute.value)).toBeLessThan(1e-8);
    }
  });

  it("polar is Σ_k max_m |V_km|, and the relaxed penalty never exceeds the exact one", () => {
    const R = maxRowSumRelaxation(1, 2);
    expect(R.polar(new Float64Array([1, -3, 0.5, 0.25]))).toBe(3.5);
    const exact = equalRowSumRegularizer(2, 3);
    const rng = createRng(8);
    for (let trial = 0; trial < 20; trial++) {
      const t = [rng.uniform(), rng.uniform()];
      const cp = new Float64Array(18);
      for (let s = 0; s < 2; s++)
        for (let k = 0; k < 3; k++) {
          const row = rng.fillUniform(new Float64Array(3));
          const sum = row.reduce((a, b) => a + b, 0);
          for (let m = 0; m < 3; m++)
            cp[s * 9 + k * 3 + m] = ((t[s] as number) * (row[m] as number)) / sum;
        }
      const diff = new Float64Array(9).map((_, e) => (cp[e] as number) - (cp[9 + e] as number));
      expect(maxRowSumRelaxation(1, 3).value(diff)).toBeLessThanOrEqual(exact.value(cp) + 1e-12);
    }
  });
});

describe("row-sum gauges reject a negative prox step", () => {
  it.each([
    ["exact (33)", equalRowSumRegularizer(1, 2)],
    ["relaxation", maxRowSumRelaxation(1, 2)],
  ])("%s: prox with t < 0 or NaN is an invalid-option error naming t", (_name, R) => {
    for (const t of [-1, Number.NaN]) {
      try {
        R.prox(new Float64Array(4), t, new Float64Array(4));
        throw new Error("expected a throw");
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).argument).toBe("t");
      }
    }
  });
});
