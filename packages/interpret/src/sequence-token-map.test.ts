import { fitConvexAttention, recoverSequenceNetwork } from "@convexformer/attention";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { convexSolutionOf, type SequenceProgramSolution } from "./convex-solution.js";
import { headTableOf } from "./head-table-of.js";
import { sequenceHeadTable } from "./sequence-head-table.js";
import { sequenceTokenMap } from "./sequence-token-map.js";
import { tokenMapOf } from "./token-map-of.js";

const layout = { tokens: 2, features: 1, outputs: 1, signs: 2 } as const;

describe("sequence token maps (33)", () => {
  it("row and column mass of C⁺ − C⁻ on a hand case", () => {
    // C⁺ = [0 1; 0 1], C⁻ = [1 0; 0 1]: B = [−1 1; 0 0]
    const s: SequenceProgramSolution = {
      kind: "sequence",
      program: "sequence",
      samples: 1,
      x: new Float64Array([0, 1, 0, 1, 1, 0, 0, 1]),
      layout,
    };
    const m = sequenceTokenMap(s);
    expect(Array.from(m.rowMass.data)).toEqual([2, 0]);
    expect(Array.from(m.columnMass.data)).toEqual([1, 1]);
    expect(m.mixing.toRows()).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(m.blocks).toBe(2);
    expect(m.headsNeeded).toBe(2);
    const heads = sequenceHeadTable(s);
    expect(heads).toEqual([
      { head: 1, feature: 1, output: 1, sign: 1, mass: 1, topToken: 2, topTokenShare: 1 },
      { head: 2, feature: 1, output: 1, sign: -1, mass: 1, topToken: 1, topTokenShare: 0.5 },
    ]);
    const w = recoverSequenceNetwork(s.x, layout);
    expect(w.heads).toBe(heads.length);
    heads.forEach((h, j) => {
      expect((w.alpha[j] as number) ** 2).toBeCloseTo(h.mass, 12);
      expect(Math.sign(w.W2[j] as number)).toBe(h.sign);
    });
  });

  it("a fitted (33) and its relaxation", () => {
    const rng = createRng(2);
    const X = new TokenBatch(8, 3, 2, rng.fillNormal(new Float64Array(48)));
    const y = new Float64Array(24);
    for (let i = 0; i < 8; i++) for (let k = 0; k < 3; k++) y[i * 3 + k] = X.get(i, 1, 0);
    const fit = fitConvexAttention(X, {
      model: "sequence",
      targets: y,
      lambda: 0.05,
      tolerance: 1e-8,
      maxIterations: 20000,
    });
    const m = tokenMapOf(fit);
    if (m.kind !== "sequence") throw new Error("expected a sequence map");
    // every output token reads source token 2 (index 1) most
    const col = Array.from(m.perToken);
    expect(col.indexOf(Math.max(...col))).toBe(1);
    expect(m.headsNeeded).toBe(fit.headsNeeded);
    expect(headTableOf(fit)).toHaveLength(fit.network?.heads ?? -1);
    const relaxed = fitConvexAttention(X, {
      model: "sequence-relaxed",
      targets: y,
      lambda: 0.05,
      tolerance: 1e-6,
      maxIterations: 20000,
    });
    const r = tokenMapOf(relaxed);
    expect(r.kind === "sequence" && r.headsNeeded).toBe(undefined);
    expect(() => headTableOf(relaxed)).toThrow(
      expect.objectContaining({ argument: "solution.program" }),
    );
    const s = convexSolutionOf(relaxed);
    expect(s.kind === "sequence" && s.layout.signs).toBe(1);
  });

  it("rejects a wrong length and a bad sign count", () => {
    const s = {
      kind: "sequence",
      program: "sequence",
      samples: 1,
      x: new Float64Array(7),
      layout,
    } as const;
    expect(() => sequenceTokenMap(s)).toThrow(/solution\.x: expected a Float64Array of length 8/);
    expect(() =>
      sequenceTokenMap({ ...s, layout: { ...layout, signs: 3 as unknown as 2 } }),
    ).toThrow(/solution\.layout\.signs = 3/);
  });
});
