import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "../certificate.js";
import { createProblem, withLambda } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { l1 } from "../regularizers/l1.js";
import { randomGroupLasso, runSolverConformance } from "../testing/index.js";
import { type FistaOptions, fista } from "./fista.js";

describe("fista", () => {
  it("passes the conformance kit with screening on, working sets off, and other restarts", () => {
    const variants: FistaOptions[] = [
      { screening: false, workingSet: false },
      { screening: true },
      { screening: true, workingSet: false },
      { restart: "function" },
      { restart: "none", stepGrowth: 1 },
    ];
    for (const solveOptions of variants) {
      const report = runSolverConformance(fista, {
        solveOptions,
        skip: ["time-limit", "abort", "unknown-option"],
      });
      expect(report.failures).toEqual([]);
    }
  });

  it("gives the same optimum with and without screening and working sets, for each loss", () => {
    for (const loss of ["squared", "logistic", "cross-entropy"] as const) {
      const { problem } = randomGroupLasso({
        loss,
        samples: 40,
        features: 60,
        groupSize: 5,
        lambdaRatio: 0.3,
        seed: 7,
      });
      const plain = fista.solve(problem, { tolerance: 1e-9, screening: false, workingSet: false });
      for (const o of [{}, { screening: true }, { screening: true, workingSet: false }]) {
        const fast = fista.solve(problem, { tolerance: 1e-9, ...o });
        expect(plain.status).toBe("converged");
        expect(fast.status).toBe("converged");
        expect(Math.abs(plain.objective - fast.objective)).toBeLessThanOrEqual(
          2e-9 * Math.max(1, plain.objective),
        );
      }
    }
  });

  it("reaches the same optimum with every option on an implicit operator (columns only, no dense form)", () => {
    for (const loss of ["squared", "logistic"] as const) {
      const { problem, matrix } = randomGroupLasso({
        loss,
        samples: 40,
        features: 120,
        groupSize: 4,
        lambdaRatio: 0.4,
        seed: 12,
      });
      const dense = denseOperator(matrix);
      const implicit = createProblem({
        operator: {
          rows: dense.rows,
          cols: dense.cols,
          apply: dense.apply,
          adjoint: dense.adjoint,
          applyColumns: dense.applyColumns!,
          adjointColumns: dense.adjointColumns!,
        },
        loss: problem.loss,
        regularizer: problem.regularizer,
        lambda: problem.lambda,
      });
      const plain = fista.solve(problem, { tolerance: 1e-9, screening: false, workingSet: false });
      expect(plain.status).toBe("converged");
      for (const o of [
        { screening: true, workingSet: false },
        { screening: false, workingSet: true },
        { screening: true, workingSet: true },
        { screening: true, workingSet: true, workingSetSize: 1 },
      ]) {
        const r = fista.solve(implicit, { tolerance: 1e-9, ...o });
        expect(r.status).toBe("converged");
        expect(certify(problem, r.x).relativeGap).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(plain.objective - r.objective)).toBeLessThanOrEqual(
          2e-9 * Math.max(1, plain.objective),
        );
        // the working set and screening never give up exact zeros of the optimum's support
        let sameSupport = true;
        for (let g = 0; g < 30; g++) {
          const a = plain.x.subarray(4 * g, 4 * g + 4).some((v) => Math.abs(v) > 1e-4);
          const b = r.x.subarray(4 * g, 4 * g + 4).some((v) => v !== 0);
          if (a && !b) sameSupport = false;
        }
        expect(sameSupport).toBe(true);
      }
    }
  });

  it("solves an ℓ1 (lasso) problem to a certified optimum with an exactly sparse solution", () => {
    const rng = createRng(3);
    const A = new Matrix(30, 50);
    rng.fillNormal(A.data);
    const y = rng.fillNormal(new Float64Array(30));
    const base = createProblem({
      operator: denseOperator(A),
      loss: squaredLoss(y),
      regularizer: l1(50),
      lambda: 1,
    });
    const problem = withLambda(base, 0.3 * lambdaMax(base));
    const r = fista.solve(problem, { tolerance: 1e-10 });
    expect(r.status).toBe("converged");
    const zeros = r.x.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(25);
    expect(certify(problem, r.x).relativeGap).toBeLessThanOrEqual(1e-10);
  });

  it("works on an operator without columns or dense form (no screening, working set through padding)", () => {
    const { problem, matrix } = randomGroupLasso({
      samples: 25,
      features: 30,
      groupSize: 3,
      seed: 4,
    });
    const dense = denseOperator(matrix);
    const opaque = createProblem({
      operator: { rows: dense.rows, cols: dense.cols, apply: dense.apply, adjoint: dense.adjoint },
      loss: problem.loss,
      regularizer: problem.regularizer,
      lambda: problem.lambda,
    });
    const a = fista.solve(problem, { tolerance: 1e-9 });
    const b = fista.solve(opaque, { tolerance: 1e-9 });
    expect(b.status).toBe("converged");
    expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(
      2e-9 * Math.max(1, a.objective),
    );
  });

  it("rejects bad FISTA options with typed errors", () => {
    const { problem } = randomGroupLasso({ samples: 5, features: 4, groupSize: 2 });
    expect(() => fista.solve(problem, { restart: "sometimes" as "none" })).toThrow(
      InvalidOptionError,
    );
    expect(() => fista.solve(problem, { stepGrowth: 0.5 })).toThrow(InvalidOptionError);
    expect(() => fista.solve(problem, { certificateEvery: 0 })).toThrow(InvalidOptionError);
  });

  it("reports an honest non-converged status with the best iterate at the iteration cap", () => {
    const { problem } = randomGroupLasso({
      samples: 30,
      features: 60,
      groupSize: 3,
      lambdaRatio: 0.05,
      seed: 9,
    });
    const r = fista.solve(problem, { tolerance: 1e-12, maxIterations: 5, workingSet: false });
    expect(r.status).toBe("max-iterations");
    expect(r.iterations).toBe(5);
    const c = certify(problem, r.x);
    expect(r.objective).toBeCloseTo(c.objective, 12);
    expect(r.relativeGap).toBeGreaterThan(1e-12);
    expect(Math.min(...r.history.map((h) => h.objective))).toBeGreaterThanOrEqual(
      r.objective - 1e-12,
    );
  });

  it("with a groupL2 of unequal groups and weights matches the KKT conditions at the optimum", () => {
    const rng = createRng(11);
    const A = new Matrix(20, 12);
    rng.fillNormal(A.data);
    const y = rng.fillNormal(new Float64Array(20));
    const reg = groupL2({ sizes: [1, 2, 3, 6], weights: [0.5, 1, 2, 1.5] });
    const base = createProblem({
      operator: denseOperator(A),
      loss: squaredLoss(y),
      regularizer: reg,
      lambda: 1,
    });
    const problem = withLambda(base, 0.4 * lambdaMax(base));
    const r = fista.solve(problem, { tolerance: 1e-12 });
    expect(r.status).toBe("converged");
    expect(r.kktResidual).toBeLessThan(1e-4);
  });
});
