import { describe, expect, it } from "vitest";
import { runSolverConformance } from "../testing/index.js";
import { type AdmmOptions, admm } from "./admm.js";

describe("admm", () => {
  it("passes the conformance kit with the working set and with the Nyström–CG update", () => {
    const variants: AdmmOptions[] = [
      { workingSet: true, workingSetSize: 1 },
      { xUpdate: "auto", sketchRank: 3 },
    ];
    for (const solveOptions of variants) {
      const report = runSolverConformance(admm, { solveOptions });
      expect(report.failures).toEqual([]);
    }
  });
});

import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { createProblem } from "../create-problem.js";
import { ipm } from "../ipm/ipm.js";
import { lambdaMax } from "../lambda-max.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";

function randomProblem(rows: number, cols: number, loss: "squared" | "logistic", seed: number) {
  const rng = createRng(seed);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const y = rng.fillNormal(new Float64Array(rows));
  const parts = {
    operator: denseOperator(matrix),
    loss:
      loss === "squared"
        ? squaredLoss(y, { scaling: "mean" })
        : logisticLoss(Array.from(y, (v) => (v >= 0 ? 1 : -1))),
    regularizer: groupL2({ sizes: new Array(cols / 2).fill(2) }),
  };
  return createProblem({
    ...parts,
    lambda: 0.2 * lambdaMax(createProblem({ ...parts, lambda: 1 })),
  });
}

describe("admm details", () => {
  it("agrees with the interior point using the Woodbury (N < p), p × p and Newton–CG x-updates", () => {
    for (const [rows, cols, loss, xUpdate] of [
      [20, 50, "squared", "cholesky"],
      [50, 20, "squared", "cholesky"],
      [20, 50, "squared", "newton-cg"],
      [20, 50, "squared", "nystrom-cg"],
      [50, 20, "squared", "nystrom-cg"],
      [30, 40, "logistic", "auto"],
    ] as const) {
      const problem = randomProblem(rows, cols, loss, rows * 100 + cols);
      const reference = ipm.solve(problem, { tolerance: 1e-11 });
      const r = admm.solve(problem, { tolerance: 1e-9, xUpdate });
      expect(r.status, `${rows}×${cols} ${loss} ${xUpdate}`).toBe("converged");
      expect(r.relativeGap).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.objective - reference.objective)).toBeLessThan(
        2e-9 * Math.max(1, reference.objective),
      );
    }
  });

  it("stops with the signal's status when aborted during the Nyström sketch (set-up)", () => {
    const problem = randomProblem(20, 50, "squared", 7);
    const controller = new AbortController();
    let applies = 0;
    const operator = {
      rows: problem.operator.rows,
      cols: problem.operator.cols,
      apply(v: Float64Array, out: Float64Array) {
        applies++;
        if (applies === 4) controller.abort();
        problem.operator.apply(v, out);
      },
      adjoint: (r: Float64Array, out: Float64Array) => problem.operator.adjoint(r, out),
    };
    const r = admm.solve(
      { ...problem, operator },
      {
        signal: controller.signal,
        xUpdate: "nystrom-cg",
      },
    );
    expect(r.status).toBe("aborted");
    expect(r.iterations).toBe(0);
    expect(applies).toBeLessThan(8); // the sketch (rank 20) stopped early
  });

  it("agrees with the interior point on its working set (squared and logistic losses)", () => {
    for (const loss of ["squared", "logistic"] as const) {
      const problem = randomProblem(30, 80, loss, 11);
      const reference = ipm.solve(problem, { tolerance: 1e-11 });
      const r = admm.solve(problem, {
        tolerance: 1e-9,
        workingSet: true,
        workingSetSize: 2,
      });
      expect(r.status, loss).toBe("converged");
      expect(Math.abs(r.objective - reference.objective)).toBeLessThan(
        2e-9 * Math.max(1, reference.objective),
      );
    }
  });

  it("returns an exactly sparse z iterate", () => {
    const problem = randomProblem(20, 60, "squared", 5);
    const r = admm.solve(problem, { tolerance: 1e-8 });
    expect(r.status).toBe("converged");
    expect(r.x.filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  it("rejects bad options with typed errors naming them", () => {
    const problem = randomProblem(6, 8, "logistic", 1);
    expect(() => admm.solve(problem, { relaxation: 2.5 })).toThrow(/options\.relaxation/);
    expect(() => admm.solve(problem, { rho: -1 })).toThrow(InvalidOptionError);
    expect(() => admm.solve(problem, { xUpdate: "cholesky" })).toThrow(/options\.xUpdate/);
    expect(() => admm.solve(problem, { xUpdate: "nystrom-cg" })).toThrow(/options\.xUpdate/);
    expect(() => admm.solve(problem, { sketchRank: 0 })).toThrow(/options\.sketchRank/);
  });
});
