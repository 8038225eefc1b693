import { fitConvexAttention, recoverNetwork, tokenImportance } from "@convexformer/attention";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { convexSolutionOf, type TokenProgramSolution } from "./convex-solution.js";
import { headTable } from "./head-table.js";
import { headTableOf } from "./head-table-of.js";
import { supportReport } from "./support-report.js";
import { tokenMap } from "./token-map.js";
import { tokenMapOf } from "./token-map-of.js";

const scalar = { gates: 1, outputs: 1, tokens: 2, features: 1 } as const;

describe("token maps, head tables and support on the exact instances (docs/concepts.md#exact-instances)", () => {
  it("instance 1: both tokens carry 7/8, two heads, within N + 1 = 3", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 1 / 8,
      tolerance: 1e-13,
    });
    const m = tokenMapOf(fit);
    if (m.kind !== "token") throw new Error("expected a token map");
    expect(m.perToken[0]).toBeCloseTo(7 / 8, 10);
    expect(m.perToken[1]).toBeCloseTo(7 / 8, 10);
    expect(m.support).toEqual({
      rows: 2,
      tokens: 2,
      bound: 3,
      withinBound: true,
      headsNeeded: 2,
      maxHeads: 2,
    });
    const heads = headTableOf(fit);
    expect(heads.map((h) => ("token" in h ? [h.head, h.token, h.output, h.gate] : []))).toEqual([
      [1, 1, 1, 1],
      [2, 2, 1, 1],
    ]);
    for (const h of heads)
      expect(h.head > 0 && "norm" in h && Math.abs(h.norm - 7 / 8) < 1e-10).toBe(true);
    // heads needed agrees with fitConvexAttention's own count
    expect(m.support.headsNeeded).toBe(fit.headsNeeded);
  });

  it("instance 2: one head, on token 2 (not token 1 as the paper's map reads)", () => {
    const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1]),
      lambda: 1 / 8,
      tolerance: 1e-13,
    });
    const s = convexSolutionOf(fit);
    if (s.kind !== "token") throw new Error("expected a token solution");
    const m = tokenMap(s);
    expect(m.perToken[0]).toBe(0);
    expect(m.perToken[1]).toBeCloseTo(7 / 8, 10);
    expect(m.support.bound).toBe(2);
    expect(m.support.rows).toBe(1);
    const [head, ...rest] = headTable(s);
    expect(rest).toEqual([]);
    expect(head?.token).toBe(2);
    expect(head?.norm).toBeCloseTo(7 / 8, 10);
  });

  it("instance 4: β ≥ β_max gives the zero map, no heads", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 2,
    });
    const m = tokenMapOf(fit);
    if (m.kind !== "token") throw new Error("expected a token map");
    expect(Array.from(m.perToken)).toEqual([0, 0]);
    expect(m.support.rows).toBe(0);
    expect(m.support.headsNeeded).toBe(0);
    expect(headTableOf(fit)).toEqual([]);
  });

  it("per output and per gate sums, and a head table in recoverNetwork's order", () => {
    const layout = { gates: 2, outputs: 2, tokens: 3, features: 2 };
    const x = new Float64Array(24);
    // (j, l, k) rows: (0,0,2) = [3, 4]; (0,1,0) = [0, 1]; (1,1,2) = [6, 8]
    x.set([3, 4], ((0 * 2 + 0) * 3 + 2) * 2);
    x.set([0, 1], ((0 * 2 + 1) * 3 + 0) * 2);
    x.set([6, 8], ((1 * 2 + 1) * 3 + 2) * 2);
    const gates = { u1: new Float64Array([1, 1, 1, 2, 2, 2]), u2: new Float64Array(4).fill(1) };
    const s: TokenProgramSolution = {
      kind: "token",
      program: "gated",
      x,
      layout,
      samples: 1,
      gates,
    };
    const m = tokenMap(s);
    expect(Array.from(m.perToken)).toEqual([1, 0, 15]);
    expect(m.perOutput.toRows()).toEqual([
      [0, 0, 5],
      [1, 0, 10],
    ]);
    expect(m.perGate.toRows()).toEqual([
      [1, 0, 5],
      [0, 0, 10],
    ]);
    expect(m.norms).toEqual(tokenImportance(x, layout).norms);
    // bound N·c + 1 = 3: three rows are within it
    expect(m.support).toMatchObject({
      rows: 3,
      tokens: 2,
      bound: 3,
      withinBound: true,
      maxHeads: 12,
    });
    const rows = headTable(s);
    expect(rows.map((r) => [r.gate, r.output, r.token, r.norm])).toEqual([
      [1, 1, 3, 5],
      [1, 2, 1, 1],
      [2, 2, 3, 10],
    ]);
    // the same heads, in the same order, as the recovered network
    const w = recoverNetwork(x, layout, gates);
    expect(w.heads).toBe(rows.length);
    rows.forEach((r, h) => {
      expect(w.w1[h * 3 + r.token - 1]).toBe(1);
      expect((w.alpha[h * 2 + r.output - 1] as number) ** 2).toBeCloseTo(r.norm, 12);
      expect(Array.from(w.gates?.u1.subarray(h * 3, h * 3 + 3) ?? [])).toEqual(
        new Array(3).fill(r.gate),
      );
    });
    expect(headTable(s, { tolerance: 5 }).map((r) => r.norm)).toEqual([10]);
  });

  it("a random vector fit stays within N·c + 1 after pruning and its heads match the fit", () => {
    const rng = createRng(4);
    const X = new TokenBatch(6, 5, 3, rng.fillNormal(new Float64Array(90)));
    const y = rng.fillNormal(new Float64Array(12));
    const fit = fitConvexAttention(X, {
      model: "vector",
      targets: y,
      outputs: 2,
      lambdaRatio: 0.01,
      tolerance: 1e-10,
    });
    const m = tokenMapOf(fit);
    if (m.kind !== "token") throw new Error("expected a token map");
    expect(m.support.bound).toBe(13);
    expect(m.support.withinBound).toBe(true);
    expect(m.support.headsNeeded).toBe(fit.headsNeeded);
    expect(headTableOf(fit)).toHaveLength(fit.headsNeeded);
  });

  it("rejects bad input with typed errors naming the argument", () => {
    const bad = {
      kind: "token",
      program: "scalar",
      samples: 1,
      gates: undefined,
      x: new Float64Array(3),
      layout: scalar,
    } as const;
    expect(() => tokenMap(bad)).toThrow(/solution\.x: expected a Float64Array of length 2/);
    expect(() => tokenMap({ ...bad, x: new Float64Array([Number.NaN, 0]) })).toThrow(
      expect.objectContaining({ code: "non-finite-input" }),
    );
    expect(() => supportReport(new Float64Array(2), scalar, 0)).toThrow(/samples = 0/);
    expect(() => headTable({ ...bad, x: new Float64Array(2) }, { tolerance: -1 })).toThrow(
      expect.objectContaining({ code: "invalid-option", argument: "options.tolerance" }),
    );
  });
});
