import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { createProblem } from "../create-problem.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { estimateLipschitz } from "./estimate-lipschitz.js";

function problemOf(matrix: Matrix, scaling: "sum" | "mean" = "sum") {
  return createProblem({
    operator: denseOperator(matrix),
    loss: squaredLoss(new Float64Array(matrix.rows).fill(1), { scaling }),
    regularizer: groupL2({ sizes: new Array<number>(matrix.cols).fill(1) }),
    lambda: 0.1,
  });
}

describe("estimateLipschitz", () => {
  it("finds smoothness · ‖A‖₂² exactly on a diagonal A, and scales with the loss", () => {
    const A = Matrix.fromRows([
      [3, 0, 0],
      [0, 1, 0],
      [0, 0, 2],
    ]);
    expect(estimateLipschitz(problemOf(A), { iterations: 60 })).toBeCloseTo(9, 10);
    // mean scaling divides the squared loss by N = 3
    expect(estimateLipschitz(problemOf(A, "mean"), { iterations: 60 })).toBeCloseTo(3, 10);
  });

  it("approaches the true constant from below on a random A", () => {
    const rng = createRng(4);
    const A = new Matrix(30, 20, rng.fillNormal(new Float64Array(600)));
    const problem = problemOf(A);
    const truth = estimateLipschitz(problem, { iterations: 2000 });
    const rough = estimateLipschitz(problem);
    expect(rough).toBeLessThanOrEqual(truth * (1 + 1e-12));
    expect(rough).toBeGreaterThan(0.5 * truth);
    // ‖A‖₂² ≤ ‖A‖_F² always
    let frobenius = 0;
    for (const v of A.data) frobenius += v * v;
    expect(truth).toBeLessThanOrEqual(frobenius);
  });

  it("falls back to a positive constant for A = 0 and rejects bad options", () => {
    const zero = problemOf(new Matrix(2, 2));
    expect(estimateLipschitz(zero)).toBe(1);
    expect(() => estimateLipschitz(zero, { iterations: 0 })).toThrow(InvalidOptionError);
    expect(() => estimateLipschitz(zero, { iterations: 1.5 })).toThrow(/options\.iterations/);
    expect(() => estimateLipschitz(zero, { iteratons: 3 } as never)).toThrow(/unknown option/);
  });
});
