import { memoryCheckpointStore } from "@convexformer/io";
import { describe, expect, it } from "vitest";
import { runE2 } from "./run-e2.js";
import { runE2Convex } from "./run-e2-convex.js";

const tiny = {
  prime: 7,
  width: 8,
  heads: 2,
  layers: 1,
  steps: 40,
  evaluateEvery: 5,
  stopAtGeneralization: false,
} as const;

describe("runE2", () => {
  it("trains the decoder and reports the curves at every evaluation", async () => {
    const r = await runE2({ ...tiny, attention: "simplex" });
    expect(r.status).toBe("complete");
    expect(r.metrics.trainSize + r.metrics.validationSize).toBe(42);
    expect(r.config.batchSize).toBe(Math.min(512, Math.ceil(21 / 2)));
    expect(r.curves.accuracy?.step).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(r.metrics.steps).toBe(40);
    expect(r.metrics.msPerStep).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(r)).config.attention).toBe("simplex");
  });

  it("resumes after an interrupt and reproduces the uninterrupted curves exactly", async () => {
    const whole = await runE2(tiny);
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    const first = await runE2(tiny, {
      checkpoint: store,
      checkpointEvery: 10,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 15) controller.abort();
      },
    });
    expect(first.status).toBe("aborted");
    expect(first.metrics.steps).toBeLessThan(40);
    const resumed = await runE2(tiny, { checkpoint: store, resume: true });
    expect(resumed.metrics.resumedAt).toBe(first.metrics.steps);
    expect(resumed.metrics.steps).toBe(40);
    expect(resumed.curves.stepLoss?.loss).toEqual(whole.curves.stepLoss?.loss);
    expect(resumed.curves.accuracy?.trainLoss).toEqual(whole.curves.accuracy?.trainLoss);
    expect(resumed.curves.accuracy?.validationAccuracy).toEqual(
      whole.curves.accuracy?.validationAccuracy,
    );
  });

  it("refuses a checkpoint of another configuration and bad options", async () => {
    const store = memoryCheckpointStore();
    await runE2({ ...tiny, steps: 10 }, { checkpoint: store, checkpointEvery: 5 });
    await expect(
      runE2({ ...tiny, steps: 10, seed: 1 }, { checkpoint: store, resume: true }),
    ).rejects.toThrow(/resume/);
    await expect(runE2({ prime: 8 })).rejects.toThrow(/prime/);
    await expect(runE2({ ...tiny, batchSize: 1000 })).rejects.toThrow(/batchSize/);
  });
});

describe("runE2Convex", () => {
  it("solves the gated program with joint cross-entropy and reports both accuracies", async () => {
    const r = await runE2Convex({
      prime: 5,
      gates: 4,
      operator: "+",
      lambdaRatio: 1e-2,
      tolerance: 1e-6,
    });
    expect(r.metrics.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(r.metrics.dimension).toBe(4 * 5 * 2 * 5);
    expect(r.metrics.trainAccuracy).toBeGreaterThan(0.5);
    expect(r.metrics.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.metrics.trainSize + r.metrics.validationSize).toBe(25);
  });
});
