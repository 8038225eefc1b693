import {
  type ConvexformerError,
  InvalidOptionError,
  Matrix,
  NonFiniteInputError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "./certificate.js";
import { createProblem } from "./create-problem.js";
import { lambdaMax } from "./lambda-max.js";
import { crossEntropyLoss } from "./losses/cross-entropy-loss.js";
import { logisticLoss } from "./losses/logistic-loss.js";
import { squaredLoss } from "./losses/squared-loss.js";
import { denseOperator } from "./operators/dense-operator.js";
import { groupL2 } from "./regularizers/group-l2.js";
import { l1 } from "./regularizers/l1.js";
import { solvePath } from "./solve-path.js";
import type { Solver } from "./solver.js";

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

function problem() {
  return createProblem({
    operator: denseOperator(
      Matrix.fromRows([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
    ),
    loss: squaredLoss(f(1, 2, 3)),
    regularizer: groupL2({ sizes: [1, 1] }),
    lambda: 1,
  });
}

describe("bad input (audit)", () => {
  it("denseOperator rejects non-finite, empty and non-Matrix input", () => {
    expectTyped(
      () => denseOperator(Matrix.fromRows([[1, Number.NaN]])),
      NonFiniteInputError,
      "matrix",
    );
    expectTyped(() => denseOperator(Matrix.fromRows([[Infinity]])), NonFiniteInputError, "matrix");
    expectTyped(() => denseOperator(new Matrix(0, 2)), ShapeMismatchError, "matrix");
    expectTyped(() => denseOperator(new Matrix(2, 0)), ShapeMismatchError, "matrix");
    expectTyped(
      () => denseOperator({ rows: 1 } as unknown as Matrix),
      InvalidOptionError,
      "matrix",
    );
  });

  it("losses reject empty targets (N = 0)", () => {
    expectTyped(() => squaredLoss(f()), ShapeMismatchError, "targets");
    expectTyped(() => squaredLoss(new Matrix(0, 2)), ShapeMismatchError, "targets");
    expectTyped(() => logisticLoss(f()), ShapeMismatchError, "labels");
    expectTyped(
      () => crossEntropyLoss(new Int32Array(0), { classes: 3 }),
      ShapeMismatchError,
      "labels",
    );
    expectTyped(() => crossEntropyLoss(new Matrix(0, 3)), ShapeMismatchError, "labels");
  });

  it("regularizers reject zero groups", () => {
    expectTyped(() => groupL2({ sizes: [] }), ShapeMismatchError, "options.sizes");
    expectTyped(() => l1(0), InvalidOptionError, "dim");
  });

  it("lambdaMax validates its problem instead of throwing a TypeError", () => {
    expectTyped(
      () => lambdaMax({} as ReturnType<typeof problem>),
      InvalidOptionError,
      "problem.dim",
    );
    expect(() => lambdaMax(null as unknown as ReturnType<typeof problem>)).toThrow(
      InvalidOptionError,
    );
    // still correct on a valid problem: ‖Aᵀy‖ per group = max(|1+3|, |2+3|) = 5
    expect(lambdaMax(problem())).toBeCloseTo(5, 12);
  });

  it("certify rejects a non-finite point instead of reporting a NaN certificate", () => {
    const p = problem();
    expectTyped(() => certify(p, f(Number.NaN, 0)), NonFiniteInputError, "x");
    expectTyped(() => certify(p, f(0, 0), f(0, Infinity, 0)), NonFiniteInputError, "predictions");
  });

  it("solvePath rejects an empty grid and a bad solver option", () => {
    const p = problem();
    expectTyped(() => solvePath(p, []), InvalidOptionError, "lambdas");
    expectTyped(() => solvePath(p, [1], { solver: "nope" }), InvalidOptionError, "options.solver");
    expectTyped(
      () => solvePath(p, [1], { solver: 5 as unknown as Solver }),
      InvalidOptionError,
      "options.solver",
    );
  });
});
