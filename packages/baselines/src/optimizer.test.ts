import {
  createRng,
  InvalidOptionError,
  NonFiniteInputError,
  ShapeMismatchError,
  TokenBatch,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Optimizer, type OptimizerOptions, type OptimizerState } from "./optimizer.js";
import { SimplexHeads } from "./simplex-heads.js";
import type { TensorDataset } from "./tensor-dataset.js";
import { setupTfjs } from "./tfjs-backend.js";

beforeAll(async () => {
  await setupTfjs();
});

function setup() {
  const rng = createRng(3);
  const model = new SimplexHeads({ tokens: 3, features: 2, heads: 2, beta: 0.05, seed: 1 });
  const X = new TokenBatch(8, 3, 2, rng.fillNormal(new Float64Array(48)));
  const data = model.dataset(X, rng.fillNormal(new Float64Array(8)));
  return { model, data };
}

/** `steps` full-batch steps; returns the step losses. */
function run(model: SimplexHeads, data: TensorDataset, opt: Optimizer, steps: number): number[] {
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const value = tf.tidy(() => {
      const variables = model.trainableVariables as tf.Variable[];
      const { value, grads } = tf.variableGrads(
        () => model.batchLoss({ inputs: data.inputs, targets: data.targets }, data.size),
        variables,
      );
      opt.apply(variables.map((v) => grads[v.name] as tf.Tensor));
      return value;
    });
    losses.push(value.dataSync()[0] as number);
    value.dispose();
    model.afterStep();
  }
  return losses;
}

const weightsOf = (model: SimplexHeads): number[][] =>
  model.trainableVariables.map((v) => Array.from(v.dataSync()));

/** Through JSON and back, as a checkpoint file would carry it. */
function viaJson(state: OptimizerState): OptimizerState {
  const text = JSON.stringify({
    ...state,
    first: state.first.map((a) => Array.from(a)),
    second: state.second.map((a) => Array.from(a)),
  });
  const parsed = JSON.parse(text) as {
    optimizer: OptimizerState["optimizer"];
    stepCount: number;
    first: number[][];
    second: number[][];
  };
  return {
    optimizer: parsed.optimizer,
    stepCount: parsed.stepCount,
    first: parsed.first.map((a) => Float64Array.from(a)),
    second: parsed.second.map((a) => Float64Array.from(a)),
  };
}

describe("Optimizer.exportState / restoreState", () => {
  const settings: readonly OptimizerOptions[] = [
    { optimizer: "adam", learningRate: 0.05, warmupSteps: 4 },
    { optimizer: "adamw", learningRate: 0.05, weightDecay: 0.1, betas: [0.8, 0.95] },
    { optimizer: "sgd", learningRate: 0.02, momentum: 0.9 },
    { optimizer: "sgd", learningRate: 0.02 },
  ];
  for (const options of settings) {
    it(`${options.optimizer}${options.momentum ? " + momentum" : ""}: 2k steps == k steps, export, restore into a fresh optimizer, k steps`, () => {
      const k = 5;
      const whole = setup();
      const wholeOpt = new Optimizer(whole.model.trainableVariables, options);
      const wholeLosses = run(whole.model, whole.data, wholeOpt, 2 * k);

      const first = setup();
      const firstOpt = new Optimizer(first.model.trainableVariables, options);
      const firstLosses = run(first.model, first.data, firstOpt, k);
      const state = viaJson(firstOpt.exportState());
      expect(state.stepCount).toBe(k);
      const weights = weightsOf(first.model);
      firstOpt.dispose();
      first.data.dispose();
      first.model.dispose();

      const second = setup();
      second.model.trainableVariables.forEach((v, i) => {
        v.assign(tf.tensor(weights[i] as number[], v.shape, "float32"));
      });
      const secondOpt = new Optimizer(second.model.trainableVariables, options);
      secondOpt.restoreState(state);
      expect(secondOpt.stepCount).toBe(k);
      const secondLosses = run(second.model, second.data, secondOpt, k);

      expect([...firstLosses, ...secondLosses]).toEqual(wholeLosses);
      expect(weightsOf(second.model)).toEqual(weightsOf(whole.model));
      expect(secondOpt.exportState()).toEqual(wholeOpt.exportState());
      for (const t of [whole, second]) {
        t.data.dispose();
        t.model.dispose();
      }
      wholeOpt.dispose();
      secondOpt.dispose();
    });
  }

  it("exports copies, with one array per variable (none for plain SGD)", () => {
    const w = tf.variable(tf.tensor([1, 2, 3]));
    const adam = new Optimizer([w], { optimizer: "adam", learningRate: 0.1 });
    tf.tidy(() => adam.apply([tf.tensor([1, -1, 2])]));
    const s = adam.exportState();
    expect(s.optimizer).toBe("adam");
    expect(s.first.map((a) => a.length)).toEqual([3]);
    expect(Array.from(s.first[0] as Float64Array)).toEqual([1, -1, 2].map((g) => (1 - 0.9) * g));
    expect(Array.from(s.second[0] as Float64Array)).toEqual(
      [1, -1, 2].map((g) => (1 - 0.999) * g * g),
    );
    (s.first[0] as Float64Array).fill(99);
    expect(adam.exportState().first[0]?.[0]).toBe(1 - 0.9);
    const sgd = new Optimizer([w], { optimizer: "sgd", learningRate: 0.1 });
    expect(sgd.exportState()).toEqual({ optimizer: "sgd", stepCount: 0, first: [], second: [] });
    w.dispose();
  });

  it("validates every field with a typed error naming it, and changes nothing when it refuses", () => {
    const w = tf.variable(tf.tensor([1, 2]));
    const opt = new Optimizer([w], { optimizer: "adam", learningRate: 0.1 });
    tf.tidy(() => opt.apply([tf.tensor([1, 1])]));
    const good = opt.exportState();
    const argumentOf = (state: unknown): [string, string | undefined] => {
      try {
        opt.restoreState(state as OptimizerState);
      } catch (e) {
        return [(e as Error).constructor.name, (e as InvalidOptionError).argument];
      }
      return ["none", undefined];
    };
    expect(argumentOf(null)).toEqual(["InvalidOptionError", "state"]);
    expect(argumentOf({ ...good, optimizer: "sgd" })).toEqual([
      "InvalidOptionError",
      "state.optimizer",
    ]);
    expect(argumentOf({ ...good, stepCount: 1.5 })).toEqual([
      "InvalidOptionError",
      "state.stepCount",
    ]);
    expect(argumentOf({ ...good, stepCount: -1 })).toEqual([
      "InvalidOptionError",
      "state.stepCount",
    ]);
    expect(argumentOf({ ...good, first: undefined })).toEqual([
      "InvalidOptionError",
      "state.first",
    ]);
    expect(argumentOf({ ...good, first: [] })).toEqual(["ShapeMismatchError", "state.first"]);
    expect(argumentOf({ ...good, second: [[0, 0]] })).toEqual([
      "InvalidOptionError",
      "state.second[0]",
    ]);
    expect(argumentOf({ ...good, first: [new Float64Array(3)] })).toEqual([
      "ShapeMismatchError",
      "state.first[0]",
    ]);
    expect(argumentOf({ ...good, first: [new Float64Array([0, Number.NaN])] })).toEqual([
      "NonFiniteInputError",
      "state.first[0]",
    ]);
    expect(argumentOf({ ...good, second: [new Float64Array([0, -1])] })).toEqual([
      "InvalidOptionError",
      "state.second[0][1]",
    ]);
    // a refused state (bad second moments after good first moments) changed nothing
    expect(() =>
      opt.restoreState({
        ...good,
        stepCount: 7,
        first: [new Float64Array([5, 5])],
        second: [new Float64Array([-1, 0])],
      }),
    ).toThrow(InvalidOptionError);
    expect(opt.exportState()).toEqual(good);
    expect(() => opt.restoreState({ ...good, first: [new Float64Array(1)] })).toThrow(
      ShapeMismatchError,
    );
    expect(() =>
      opt.restoreState({ ...good, first: [new Float64Array([Number.POSITIVE_INFINITY, 0])] }),
    ).toThrow(NonFiniteInputError);
    opt.dispose();
    w.dispose();
  });
});
