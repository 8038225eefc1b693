import { describe, expect, it } from "vitest";
import { runSolverConformance } from "../testing/index.js";
import { ipm } from "./ipm.js";

describe("ipm", () => {
  it("passes the conformance kit", () => {
    const report = runSolverConformance(ipm, {
      // the interior point factors the dense design: it refuses an operator without toDense
      // (tested below: "throws typed errors for an operator without toDense")
      skip: ["matrix-free"],
    });
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { createProblem } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";

function randomProblem(
  rows: number,
  cols: number,
  groupSize: number,
  loss: "squared" | "logistic",
  seed: number,
) {
  const rng = createRng(seed);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const y = rng.fillNormal(new Float64Array(rows));
  const parts = {
    operator: denseOperator(matrix),
    loss:
      loss === "squared" ? squaredLoss(y) : logisticLoss(Array.from(y, (v) => (v >= 0 ? 1 : -1))),
    regularizer: groupL2({ sizes: new Array(cols / groupSize).fill(groupSize) }),
  };
  return createProblem({
    ...parts,
    lambda: 0.1 * lambdaMax(createProblem({ ...parts, lambda: 1 })),
  });
}

describe("ipm details", () => {
  it("solves spec instance 1 exactly: z = (7/8, −7/8), value 15/64", () => {
    const problem = createProblem({
      operator: denseOperator(Matrix.identity(2)),
      loss: squaredLoss(new Float64Array([1, -1])),
      regularizer: groupL2({ sizes: [1, 1] }),
      lambda: 1 / 8,
    });
    const r = ipm.solve(problem, { tolerance: 1e-12 });
    expect(r.status).toBe("converged");
    expect(r.x[0]).toBeCloseTo(7 / 8, 10);
    expect(r.x[1]).toBeCloseTo(-7 / 8, 10);
    expect(r.objective).toBeCloseTo(15 / 64, 12);
  });

  it("gives the same optimum with the primal and the sample-space (Woodbury) Newton systems, N < p and N > p", () => {
    for (const [rows, cols, loss] of [
      [30, 60, "squared"],
      [60, 24, "squared"],
      [30, 60, "logistic"],
    ] as const) {
      const problem = randomProblem(rows, cols, 3, loss, rows + cols);
      const a = ipm.solve(problem, {
        tolerance: 1e-10,
        system: "primal",
        workingSet: false,
      });
      const b = ipm.solve(problem, {
        tolerance: 1e-10,
        system: "dual",
        workingSet: false,
      });
      expect(a.status).toBe("converged");
      expect(b.status).toBe("converged");
      expect(Math.abs(a.objective - b.objective)).toBeLessThan(1e-9 * Math.max(1, a.objective));
      expect(a.relativeGap).toBeLessThanOrEqual(1e-10);
    }
  });

  it("reaches 1e-10 with and without working set and screening, and the clean-up leaves exact zeros", () => {
    const problem = randomProblem(40, 120, 4, "squared", 7);
    const plain = ipm.solve(problem, {
      tolerance: 1e-10,
      workingSet: false,
      screening: false,
    });
    const fast = ipm.solve(problem, { tolerance: 1e-10 });
    expect(plain.status).toBe("converged");
    expect(fast.status).toBe("converged");
    expect(Math.abs(plain.objective - fast.objective)).toBeLessThan(1e-9 * plain.objective);
    let zeros = 0;
    for (let g = 0; g < 30; g++) {
      let s = 0;
      for (let j = 4 * g; j < 4 * g + 4; j++) s += fast.x[j]! ** 2;
      if (s === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(0);
    expect(fast.kktResidual).toBeLessThan(1e-4);
  });

  it("throws typed errors for an operator without toDense and a regularizer it does not handle", () => {
    const problem = randomProblem(10, 12, 3, "squared", 3);
    const { toDense: _drop, ...rest } = problem.operator;
    const noDense = createProblem({
      operator: rest,
      loss: problem.loss,
      regularizer: problem.regularizer,
      lambda: problem.lambda,
    });
    expect(() => ipm.solve(noDense)).toThrow(InvalidOptionError);
    expect(() => ipm.solve(noDense)).toThrow(/problem\.operator/);
    const custom = createProblem({
      operator: problem.operator,
      loss: problem.loss,
      regularizer: {
        ...problem.regularizer,
        name: "custom",
        value: (x) => problem.regularizer.value(x),
        prox: (x, t, o) => problem.regularizer.prox(x, t, o),
        polar: (v) => problem.regularizer.polar(v),
        groups: problem.regularizer.groups,
      },
      lambda: problem.lambda,
    });
    expect(() => ipm.solve(custom)).toThrow(/problem\.regularizer/);
    // @ts-expect-error: "qr" is not an IpmOptions["system"]
    expect(() => ipm.solve(problem, { system: "qr" })).toThrow(/options\.system/);
  });
});
