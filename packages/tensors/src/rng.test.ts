import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "./errors.js";
import { createRng, Rng } from "./rng.js";

describe("Rng core (xoshiro128**)", () => {
  it("matches the reference C implementation from state {1, 2, 3, 4}", () => {
    // produced by Blackman & Vigna's xoshiro128starstar.c, doubles built as
    // ((next() >> 5) * 2^26 + (next() >> 6)) / 2^53
    const r = new Rng(1, 2, 3, 4);
    const expected = [
      2.6822090148925781e-6, 0.0013799966610139602, 0.47304711029826541, 0.29970869324795935,
      0.86824889474679623, 0.078656952819622816,
    ];
    for (const e of expected) expect(r.uniform()).toBe(e);
  });

  it("pins the first values of createRng(42) (the cross-platform contract)", () => {
    const r = createRng(42);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([
      0.005193792117316076, 0.3690835201559689, 0.16581277685856766,
    ]);
    expect(Array.from(createRng(42).permutation(10))).toEqual([6, 5, 1, 3, 8, 0, 7, 2, 9, 4]);
    expect(createRng(42).integer(0, 1000)).toBe(164);
  });

  it("is deterministic per seed and differs between seeds, including the high 32 bits", () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 8 }, () => r.uniform());
    };
    expect(draw(123)).toEqual(draw(123));
    const seeds = [0, 1, -1, 2 ** 32, 2 ** 32 + 1, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER];
    const firsts = seeds.map((s) => draw(s)[0]);
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it("rejects seeds that are not safe integers", () => {
    expect(() => createRng(1.5)).toThrow(InvalidOptionError);
    expect(() => createRng(Number.NaN)).toThrow(InvalidOptionError);
    expect(() => createRng(2 ** 60)).toThrow(/seed/);
  });

  it("never uses the all-zero state", () => {
    const r = new Rng(0, 0, 0, 0);
    const values = Array.from({ length: 4 }, () => r.uniform());
    expect(values.some((v) => v !== 0)).toBe(true);
  });
});

describe("uniform", () => {
  it("stays in [0, 1) with the moments of U(0, 1)", () => {
    const r = createRng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      s += u;
      s2 += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // mean 1/2 (sd of the mean 0.29/√n ≈ 6.5e-4), variance 1/12
    expect(Math.abs(s / n - 0.5)).toBeLessThan(4e-3);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(2e-3);
  });

  it("fillUniform scales to [low, high) and validates its bounds", () => {
    const out = createRng(2).fillUniform(new Float64Array(10_000), -3, 5);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of out) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(-3);
    expect(hi).toBeLessThan(5);
    expect(lo).toBeLessThan(-2.9);
    expect(hi).toBeGreaterThan(4.9);
    // same stream as uniform()
    const a = createRng(2);
    const b = createRng(2).fillUniform(new Float64Array(3));
    expect(Array.from(b)).toEqual([a.uniform(), a.uniform(), a.uniform()]);
    expect(() => createRng(2).fillUniform(new Float64Array(1), 1, 0)).toThrow(InvalidOptionError);
    expect(() => createRng(2).fillUniform(new Float64Array(1), Number.NaN)).toThrow(/low/);
    expect(() =>
      createRng(2).fillUniform(new Float64Array(1), -Number.MAX_VALUE, Number.MAX_VALUE),
    ).toThrow(InvalidOptionError);
  });
});

describe("normal", () => {
  it("has the first four moments of N(0, 1)", () => {
    const r = createRng(7);
    const n = 200_000;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      m1 += z;
      m2 += z * z;
      m3 += z * z * z;
      m4 += z * z * z * z;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.01);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(m3 / n)).toBeLessThan(0.04);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.08);
  });

  it("puts about 68.27% of the mass within one standard deviation", () => {
    const r = createRng(8);
    const n = 100_000;
    let inside = 0;
    for (let i = 0; i < n; i++) if (Math.abs(r.normal()) < 1) inside++;
    expect(Math.abs(inside / n - 0.682689)).toBeLessThan(0.006);
  });

  it("is reproducible per seed, and fillNormal applies mean and std to the same stream", () => {
    const a = createRng(11);
    const z = [a.normal(), a.normal(), a.normal()];
    const b = createRng(11).fillNormal(new Float64Array(3), 2, 0.5);
    expect(Array.from(b)).toEqual(z.map((v) => 2 + 0.5 * v));
    expect(() => createRng(1).fillNormal(new Float64Array(1), 0, -1)).toThrow(/std/);
    expect(() => createRng(1).fillNormal(new Float64Array(1), Number.POSITIVE_INFINITY)).toThrow(
      /mean/,
    );
  });
});

describe("integer", () => {
  it("covers [min, max) uniformly (chi-square) and never leaves it", () => {
    const r = createRng(3);
    const k = 7;
    const n = 70_000;
    const counts = new Array<number>(k).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = r.integer(-3, 4);
      if (!(Number.isInteger(v) && v >= -3 && v < 4)) outside++;
      else counts[v + 3]!++;
    }
    expect(outside).toBe(0);
    const e = n / k;
    const chi2 = counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001
    expect(chi2).toBeLessThan(22.46);
  });

  it("handles ranges of one, of exactly 2^32 and above 2^32", () => {
    const r = createRng(4);
    expect(r.integer(5, 6)).toBe(5);
    for (let i = 0; i < 100; i++) {
      const a = r.integer(0, 2 ** 32);
      expect(a >= 0 && a < 2 ** 32 && Number.isInteger(a)).toBe(true);
      const b = r.integer(-(2 ** 52), 2 ** 52);
      expect(b >= -(2 ** 52) && b < 2 ** 52 && Number.isInteger(b)).toBe(true);
    }
    // above 2^32 the high bits are used: the top half of a 2^50 range is hit about half the time
    let high = 0;
    for (let i = 0; i < 2000; i++) if (r.integer(0, 2 ** 50) >= 2 ** 49) high++;
    expect(Math.abs(high / 2000 - 0.5)).toBeLessThan(0.05);
  });

  it("rejects empty, fractional and oversized ranges", () => {
    const r = createRng(4);
    expect(() => r.integer(3, 3)).toThrow(/maxExclusive/);
    expect(() => r.integer(0.5, 3)).toThrow(/minInclusive/);
    expect(() => r.integer(0, Number.POSITIVE_INFINITY)).toThrow(InvalidOptionError);
    expect(() => r.integer(-(2 ** 53) + 1, 2 ** 53 - 1)).toThrow(/2\^53/);
  });
});

describe("permutation", () => {
  it("returns every index exactly once", () => {
    const r = createRng(5);
    for (const n of [0, 1, 2, 17, 1000]) {
      const p = r.permutation(n);
      expect(p).toBeInstanceOf(Int32Array);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it("is uniform over the 6 permutations of 3 items (chi-square)", () => {
    const r = createRng(6);
    const counts = new Map<string, number>();
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const key = r.permutation(3).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const e = n / 6;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - e) ** 2 / e;
    // 5 degrees of freedom: P(chi2 > 20.52) = 0.001
    expect(chi2).toBeLessThan(20.52);
  });

  it("rejects bad sizes", () => {
    expect(() => createRng(1).permutation(-1)).toThrow(InvalidOptionError);
    expect(() => createRng(1).permutation(2.5)).toThrow(/n/);
  });
});

describe("zipf", () => {
  it("stays in [0, n) and matches P(k) ∝ (k + 1)^−s (chi-square)", () => {
    const r = createRng(9);
    const n = 10;
    const s = 1.2;
    const draws = 50_000;
    const counts = new Array<number>(n).fill(0);
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const k = r.zipf(n, s);
      if (!(Number.isInteger(k) && k >= 0 && k < n)) outside++;
      else counts[k]!++;
    }
    expect(outside).toBe(0);
    const weights = Array.from({ length: n }, (_, k) => (k + 1) ** -s);
    const z = weights.reduce((a, b) => a + b, 0);
    let chi2 = 0;
    for (let k = 0; k < n; k++) {
      const e = (draws * weights[k]!) / z;
      chi2 += (counts[k]! - e) ** 2 / e;
    }
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001
    expect(chi2).toBeLessThan(27.88);
    expect(counts[0]!).toBeGreaterThan(counts[n - 1]! * 10);
  });

  it("is uniform for exponent 0 and constant for n = 1", () => {
    const r = createRng(10);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.zipf(4, 0)]!++;
    for (const c of counts) expect(Math.abs(c / 40_000 - 0.25)).toBeLessThan(0.01);
    expect(r.zipf(1, 3)).toBe(0);
  });

  it("uses one uniform draw per call (streams stay aligned)", () => {
    const a = createRng(12);
    a.zipf(50, 1);
    const b = createRng(12);
    b.uniform();
    expect(a.uniform()).toBe(b.uniform());
  });

  it("rejects bad parameters", () => {
    const r = createRng(1);
    expect(() => r.zipf(0, 1)).toThrow(/n/);
    expect(() => r.zipf(2 ** 23, 1)).toThrow(InvalidOptionError);
    expect(() => r.zipf(10, -1)).toThrow(/exponent/);
    expect(() => r.zipf(10, Number.NaN)).toThrow(/exponent/);
  });
});

describe("split", () => {
  it("gives reproducible children whose streams differ from the parent and each other", () => {
    const root = createRng(0);
    const c1 = root.split();
    const c2 = root.split();
    const again = createRng(0);
    const d1 = again.split();
    const take = (r: Rng) => Array.from({ length: 16 }, () => r.uniform());
    const s1 = take(c1);
    expect(take(d1)).toEqual(s1);
    const s2 = take(c2);
    const sp = take(root);
    const all = new Set([...s1, ...s2, ...sp]);
    expect(all.size).toBe(48);
  });

  it("children are uncorrelated with the parent", () => {
    const root = createRng(77);
    const child = root.split();
    const n = 50_000;
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += (root.uniform() - 0.5) * (child.uniform() - 0.5);
    // correlation estimate: sd ≈ 1/√n
    expect(Math.abs((sxy / n) * 12)).toBeLessThan(0.02);
  });
});
