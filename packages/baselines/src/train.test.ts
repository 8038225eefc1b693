import {
  createRng,
  InvalidOptionError,
  ShapeMismatchError,
  TokenBatch,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Optimizer } from "./optimizer.js";
import { SequenceHeads } from "./sequence-heads.js";
import { SimplexHeads } from "./simplex-heads.js";
import { StandardAttention } from "./standard-attention.js";
import { setupTfjs } from "./tfjs-backend.js";
import { train } from "./train.js";

beforeAll(async () => {
  await setupTfjs();
});

function stepScalar(
  options: ConstructorParameters<typeof Optimizer>[1],
  grads: number[],
  p0 = 1,
): number[] {
  const w = tf.variable(tf.scalar(p0));
  const opt = new Optimizer([w], options);
  const out: number[] = [];
  for (const g of grads) {
    tf.tidy(() => opt.apply([tf.scalar(g)]));
    out.push(w.dataSync()[0] as number);
  }
  opt.dispose();
  w.dispose();
  return out;
}

describe("Optimizer (PyTorch update rules)", () => {
  it("SGD with momentum and coupled weight decay", () => {
    // buf1 = g + wd p = 2 + 0.5 = 2.5; p = 1 - 0.1*2.5 = 0.75
    // g2' = 1 + 0.5*0.75 = 1.375; buf2 = 0.9*2.5 + 1.375 = 3.625; p = 0.75 - 0.3625 = 0.3875
    const [p1, p2] = stepScalar(
      { optimizer: "sgd", learningRate: 0.1, momentum: 0.9, weightDecay: 0.5 },
      [2, 1],
    );
    expect(p1).toBeCloseTo(0.75, 6);
    expect(p2).toBeCloseTo(0.3875, 6);
  });

  it("Adam: the first step moves by lr·sign(g) (bias correction)", () => {
    const [p1] = stepScalar({ optimizer: "adam", learningRate: 0.01, epsilon: 1e-12 }, [-3]);
    expect(p1).toBeCloseTo(1.01, 6);
  });

  it("AdamW decays decoupled from the gradient, Adam couples it", () => {
    // AdamW: p = 1*(1 - 0.1*0.5) - 0.1 * sign(2) = 0.95 - 0.1
    const [w] = stepScalar(
      { optimizer: "adamw", learningRate: 0.1, weightDecay: 0.5, epsilon: 1e-12 },
      [2],
    );
    expect(w).toBeCloseTo(0.85, 6);
    // Adam with wd: g' = 2 + 0.5 = 2.5 > 0, first step is -lr regardless of scale
    const [a] = stepScalar(
      { optimizer: "adam", learningRate: 0.1, weightDecay: 0.5, epsilon: 1e-12 },
      [2],
    );
    expect(a).toBeCloseTo(0.9, 6);
    // a zero gradient: AdamW still decays, Adam with wd follows the decay gradient
    const [z] = stepScalar(
      { optimizer: "adamw", learningRate: 0.1, weightDecay: 1, epsilon: 1e-12 },
      [0],
    );
    expect(z).toBeCloseTo(0.9, 6);
  });

  it("two Adam steps match the hand-computed update", () => {
    const b1 = 0.9;
    const b2 = 0.98;
    const lr = 0.05;
    const [, p2] = stepScalar({ optimizer: "adam", learningRate: lr, betas: [b1, b2] }, [1, 3]);
    const m = b1 * (1 - b1) * 1 + (1 - b1) * 3;
    const v = b2 * (1 - b2) * 1 + (1 - b2) * 9;
    const p1 = 1 - lr;
    const want = p1 - (lr / (1 - b1 ** 2)) * (m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** 2) + 1e-8));
    expect(p2).toBeCloseTo(want, 6);
  });

  it("linear warm-up", () => {
    const opt = new Optimizer([], { optimizer: "adamw", learningRate: 1e-3, warmupSteps: 10 });
    expect(opt.learningRateAt(0)).toBeCloseTo(1e-4, 12);
    expect(opt.learningRateAt(4)).toBeCloseTo(5e-4, 12);
    expect(opt.learningRateAt(9)).toBe(1e-3);
    expect(opt.learningRateAt(500)).toBe(1e-3);
    expect(() => new Optimizer([], { optimizer: "rmsprop" as "sgd", learningRate: 1 })).toThrow(
      InvalidOptionError,
    );
    expect(() => new Optimizer([], { optimizer: "sgd", learningRate: 0 })).toThrow(
      InvalidOptionError,
    );
  });
});

describe("train", () => {
  function setup(seed = 0) {
    const rng = createRng(seed);
    const model = new SimplexHeads({ tokens: 3, features: 2, heads: 3, beta: 0.05, seed });
    const X = new TokenBatch(10, 3, 2, rng.fillNormal(new Float64Array(60)));
    const y = rng.fillNormal(new Float64Array(10));
    return { model, X, y, data: model.dataset(X, y) };
  }

  it("mini-batches: floor(N/b) batches per epoch (tail skipped), deterministic per seed", async () => {
    const a = setup();
    const r1 = await train(a.model, a.data, {
      optimizer: "adam",
      learningRate: 0.01,
      epochs: 3,
      batchSize: 4,
      seed: 7,
    });
    expect(r1.steps).toBe(6);
    expect(r1.epochs).toBe(3);
    expect(r1.stopReason).toBe("epochs");
    const b = setup();
    const r2 = await train(b.model, b.data, {
      optimizer: "adam",
      learningRate: 0.01,
      epochs: 3,
      batchSize: 4,
      seed: 7,
    });
    expect(Array.from(r2.stepLosses)).toEqual(Array.from(r1.stepLosses));
    const c = setup();
    const r3 = await train(c.model, c.data, {
      optimizer: "adam",
      learningRate: 0.01,
      epochs: 3,
      batchSize: 4,
      seed: 8,
    });
    expect(Array.from(r3.stepLosses)).not.toEqual(Array.from(r1.stepLosses));
    for (const s of [a, b, c]) {
      s.data.dispose();
      s.model.dispose();
    }
  });

  it("full batch: the step loss is the objective, and it decreases", async () => {
    const s = setup(1);
    const before = s.model.objective(s.X, s.y);
    const r = await train(s.model, s.data, {
      optimizer: "sgd",
      learningRate: 0.01,
      steps: 40,
      evaluateEvery: 10,
    });
    expect(r.stepLosses[0]).toBeCloseTo(before, 4);
    expect(r.evaluations.map((e) => e.step)).toEqual([0, 10, 20, 30, 40]);
    expect(r.evaluations.at(-1)!.objective).toBeLessThan(before);
    expect(r.stepWallMs.length).toBe(40);
    expect(r.stepWallMs[39]).toBeGreaterThanOrEqual(r.stepWallMs[0]!);
    s.data.dispose();
    s.model.dispose();
  });

  it("early stop, callbacks, validation and abort", async () => {
    const s = setup(2);
    const first = s.model.objective(s.X, s.y);
    const r = await train(s.model, s.data, {
      optimizer: "adam",
      learningRate: 0.05,
      steps: 1000,
      evaluateEvery: 5,
      validation: s.data,
      earlyStop: { metric: "objective", target: 0.9 * first },
    });
    expect(r.stopReason).toBe("target");
    expect(r.steps).toBeLessThan(1000);
    expect(r.reachedTarget!.objective).toBeLessThanOrEqual(0.9 * first);
    expect(r.reachedTarget!.validationObjective).toBeCloseTo(r.reachedTarget!.objective, 4);
    const seen: number[] = [];
    const r2 = await train(s.model, s.data, {
      optimizer: "adam",
      learningRate: 0.05,
      steps: 100,
      evaluateEvery: 2,
      onEvaluate: (e) => {
        seen.push(e.step);
        return e.step >= 4 ? "stop" : undefined;
      },
    });
    expect(r2.stopReason).toBe("callback");
    expect(seen).toEqual([0, 2, 4]);
    const controller = new AbortController();
    controller.abort();
    const r3 = await train(s.model, s.data, {
      optimizer: "sgd",
      learningRate: 0.01,
      steps: 5,
      signal: controller.signal,
    });
    expect(r3.stopReason).toBe("aborted");
    expect(r3.steps).toBe(0);
    s.data.dispose();
    s.model.dispose();
  });

  it("rejects bad options", async () => {
    const s = setup();
    const opts = { optimizer: "adam", learningRate: 0.1 } as const;
    await expect(train(s.model, s.data, { ...opts })).rejects.toThrow(InvalidOptionError);
    await expect(train(s.model, s.data, { ...opts, steps: 1, batchSize: 11 })).rejects.toThrow(
      /batchSize/,
    );
    await expect(train(s.model, s.data, { ...opts, steps: 1, lr: 1 } as never)).rejects.toThrow(
      /options.lr/,
    );
    await expect(
      train(s.model, s.data, {
        ...opts,
        steps: 1,
        earlyStop: { metric: "f1" as "loss", target: 1 },
      }),
    ).rejects.toThrow(/earlyStop.metric/);
    s.data.dispose();
    s.model.dispose();
  });
});

describe("model configuration errors", () => {
  it("names the offending argument", () => {
    const arg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as InvalidOptionError).argument;
      }
      return "no error";
    };
    expect(arg(() => new StandardAttention({ tokens: 3, features: 5, heads: 2 }))).toBe("heads");
    expect(
      arg(
        () =>
          new StandardAttention({ tokens: 3, features: 4, heads: 2, loss: "hinge" as "squared" }),
      ),
    ).toBe("loss");
    expect(
      arg(
        () =>
          new StandardAttention({ tokens: 3, features: 4, heads: 2, output: "matrix" as "vector" }),
      ),
    ).toBe("output");
    expect(arg(() => new StandardAttention({ tokens: 3, features: 4, heads: 2, readout: 3 }))).toBe(
      "readout",
    );
    expect(
      arg(
        () =>
          new SimplexHeads({ tokens: 3, features: 4, heads: 2, simplex: "sparsemax" as "softmax" }),
      ),
    ).toBe("simplex");
    expect(arg(() => new SimplexHeads({ tokens: 3, features: 4, heads: 0 }))).toBe("heads");
    expect(arg(() => new SimplexHeads({ tokens: 3, features: 4, heads: 2, beta: -1 }))).toBe(
      "beta",
    );
    expect(
      arg(() => new SimplexHeads({ tokens: 3, features: 4, heads: 2, loss: "cross-entropy" })),
    ).toBe("loss");
    expect(
      arg(() => new SequenceHeads({ tokens: 3, features: 4, heads: 2, scaling: "max" as "sum" })),
    ).toBe("scaling");
    const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1, loss: "logistic" });
    expect(arg(() => m.dataset(TokenBatch.zeros(2, 2, 1), new Float64Array([1, 0])))).toBe(
      "targets[1]",
    );
    expect(arg(() => m.dataset(TokenBatch.zeros(2, 3, 1), new Float64Array([1, 1])))).toBe(
      "inputs",
    );
    const base = {
      heads: 1,
      tokens: 2,
      features: 1,
      outputs: 1,
      w2: new Float64Array([1]),
      alpha: new Float64Array([1]),
    };
    expect(arg(() => m.loadWeights({ ...base, w1: new Float64Array([0.5, 0.6]) }))).toBe(
      "weights.w1 row 0",
    );
    expect(arg(() => m.loadWeights({ ...base, w1: new Float64Array([1]) }))).toBe("weights.w1");
    expect(arg(() => m.loadWeights({ ...base, heads: 2, w1: new Float64Array([1, 0]) }))).toBe(
      "weights.heads",
    );
    expect(() =>
      m.loadWeights({ ...base, w1: new Float64Array([1, 0]), w2: new Float64Array(2) }),
    ).toThrow(ShapeMismatchError);
    expect(
      arg(() =>
        m.loadWeights({
          ...base,
          w1: new Float64Array([1, 0]),
          gates: { u1: new Float64Array(2), u2: new Float64Array(1) },
        }),
      ),
    ).toBe("weights.gates");
    m.dispose();
  });
});
