import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "../certificate.js";
import { createProblem, withLambda } from "../create-problem.js";
import { fista } from "../fista/fista.js";
import { lambdaMax } from "../lambda-max.js";
import type { LinearOperator } from "../linear-operator.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { getSolver } from "../registry.js";
import type { Regularizer } from "../regularizer.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { l1 } from "../regularizers/l1.js";
import { randomGroupLasso, runSolverConformance } from "../testing/index.js";
import { AndersonMemory } from "./anderson.js";
import { bcd } from "./bcd.js";

describe("bcd", () => {
  it("is registered (the kit runs for every registered solver: registered-solvers-conformance.test.ts)", () => {
    expect(getSolver("bcd")).toBe(bcd);
  });

  it("passes the kit without Anderson extrapolation and with a one-group working set", () => {
    for (const solveOptions of [{ andersonDepth: 0 }, { workingSetSize: 1, checkEvery: 1 }]) {
      const report = runSolverConformance(bcd, {
        solveOptions,
        skip: ["time-limit", "abort", "unknown-option"],
      });
      expect(report.failures).toEqual([]);
    }
  });

  it("solves exact instance 1 exactly: (7/8, −7/8), 15/64", () => {
    const problem = createProblem({
      operator: denseOperator(Matrix.identity(2)),
      loss: squaredLoss(new Float64Array([1, -1])),
      regularizer: groupL2({ sizes: [1, 1] }),
      lambda: 1 / 8,
    });
    const r = bcd.solve(problem, { tolerance: 1e-12 });
    expect(r.status).toBe("converged");
    expect(r.x[0]).toBeCloseTo(7 / 8, 12);
    expect(r.x[1]).toBeCloseTo(-7 / 8, 12);
    expect(r.objective).toBeCloseTo(15 / 64, 12);
  });

  it("agrees with FISTA to 1e-7 in objective for each loss, with an honest certificate", () => {
    for (const loss of ["squared", "logistic", "cross-entropy"] as const) {
      const { problem } = randomGroupLasso({ loss, samples: 60, features: 48, groupSize: 4 });
      const a = bcd.solve(problem, { tolerance: 1e-10 });
      const b = fista.solve(problem, { tolerance: 1e-10 });
      expect(a.status).toBe("converged");
      expect(Math.abs(a.objective - b.objective)).toBeLessThan(1e-7 * Math.max(1, b.objective));
      const c = certify(problem, a.x);
      expect(c.objective).toBeCloseTo(a.objective, 10);
      expect(c.relativeGap).toBeLessThanOrEqual(1e-10 * 1.0001);
    }
  });

  it("uses column blocks of implicit operators (applyColumns) and of opaque ones (padded)", () => {
    const rng = createRng(3);
    const M = new Matrix(40, 30, rng.fillNormal(new Float64Array(1200)));
    const dense = denseOperator(M);
    const y = rng.fillNormal(new Float64Array(40));
    const implicit: LinearOperator = {
      rows: 40,
      cols: 30,
      apply: (v, out) => dense.apply(v, out),
      adjoint: (r, out) => dense.adjoint(r, out),
      applyColumns: (s, e, v, out) => {
        const p = new Float64Array(30);
        p.set(v, s);
        dense.apply(p, out);
        void e;
      },
      adjointColumns: (s, e, r, out) => {
        const full = new Float64Array(30);
        dense.adjoint(r, full);
        out.set(full.subarray(s, e));
      },
    };
    const opaque: LinearOperator = {
      rows: 40,
      cols: 30,
      apply: (v, out) => dense.apply(v, out),
      adjoint: (r, out) => dense.adjoint(r, out),
    };
    const objectives = [dense, implicit, opaque].map((operator) => {
      const base = createProblem({
        operator,
        loss: squaredLoss(y),
        regularizer: groupL2({ sizes: new Array<number>(10).fill(3) }),
        lambda: 1,
      });
      const r = bcd.solve(withLambda(base, 0.3 * lambdaMax(base)), { tolerance: 1e-10 });
      expect(r.status).toBe("converged");
      return r.objective;
    });
    expect(objectives[1]).toBeCloseTo(objectives[0] as number, 8);
    expect(objectives[2]).toBeCloseTo(objectives[0] as number, 8);
  });

  it("solves the lasso (ℓ1) and grows its working set from one group", () => {
    const rng = createRng(9);
    const M = new Matrix(50, 120, rng.fillNormal(new Float64Array(6000)));
    const y = rng.fillNormal(new Float64Array(50));
    const base = createProblem({
      operator: denseOperator(M),
      loss: squaredLoss(y),
      regularizer: l1(120),
      lambda: 1,
    });
    const problem = withLambda(base, 0.2 * lambdaMax(base));
    const r = bcd.solve(problem, { tolerance: 1e-9, workingSetSize: 1 });
    const f = fista.solve(problem, { tolerance: 1e-9 });
    expect(r.status).toBe("converged");
    expect(r.objective).toBeCloseTo(f.objective, 7);
    expect(r.x.some((v) => v !== 0)).toBe(true);
  });

  it("throws typed errors for a regularizer without groups and for bad options", () => {
    const { problem } = randomGroupLasso({ samples: 10, features: 8, groupSize: 2 });
    const plain: Regularizer = {
      name: "ridge-like",
      dim: problem.dim,
      groups: undefined,
      value: (v) => problem.regularizer.value(v),
      prox: (v, t, out) => problem.regularizer.prox(v, t, out),
      polar: (v) => problem.regularizer.polar(v),
    };
    expect(() => bcd.solve({ ...problem, regularizer: plain })).toThrow(/problem\.regularizer/);
    expect(() => bcd.solve(problem, { andersonDepth: -1 })).toThrow(InvalidOptionError);
    expect(() => bcd.solve(problem, { workingSetSize: 0 })).toThrow(/options\.workingSetSize/);
    expect(() => bcd.solve(problem, { checkEvery: 1.5 })).toThrow(/options\.checkEvery/);
  });
});

describe("AndersonMemory", () => {
  it("extrapolates a linear fixed-point iteration to its fixed point", () => {
    // x ← M x + 1 with M = diag(0.9, 0.5): fixed point (10, 2); three differences span the
    // degree-2 minimal polynomial of M, so the extrapolation is exact
    const mem = new AndersonMemory(3, 2);
    let x = new Float64Array([0, 0]);
    let full = false;
    while (!full) {
      full = mem.push(x);
      x = new Float64Array([0.9 * (x[0] as number) + 1, 0.5 * (x[1] as number) + 1]);
    }
    const c = new Float64Array(3);
    expect(mem.weights(c)).toBe(true);
    const out = new Float64Array(2);
    mem.combine(c, out);
    expect(out[0]).toBeCloseTo(10, 4);
    expect(out[1]).toBeCloseTo(2, 4);
  });

  it("refuses a singular history (no movement)", () => {
    const mem = new AndersonMemory(2, 3);
    const x = new Float64Array([1, 2, 3]);
    mem.push(x);
    mem.push(x);
    mem.push(x);
    expect(mem.weights(new Float64Array(2))).toBe(false);
  });
});
