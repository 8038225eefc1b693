import { InvalidOptionError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { CompositeProblem } from "../composite-problem.js";
import { fista } from "../fista/fista.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "../solver.js";
import { BacktrackingLineSearch } from "../step-size/backtracking-line-search.js";
import { estimateLipschitz } from "../step-size/estimate-lipschitz.js";
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

  it("fails a solver whose prox ignores the group weights, naming the gap and the iterations", () => {
    // proximal gradient, correct in every way except that its steps use unit weights
    const blind: Solver = {
      name: "weight-blind",
      solve(problem: CompositeProblem, options?: SolveOptions): SolveResult {
        const monitor = new SolveMonitor(problem, options, {
          solver: "weight-blind",
          defaultMaxIterations: 2000,
        });
        const groups = problem.regularizer.groups;
        const stepped =
          groups === undefined
            ? problem
            : { ...problem, regularizer: groupL2({ ptr: groups.ptr }) };
        const search = new BacktrackingLineSearch(stepped, {
          lipschitz: estimateLipschitz(problem),
        });
        const x = monitor.initialPoint();
        const next = {
          x: new Float64Array(problem.dim),
          predictions: new Float64Array(problem.operator.rows),
        };
        monitor.endSetup();
        let status: SolveStatus | undefined = monitor.start(x, monitor.certify(x));
        while (status === undefined) {
          const { predictions, gradient } = monitor.certificateBuffers;
          search.step(x, predictions, gradient, next);
          x.set(next.x);
          const c = monitor.certify(x);
          status = monitor.step(x, c.objective, c);
        }
        return monitor.finish(x, status);
      },
    };
    const report = runSolverConformance(blind, { only: ["known-optima", "group-weights"] });
    const byName = new Map(report.checks.map((c) => [c.name, c]));
    // unit weights: nothing to ignore, it is a correct solver there
    expect(byName.get("known-optima")?.passed).toBe(true);
    const weights = byName.get("group-weights");
    expect(weights?.passed).toBe(false);
    expect(weights?.failures.join("\n")).toMatch(
      /random weights.*status max-iterations after 2000 iterations \(relative gap \d\.\d\de[-+]\d+\), expected converged at tolerance 1e-8/,
    );
    // and with random ℓ1 weights too
    expect(runSolverConformance(blind, { only: ["l1"] }).passed).toBe(false);
  });

  it("fails a solver that writes to the caller's warm start or data", () => {
    const scribbler: Solver = {
      name: "scribbler",
      solve(problem, options = {}) {
        const r = fista.solve(problem, options);
        options.warmStart?.set(r.x); // "helpfully" returns the answer in place
        return { ...r, solver: "scribbler" };
      },
    };
    const report = runSolverConformance(scribbler, { only: ["caller-arrays"] });
    expect(report.passed).toBe(false);
    expect(report.failures.join("\n")).toMatch(
      /caller-arrays: .*warmStart\[0\] changed from -0\.2 to .* \(a solver must not write to the caller's arrays\)/,
    );
    const aliasing: Solver = {
      name: "aliasing",
      solve(problem, options = {}) {
        const r = fista.solve(problem, options);
        const x = options.warmStart ?? r.x;
        x.set(r.x);
        return { ...r, x, solver: "aliasing" };
      },
    };
    expect(runSolverConformance(aliasing, { only: ["caller-arrays"] }).failures.join("\n")).toMatch(
      /result\.x is the caller's warmStart array itself/,
    );
    const normalizer: Solver = {
      name: "normalizer",
      solve(problem, options) {
        const dense = problem.operator.toDense?.();
        if (dense !== undefined) dense.data[0] = 2 * (dense.data[0] as number); // in place!
        return { ...fista.solve(problem, options), solver: "normalizer" };
      },
    };
    expect(
      runSolverConformance(normalizer, { only: ["caller-arrays"] }).failures.join("\n"),
    ).toMatch(/the design matrix's data\[0\] changed/);
  });

  it("runs one named check alone, and rejects names that are not checks", () => {
    const report = runSolverConformance(fista, { only: ["certificate-honesty"] });
    expect(report.passed).toBe(true);
    expect(report.checks.filter((c) => !c.skipped).map((c) => c.name)).toEqual([
      "certificate-honesty",
    ]);
    expect(() => runSolverConformance(fista, { only: ["group-weight"] })).toThrow(
      InvalidOptionError,
    );
    expect(() => runSolverConformance(fista, { skip: ["l1", "abrt"] })).toThrow(
      /^options\.skip\[1\] = "abrt": is not a conformance check/,
    );
    expect(() => runSolverConformance(fista, { sead: 1 } as never)).toThrow(/unknown option/);
  });

  it("passes the new problems to a correct solver: weights, unequal groups, ℓ1, matrix-free, mean scaling", () => {
    const report = runSolverConformance(fista, {
      only: ["group-weights", "l1", "matrix-free", "mean-scaling", "caller-arrays"],
    });
    expect(report.failures).toEqual([]);
    const uneven = randomGroupLasso({
      features: 10,
      groupSizes: [1, 2, 3, 4],
      groupWeights: "random",
      regularizer: "group-l2",
      scaling: "mean",
      operator: "matrix-free",
    });
    expect(uneven.name).toBe(
      "random squared 30x10 (groups of sizes 1,2,3,4, random weights, mean scaling, matrix-free, seed 1)",
    );
    expect(Array.from(uneven.problem.regularizer.groups?.ptr ?? [])).toEqual([0, 1, 3, 6, 10]);
    const w = Array.from(uneven.problem.regularizer.groups?.weights ?? []);
    expect(w.every((v) => v >= 0.25 && v <= 4)).toBe(true);
    expect(new Set(w).size).toBe(4);
    expect(uneven.problem.operator.toDense).toBeUndefined();
    expect(uneven.problem.loss.scaling).toBe("mean");
    expect(() => randomGroupLasso({ features: 10, groupSizes: [5, 4] })).toThrow(
      /options\.groupSizes/,
    );
  });
});
