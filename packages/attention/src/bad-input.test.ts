import { squaredLoss } from "@convexformer/solvers";
import {
  type ConvexformerError,
  InvalidOptionError,
  NonFiniteInputError,
  type Rng,
  ShapeMismatchError,
  TokenBatch,
} from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import {
  gatedAttentionProblem,
  relaxedSequenceAttentionProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
import { headsNeeded, recoverNetwork } from "./convex-maps.js";
import { fitConvexAttention } from "./fit-convex-attention.js";
import { sampleGates } from "./sample-gates.js";

function expectTyped(
  f: () => unknown,
  type: abstract new (...args: never[]) => ConvexformerError,
  argument: string,
): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as ConvexformerError).argument).toBe(argument);
}

const f = (...v: number[]) => new Float64Array(v);
const X = new TokenBatch(2, 2, 1, f(1, 0, 0, 1));
const y = squaredLoss(f(1, -1));

describe("bad input (audit)", () => {
  it("the problem builders name X when it has zero tokens or features", () => {
    for (const build of [scalarAttentionProblem, vectorAttentionProblem]) {
      expectTyped(() => build(new TokenBatch(2, 0, 1), y, 1), ShapeMismatchError, "X");
      expectTyped(() => build(new TokenBatch(2, 2, 0), y, 1), ShapeMismatchError, "X");
      expectTyped(() => build({} as TokenBatch, y, 1), InvalidOptionError, "X");
    }
    const gates = sampleGates(X, 4, { seed: 1 });
    expectTyped(
      () => gatedAttentionProblem(new TokenBatch(2, 0, 1), gates, y, 1),
      ShapeMismatchError,
      "X",
    );
    const seqLoss = squaredLoss(f(1, 1));
    for (const build of [sequenceAttentionProblem, relaxedSequenceAttentionProblem]) {
      expectTyped(() => build(new TokenBatch(1, 2, 0), seqLoss, 1), ShapeMismatchError, "X");
      expectTyped(
        () => build(new TokenBatch(1, 2, 1, f(Number.NaN, 1)), seqLoss, 1),
        NonFiniteInputError,
        "X",
      );
    }
  });

  it("sampleGates rejects empty data and a malformed rng instead of returning no gates", () => {
    expectTyped(
      () => sampleGates(new TokenBatch(0, 2, 1), 3, { seed: 1 }),
      ShapeMismatchError,
      "X",
    );
    expectTyped(
      () => sampleGates(new TokenBatch(2, 0, 1), 3, { seed: 1 }),
      ShapeMismatchError,
      "X",
    );
    expectTyped(() => sampleGates(X, 3, { rng: {} as Rng }), InvalidOptionError, "options.rng");
  });

  it("recoverNetwork and headsNeeded reject bad tolerances and unknown options", () => {
    const fit = fitConvexAttention(X, { model: "scalar", targets: f(1, -1), lambda: 0.1 });
    const layout = fit.problem.layout as Parameters<typeof recoverNetwork>[1];
    expectTyped(
      () => recoverNetwork(fit.solution, layout, undefined, { tolerance: -1 }),
      InvalidOptionError,
      "tolerance",
    );
    expectTyped(
      () => recoverNetwork(fit.solution, layout, undefined, { tolerance: Number.NaN }),
      InvalidOptionError,
      "tolerance",
    );
    expectTyped(
      () => recoverNetwork(fit.solution, layout, undefined, { hedas: 2 } as { heads?: number }),
      InvalidOptionError,
      "options.hedas",
    );
    expectTyped(
      () => headsNeeded(fit.solution, layout, Number.NaN),
      InvalidOptionError,
      "tolerance",
    );
    // the valid call still recovers one head per nonzero row (two here)
    expect(headsNeeded(fit.solution, layout)).toBe(recoverNetwork(fit.solution, layout).heads);
  });

  it("fitConvexAttention names data and options.prune", () => {
    const options = { model: "scalar" as const, targets: f(1, -1), lambda: 0.1 };
    expectTyped(
      () => fitConvexAttention(new TokenBatch(2, 0, 1), options),
      ShapeMismatchError,
      "data",
    );
    expectTyped(
      () => fitConvexAttention(new TokenBatch(2, 2, 0), options),
      ShapeMismatchError,
      "data",
    );
    expectTyped(() => fitConvexAttention({} as TokenBatch, options), InvalidOptionError, "data");
    expectTyped(
      () => fitConvexAttention(X, { ...options, prune: "yes" as unknown as boolean }),
      InvalidOptionError,
      "options.prune",
    );
  });
});
