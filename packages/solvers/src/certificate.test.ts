import {
  createRng,
  InvalidOptionError,
  Matrix,
  NonFiniteInputError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "./certificate.js";
import { createProblem, withLambda } from "./create-problem.js";
import { fista } from "./fista/fista.js";
import { lambdaMax } from "./lambda-max.js";
import { squaredLoss } from "./losses/squared-loss.js";
import { checkAdjoint } from "./operators/check-adjoint.js";
import { denseOperator } from "./operators/dense-operator.js";
import { groupL2 } from "./regularizers/group-l2.js";
import { randomGroupLasso, specInstance1, specInstance2 } from "./testing/index.js";
import { validateProblem, validateSolveOptions } from "./validate-problem.js";

describe("certify", () => {
  it("certifies the spec's exact optima with zero gap and zero KKT residual", () => {
    const c1 = certify(specInstance1().problem, new Float64Array([7 / 8, -7 / 8]));
    expect(c1.objective).toBe(15 / 64);
    expect(c1.relativeGap).toBe(0);
    expect(c1.kktResidual).toBe(0);
    expect(c1.dualScale).toBe(1);
    const c2 = certify(specInstance2().problem, new Float64Array([0, 7 / 8]));
    expect(c2.objective).toBe(15 / 128);
    expect(c2.relativeGap).toBe(0);
    expect(c2.kktResidual).toBe(0);
  });

  it("bounds suboptimality at non-optimal points (exact values for instance 1 at x = 0)", () => {
    // x = 0: P = 1, v = y = (1, −1), R°(v) = 1 > λ: s = 1/8, u = y/8, D = −½·2/64 + 2/8 = 15/64
    const c = certify(specInstance1().problem, new Float64Array(2));
    expect(c.objective).toBe(1);
    expect(c.dualScale).toBe(1 / 8);
    expect(c.dualObjective).toBe(15 / 64);
    expect(c.relativeGap).toBe(1 - 15 / 64);
    expect(c.kktResidual).toBeCloseTo(Math.SQRT2 * (7 / 8), 15);
  });

  it("on random problems: the gap bounds the distance to the optimum value, and uses given predictions", () => {
    for (const loss of ["squared", "logistic", "cross-entropy"] as const) {
      const { problem } = randomGroupLasso({ loss, seed: 3 });
      const opt = fista.solve(problem, { tolerance: 1e-10 }).objective;
      const rng = createRng(8);
      for (let k = 0; k < 5; k++) {
        const x = rng.fillNormal(new Float64Array(problem.dim), 0, 0.3);
        const c = certify(problem, x);
        expect(c.dualObjective).toBeLessThanOrEqual(opt + 1e-8);
        expect(c.objective).toBeGreaterThanOrEqual(opt - 1e-9);
        expect(c.relativeGap).toBeGreaterThanOrEqual(
          (c.objective - opt) / Math.max(1, c.objective) - 1e-9,
        );
        const pred = new Float64Array(problem.operator.rows);
        problem.operator.apply(x, pred);
        expect(certify(problem, x, pred)).toEqual(c);
      }
    }
  });

  it("checks lengths", () => {
    const { problem } = specInstance1();
    expect(() => certify(problem, new Float64Array(3))).toThrow(ShapeMismatchError);
    expect(() => certify(problem, new Float64Array(2), new Float64Array(1))).toThrow(
      ShapeMismatchError,
    );
  });
});

describe("lambdaMax", () => {
  it("is the threshold of x = 0: optimal at λmax, not below", () => {
    expect(lambdaMax(specInstance1().problem)).toBe(1);
    for (const loss of ["squared", "logistic", "cross-entropy"] as const) {
      const { problem } = randomGroupLasso({ loss, seed: 5 });
      const top = lambdaMax(problem);
      expect(
        certify(withLambda(problem, top), new Float64Array(problem.dim)).relativeGap,
      ).toBeLessThan(1e-15);
      const below = fista.solve(withLambda(problem, 0.99 * top), { tolerance: 1e-10 });
      expect(below.x.some((v) => v !== 0)).toBe(true);
    }
  });
});

describe("operators and validation", () => {
  it("denseOperator is the matrix; checkAdjoint accepts it and catches a wrong adjoint", () => {
    const rng = createRng(2);
    const A = new Matrix(7, 5);
    rng.fillNormal(A.data);
    const op = denseOperator(A);
    const out = new Float64Array(7);
    op.apply(new Float64Array([1, 0, 0, 0, 0]), out);
    expect(Array.from(out)).toEqual(Array.from({ length: 7 }, (_, i) => A.get(i, 0)));
    const back = new Float64Array(5);
    op.adjoint(new Float64Array([0, 0, 1, 0, 0, 0, 0]), back);
    expect(Array.from(back)).toEqual(Array.from(A.row(2)));
    expect(checkAdjoint(op, rng, 5)).toBeLessThan(1e-14);
    const wrong = {
      ...op,
      adjoint: (r: Float64Array, o: Float64Array) => {
        op.adjoint(r, o);
        o[0] = (o[0] as number) * 2;
      },
    };
    expect(checkAdjoint(wrong, rng)).toBeGreaterThan(1e-3);
    expect(() => op.applyColumns?.(3, 7, new Float64Array(4), out)).toThrow(ShapeMismatchError);
  });

  it("validateProblem and createProblem reject inconsistent problems with typed errors", () => {
    const parts = {
      operator: denseOperator(Matrix.identity(2)),
      loss: squaredLoss(new Float64Array([1, -1])),
      regularizer: groupL2({ sizes: [1, 1] }),
      lambda: 0.5,
    };
    expect(createProblem(parts).dim).toBe(2);
    expect(() => createProblem({ ...parts, lambda: 0 })).toThrow(InvalidOptionError);
    expect(() => createProblem({ ...parts, lambda: Number.NaN })).toThrow(InvalidOptionError);
    expect(() => createProblem({ ...parts, regularizer: groupL2({ sizes: [3] }) })).toThrow(
      ShapeMismatchError,
    );
    expect(() => createProblem({ ...parts, loss: squaredLoss(new Float64Array(3)) })).toThrow(
      ShapeMismatchError,
    );
    const bad = Matrix.identity(2);
    bad.data[1] = Number.POSITIVE_INFINITY;
    expect(() => createProblem({ ...parts, operator: denseOperator(bad) })).toThrow(
      NonFiniteInputError,
    );
    const p = createProblem(parts);
    expect(() => validateProblem({ ...p, dim: 3 })).toThrow(ShapeMismatchError);
    expect(() => validateSolveOptions({ maxIterations: 1.5 }, 2)).toThrow(InvalidOptionError);
    expect(() => validateSolveOptions({ warmStart: new Float64Array(3) }, 2)).toThrow(
      ShapeMismatchError,
    );
    expect(() => validateSolveOptions({ timeLimitMs: 0 }, 2)).toThrow(InvalidOptionError);
    expect(() => validateSolveOptions({ signal: {} as AbortSignal }, 2)).toThrow(
      InvalidOptionError,
    );
  });
});
