import { memoryCheckpointStore } from "@convexformer/io";
import { describe, expect, it } from "vitest";
import { runE1 } from "./run-e1.js";

const tiny = {
  data: { samples: 24, testSamples: 24, tokens: 4, features: 4, seed: 2 },
  steps: 30,
  evaluateEvery: 5,
  learningRates: [1e-2, 1e-1],
  simplexHeads: 4,
  standardHeads: 2,
};

describe("runE1", () => {
  it("fits all three students on the same data and certifies the convex one", async () => {
    const r = await runE1({ ...tiny, solvers: ["fista", "ipm"] });
    expect(r.status).toBe("complete");
    const m = r.metrics;
    expect(m.convex.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(m.solvers.map((s) => s.solver)).toEqual(["fista", "ipm"]);
    // both solvers certify the same optimum
    expect(Math.abs((m.solvers[1]?.objective ?? 0) - m.convex.objective)).toBeLessThan(
      1e-4 * m.convex.objective,
    );
    // the convex optimum is a lower bound for the nonconvex alternative (same objective)
    expect(m.convex.objective).toBeLessThanOrEqual(m.simplex.objective * (1 + 1e-6));
    expect(m.convex.tokenMap).toHaveLength(4);
    expect(m.standard.tokenMap.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(Number.isFinite(m.standard.testError)).toBe(true);
    expect(r.curves["simplex@0.01"]?.step).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(JSON.parse(JSON.stringify(r)).metrics.beta).toBe(m.beta);
  });

  it("resumes after an interrupt with the curves of the uninterrupted run", async () => {
    const whole = await runE1({ ...tiny, solvers: ["fista"] });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let evaluations = 0;
    const first = await runE1(
      { ...tiny, solvers: ["fista"] },
      {
        checkpoint: store,
        checkpointEvery: 5,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "simplex@0.1" && ++evaluations === 3) controller.abort();
        },
      },
    );
    expect(first.status).toBe("aborted");
    const resumed = await runE1(
      { ...tiny, solvers: ["fista"] },
      { checkpoint: store, resume: true },
    );
    expect(resumed.status).toBe("complete");
    for (const name of ["simplex@0.01", "simplex@0.1", "standard@0.01", "standard@0.1"]) {
      expect(resumed.curves[name]?.objective).toEqual(whole.curves[name]?.objective);
    }
    expect(resumed.metrics.simplex.objective).toBe(whole.metrics.simplex.objective);
  });

  it("rejects bad configuration naming the option", async () => {
    await expect(runE1({ scale: 0 })).rejects.toThrow(/scale/);
    await expect(runE1({ data: { target: "sequence" } })).rejects.toThrow(/data.target/);
    await expect(runE1({ bogus: 1 } as never)).rejects.toThrow(/bogus/);
  });
});
