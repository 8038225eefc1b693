import { type OptimizerName, SimplexHeads, setupTfjs } from "@convexformer/baselines";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "@convexformer/io";
import { createRng, ShapeMismatchError, TokenBatch } from "@convexformer/tensors";
import { beforeAll, describe, expect, it } from "vitest";
import { resumableTrain } from "./resumable-train.js";

beforeAll(async () => {
  await setupTfjs();
});

function setup() {
  const rng = createRng(5);
  const model = new SimplexHeads({ tokens: 3, features: 2, heads: 2, beta: 0.05, seed: 2 });
  const X = new TokenBatch(12, 3, 2, rng.fillNormal(new Float64Array(72)));
  const data = model.dataset(X, rng.fillNormal(new Float64Array(12)));
  return { model, data };
}

const weightsOf = (model: SimplexHeads): number[][] =>
  model.trainableVariables.map((v) => Array.from(v.dataSync()));

describe("resumableTrain through the optimizer's exportState / restoreState", () => {
  const k = 6;
  for (const optimizer of ["adamw", "sgd"] as const satisfies readonly OptimizerName[]) {
    it(`${optimizer}: 2k steps == k steps, checkpoint (bytes), fresh model and optimizer, k steps`, async () => {
      const options = {
        optimizer,
        learningRate: 0.03,
        weightDecay: 0.01,
        warmupSteps: 3,
        steps: 2 * k,
        batchSize: 4,
        seed: 9,
        ...(optimizer === "sgd" ? { momentum: 0.8 } : {}),
      };
      const whole = setup();
      const wholeRun = await resumableTrain(whole.model, whole.data, options);

      const first = setup();
      let saved: Uint8Array | undefined;
      const abort = new AbortController();
      await resumableTrain(first.model, first.data, {
        ...options,
        checkpointEvery: k,
        onCheckpoint: (c: Checkpoint) => {
          saved ??= encodeCheckpoint(c);
          abort.abort();
        },
        signal: abort.signal,
      });
      first.data.dispose();
      first.model.dispose();
      expect(saved).toBeDefined();
      const checkpoint = decodeCheckpoint(saved as Uint8Array);
      expect((checkpoint.meta as { stepCount: number }).stepCount).toBe(k);
      expect(checkpoint.arrays["m1.0"]).toBeInstanceOf(Float64Array);

      const second = setup(); // fresh model (its own initial weights) and a fresh optimizer
      const secondRun = await resumableTrain(second.model, second.data, {
        ...options,
        resumeFrom: checkpoint,
      });
      expect(secondRun.resumedAt).toBe(k);
      expect(secondRun.steps).toBe(2 * k);
      expect(Array.from(secondRun.stepLosses)).toEqual(Array.from(wholeRun.stepLosses));
      expect(weightsOf(second.model)).toEqual(weightsOf(whole.model));
      for (const t of [whole, second]) {
        t.data.dispose();
        t.model.dispose();
      }
    });
  }

  it("a checkpoint with a moment array of the wrong size is refused, naming the field", async () => {
    const run = setup();
    let checkpoint: Checkpoint | undefined;
    await resumableTrain(run.model, run.data, {
      optimizer: "adam",
      learningRate: 0.01,
      steps: 4,
      checkpointEvery: 2,
      onCheckpoint: (c: Checkpoint) => {
        checkpoint ??= c;
      },
    });
    const c = checkpoint as Checkpoint;
    const broken = { ...c, arrays: { ...c.arrays, "m2.0": new Float64Array(1) } };
    await expect(
      resumableTrain(run.model, run.data, {
        optimizer: "adam",
        learningRate: 0.01,
        steps: 4,
        checkpointEvery: 2,
        resumeFrom: broken,
      }),
    ).rejects.toMatchObject({ name: ShapeMismatchError.name, argument: "state.second[0]" });
    run.data.dispose();
    run.model.dispose();
  });
});
