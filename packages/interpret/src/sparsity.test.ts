import { Matrix } from "@convexformer/tensors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapSparsity, rowSparsity, sparsityOf } from "./sparsity.js";

describe("sparsity measures", () => {
  it("one-hot rows: entropy 0, one effective token, top-1 mass 1, Gini 1 − 1/n", () => {
    for (const n of [1, 2, 5, 64]) {
      const row = new Float64Array(n);
      row[n - 1] = 3;
      const s = rowSparsity(row);
      expect(s.entropy).toBe(0);
      expect(s.effectiveTokens).toBe(1);
      expect(s.topKMass).toBe(1);
      expect(s.gini).toBeCloseTo(n === 1 ? 0 : 1 - 1 / n, 14);
    }
  });

  it("uniform rows: entropy 1, n effective tokens, top-k mass k/n, Gini 0", () => {
    for (const n of [2, 3, 10, 97]) {
      const s = rowSparsity(new Float64Array(n).fill(0.25), { topK: 2 });
      expect(s.entropy).toBeCloseTo(1, 14);
      expect(s.effectiveTokens).toBeCloseTo(n, 10);
      expect(s.topKMass).toBeCloseTo(2 / n, 14);
      expect(s.gini).toBeCloseTo(0, 14);
    }
  });

  it("a hand-computed case: p = (1/2, 1/4, 1/4)", () => {
    const s = rowSparsity([2, 1, 1]);
    const h = 0.5 * Math.log(2) + 0.5 * Math.log(4); // 1.5 log 2
    expect(s.entropy).toBeCloseTo(h / Math.log(3), 14);
    expect(s.effectiveTokens).toBeCloseTo(2 ** 1.5, 12);
    expect(s.topKMass).toBe(0.5);
    // sorted (1/4, 1/4, 1/2): (−2·1/4 + 0·1/4 + 2·1/2) / 3 = 1/6
    expect(s.gini).toBeCloseTo(1 / 6, 14);
  });

  it("maps: per row, means, zero rows skipped, causal rows over their prefix", () => {
    const m = mapSparsity(
      Matrix.fromRows([
        [1, 0, 0],
        [0, 0, 0],
        [1, 1, 1],
      ]),
    );
    expect(m.rows).toHaveLength(2);
    expect(m.zeroRows).toBe(1);
    expect(m.mean.entropy).toBeCloseTo(0.5, 14);
    expect(m.mean.effectiveTokens).toBeCloseTo(2, 12);
    // causal: row k is uniform over k + 1 tokens, so every row has normalized entropy 1 except row 0 (n = 1: 0)
    const causal = mapSparsity(
      Matrix.fromRows([
        [1, 0, 0],
        [0.5, 0.5, 0],
        [1, 1, 1],
      ]),
      { causal: true },
    );
    expect(causal.rows.map((r) => r.entropy)).toEqual([
      0,
      expect.closeTo(1, 14),
      expect.closeTo(1, 14),
    ]);
    const all = sparsityOf([Matrix.fromRows([[0, 1]]), Matrix.fromRows([[1, 1]])]);
    expect(all.perHead.map((h) => h.mean.entropy)).toEqual([0, expect.closeTo(1, 14)]);
    expect(all.mean.entropy).toBeCloseTo(0.5, 14);
  });

  it("properties: bounds and permutation invariance", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (values) => {
          fc.pre(values.some((v) => v > 1e-300));
          const s = rowSparsity(values);
          const n = values.length;
          expect(s.entropy).toBeGreaterThanOrEqual(0);
          expect(s.entropy).toBeLessThanOrEqual(1 + 1e-12);
          expect(s.effectiveTokens).toBeGreaterThanOrEqual(1 - 1e-12);
          expect(s.effectiveTokens).toBeLessThanOrEqual(n + 1e-9);
          expect(s.topKMass).toBeGreaterThanOrEqual(1 / n - 1e-12);
          expect(s.gini).toBeLessThanOrEqual(1 - 1 / n + 1e-12);
          const r = rowSparsity([...values].reverse());
          expect(r.entropy).toBeCloseTo(s.entropy, 12);
          expect(r.gini).toBeCloseTo(s.gini, 12);
        },
      ),
    );
  });

  it("rejects negative entries, zero rows and empty input, naming them", () => {
    expect(() => rowSparsity([1, -1])).toThrow(/values\[1\] = -1/);
    expect(() => rowSparsity([0, 0])).toThrow(expect.objectContaining({ code: "invalid-option" }));
    expect(() =>
      mapSparsity(
        Matrix.fromRows([
          [1, 0],
          [2, -3],
        ]),
      ),
    ).toThrow(/map\[1\]\[1\] = -3/);
    expect(() => mapSparsity(Matrix.zeros(2, 2))).toThrow(/has no nonzero row/);
    expect(() => sparsityOf([])).toThrow(/maps/);
    expect(() => rowSparsity([1], { topK: 0 })).toThrow(/options\.topK = 0/);
  });
});
