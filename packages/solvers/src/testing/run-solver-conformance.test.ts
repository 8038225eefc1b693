import { describe, expect, it } from "vitest";
import type { CompositeProblem } from "../composite-problem.js";
import { fista } from "../fista/fista.js";
import type { SolveOptions, SolveResult, Solver } from "../solver.js";
import {
  CONFORMANCE_CHECKS,
  randomGroupLasso,
  runSolverConformance,
  specInstance1,
  specInstance2,
} from "./index.js";

const wrap = (
  name: string,
  edit: (r: SolveResult, o: SolveOptions) => SolveResult,
  editOptions = (o: SolveOptions) => o,
): Solver => ({
  name,
  solve: (p: CompositeProblem, o: SolveOptions = {}) => ({
    ...edit(fista.solve(p, editOptions(o)), o),
    solver: name,
  }),
});

describe("runSolverConformance", () => {
  it("reports every check by name", () => {
    const report = runSolverConformance(fista, { skip: ["tolerance-agreement"] });
    expect(report.checks.map((c) => c.name)).toEqual([...CONFORMANCE_CHECKS]);
    expect(report.checks.find((c) => c.name === "tolerance-agreement")?.skipped).toBe(true);
    expect(report.name).toBe("fista");
  });

  it("catches a solver whose status lies", () => {
    const liar = wrap("liar", (r) => ({
      ...r,
      status: "converged",
      relativeGap: 0,
      dualObjective: r.objective,
    }));
    const report = runSolverConformance(liar);
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(["max-iterations", "time-limit", "abort"]));
    expect(() =>
      runSolverConformance(liar, { throwOnFailure: true, skip: ["known-optima"] }),
    ).toThrow(/liar.*fails conformance[\s\S]*max-iterations/);
  });

  it("catches a dual value that is not a lower bound, and a wrong KKT residual", () => {
    const inflated = wrap("inflated", (r) => ({
      ...r,
      dualObjective: r.objective + 0.5,
      relativeGap: 0,
      kktResidual: 0,
    }));
    const report = runSolverConformance(inflated, {
      skip: ["max-iterations", "time-limit", "abort"],
    });
    const honesty = report.checks.find((c) => c.name === "certificate-honesty");
    expect(honesty?.passed).toBe(false);
    expect(honesty?.failures.join("\n")).toMatch(/not a lower bound/);
  });

  it("catches a solver that ignores the signal and the iteration cap, or returns a non-zero x above λmax", () => {
    const deaf = wrap(
      "deaf",
      (r) => r,
      ({ signal: _s, maxIterations: _m, timeLimitMs: _t, onIteration: _o, ...rest }) => rest,
    );
    const report = runSolverConformance(deaf, { skip: ["tolerance-agreement", "warm-start"] });
    const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(["max-iterations", "abort", "on-iteration"]));
    const dense = wrap("dense", (r) => ({ ...r, x: r.x.map((v) => v + 1e-300) }));
    expect(
      runSolverConformance(dense, {
        skip: ["tolerance-agreement", "warm-start", "certificate-honesty"],
      }).checks.find((c) => c.name === "lambda-max")?.passed,
    ).toBe(false);
  });

  it("ships the spec's instances and seeded random problems", () => {
    expect(specInstance1().problem.lambda).toBe(1 / 8);
    expect(Array.from(specInstance2().matrix.data)).toEqual([0, 1]);
    const a = randomGroupLasso({
      loss: "cross-entropy",
      samples: 5,
      features: 4,
      groupSize: 2,
      classes: 3,
      seed: 3,
    });
    const b = randomGroupLasso({
      loss: "cross-entropy",
      samples: 5,
      features: 4,
      groupSize: 2,
      classes: 3,
      seed: 3,
    });
    expect(a.problem.dim).toBe(12);
    expect(a.problem.loss.size).toBe(15);
    expect(Array.from(a.matrix.data)).toEqual(Array.from(b.matrix.data));
  });
});
