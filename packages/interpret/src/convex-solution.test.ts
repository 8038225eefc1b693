import { fitConvexAttention } from "@convexformer/attention";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { convexSolutionOf, validateSolution } from "./convex-solution.js";

describe("convexSolutionOf: the adapter from fitConvexAttention's result", () => {
  const rng = createRng(1);
  const X = new TokenBatch(5, 3, 2, rng.fillNormal(new Float64Array(30)));

  it.each([
    ["scalar", 5, 1],
    ["vector", 10, 2],
    ["gated", 10, 2],
  ] as const)("%s program: token layout, samples and gates", (model, targets, outputs) => {
    const fit = fitConvexAttention(X, {
      model,
      targets: rng.fillNormal(new Float64Array(targets)),
      outputs,
      lambdaRatio: 0.2,
      ...(model === "gated" ? { gates: 4 } : {}),
    });
    const s = convexSolutionOf(fit);
    expect(s.kind).toBe("token");
    if (s.kind !== "token") return;
    expect(s.program).toBe(model);
    expect(s.samples).toBe(5);
    expect(s.x).toBe(fit.solution);
    expect(s.layout).toEqual(fit.problem.layout);
    expect(s.gates === undefined).toBe(model !== "gated");
  });

  it.each(["sequence", "sequence-relaxed"] as const)("%s program: sequence layout", (model) => {
    const fit = fitConvexAttention(X, {
      model,
      targets: rng.fillNormal(new Float64Array(15)),
      lambdaRatio: 0.5,
      maxIterations: 200,
    });
    const s = convexSolutionOf(fit);
    expect(s.kind === "sequence" && s.program).toBe(model);
    expect(s.kind === "sequence" && s.layout.signs).toBe(model === "sequence" ? 2 : 1);
  });

  it("validateSolution names the bad field", () => {
    const good = {
      kind: "token",
      program: "scalar",
      samples: 1,
      gates: undefined,
      x: new Float64Array(2),
      layout: { gates: 1, outputs: 1, tokens: 2, features: 1 },
    } as const;
    expect(validateSolution(good)).toBe(good);
    expect(() => validateSolution({ ...good, samples: 0 })).toThrow(/solution\.samples = 0/);
    expect(() => validateSolution({ ...good, layout: { ...good.layout, tokens: 1.5 } })).toThrow(
      /solution\.layout\.tokens = 1\.5/,
    );
    expect(() => validateSolution({ ...good, kind: "other" } as never)).toThrow(/solution\.kind/);
    expect(() => validateSolution({ ...good, x: [0, 0] } as never)).toThrow(
      expect.objectContaining({ code: "shape-mismatch" }),
    );
  });
});
