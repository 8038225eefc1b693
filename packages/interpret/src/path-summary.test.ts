import {
  fitConvexAttention,
  scalarAttentionProblem,
  sequenceAttentionProblem,
} from "@convexformer/attention";
import { solvePath, squaredLoss } from "@convexformer/solvers";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { pathSummary, pathSummaryOf } from "./path-summary.js";
import { sequenceTokenMap } from "./sequence-token-map.js";

describe("λ-path summaries", () => {
  it("exact instance 1 along λ = 1, 1/8: support 0 then both tokens, objective 15/64, errors", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const y = new Float64Array([1, -1]);
    const loss = squaredLoss(y);
    const path = solvePath((l) => scalarAttentionProblem(X, loss, l), [1, 1 / 8], {
      solveOptions: { tolerance: 1e-13 },
    });
    const train = (x: Float64Array) =>
      Math.abs((x[0] as number) - 1) + Math.abs((x[1] as number) + 1);
    const s = pathSummary(path, {
      layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
      trainError: train,
    });
    expect(s.map((p) => [p.index, p.lambda, p.rows, p.tokens, p.status])).toEqual([
      [0, 1, 0, 0, "converged"],
      [1, 1 / 8, 2, 2, "converged"],
    ]);
    expect(s[0]?.objective).toBeCloseTo(1, 12); // ½(1 + 1) at z = 0
    expect(s[1]?.objective).toBeCloseTo(15 / 64, 12);
    expect(s[1]?.relativeGap).toBeLessThan(1e-12);
    expect(s[1]?.trainError).toBeCloseTo(1 / 4, 10); // |7/8 − 1| + |−7/8 + 1|
    expect(s[0]?.testError).toBe(undefined);
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: y,
      lambdaPath: [1, 1 / 8],
      tolerance: 1e-13,
    });
    expect(pathSummaryOf(fit).map((p) => p.rows)).toEqual([0, 2]);
  });

  it("sequence layouts count nonzero blocks and the source tokens they read", () => {
    const rng = createRng(3);
    const X = new TokenBatch(6, 3, 2, rng.fillNormal(new Float64Array(36)));
    const y = new Float64Array(18);
    for (let i = 0; i < 6; i++) for (let k = 0; k < 3; k++) y[i * 3 + k] = X.get(i, 1, 0);
    const loss = squaredLoss(y);
    const path = solvePath((l) => sequenceAttentionProblem(X, loss, l), [0.5, 0.05], {
      solveOptions: { tolerance: 1e-8, maxIterations: 20000 },
    });
    const layout = { tokens: 3, features: 2, outputs: 1, signs: 2 } as const;
    const s = pathSummary(path, { layout });
    path.results.forEach((r, i) => {
      const m = sequenceTokenMap({
        kind: "sequence",
        program: "sequence",
        samples: 6,
        x: r.x,
        layout,
      });
      expect(s[i]?.rows).toBe(m.blocks);
      expect(s[i]?.tokens).toBe(Array.from(m.perToken).filter((v) => v > 0).length);
    });
    expect(s[1]?.tokens).toBeGreaterThanOrEqual(1);
  });

  it("errors: a wrong layout, a fit without a path, unknown options", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 1 / 8,
    });
    expect(() => pathSummaryOf(fit)).toThrow(/fit\.path = undefined/);
    const path = solvePath(
      (l) => scalarAttentionProblem(X, squaredLoss(new Float64Array([1, -1])), l),
      [1],
    );
    expect(() =>
      pathSummary(path, { layout: { gates: 1, outputs: 2, tokens: 2, features: 1 } }),
    ).toThrow(/path\.results\[0\]\.x: expected length 4/);
    expect(() =>
      pathSummary(path, {
        layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
        x: 1,
      } as never),
    ).toThrow(expect.objectContaining({ code: "invalid-option" }));
  });
});
