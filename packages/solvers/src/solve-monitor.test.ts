import { describe, expect, it } from "vitest";
import type { CompositeProblem } from "./composite-problem.js";
import { SolveMonitor } from "./solve-monitor.js";
import type { SolveOptions, SolveResult, SolveStatus } from "./solver.js";
import { randomGroupLasso, runSolverConformance, specInstance1 } from "./testing/index.js";

/** Plain proximal gradient with a fixed step `1/L`, built on the monitor (as the docs show). */
function proximalGradient(
  problem: CompositeProblem,
  options: SolveOptions | undefined,
  L: number,
  certEvery = 1,
): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "pg",
    defaultMaxIterations: 100_000,
    historyLimit: 8,
  });
  const x = monitor.initialPoint();
  monitor.endSetup();
  let status: SolveStatus | undefined = monitor.start(x, monitor.certify(x));
  while (status === undefined) {
    const c0 = monitor.certify(x); // refresh the gradient at x
    const grad = monitor.certificateBuffers.gradient;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - (grad[i] as number) / L;
    problem.regularizer.prox(x, problem.lambda / L, x);
    void c0;
    const c = monitor.certify(x);
    status = monitor.step(
      x,
      c.objective,
      monitor.iteration % certEvery === certEvery - 1 ? c : undefined,
    );
  }
  return monitor.finish(x, status);
}

describe("SolveMonitor", () => {
  it("a small solver built on it passes the conformance kit", () => {
    const pg = {
      name: "pg",
      solve: (p: CompositeProblem, o?: SolveOptions) => proximalGradient(p, o, 2 * normSquared(p)),
    };
    const report = runSolverConformance(pg, {
      skip: ["tolerance-agreement", "warm-start", "known-optima"],
    });
    expect(report.failures).toEqual([]);
  });

  it("detects divergence (a step far too long) and returns the best iterate, never a false status", () => {
    const { problem } = randomGroupLasso({
      samples: 30,
      features: 20,
      groupSize: 2,
      lambdaRatio: 0.05,
      seed: 2,
    });
    const r = proximalGradient(problem, { tolerance: 1e-10 }, 0.01 * normSquared(problem));
    expect(r.status).toBe("diverged");
    // the best iterate is the start (x = 0) or better, and its numbers are its own
    expect(r.objective).toBeLessThanOrEqual(r.history[0]?.objective ?? Number.NaN);
    expect(r.x.every(Number.isFinite)).toBe(true);
  });

  it("thins the history to at most the limit, keeping the first record and the final one", () => {
    const { problem } = specInstance1();
    const records: number[] = [];
    const r = proximalGradient(
      problem,
      { tolerance: 1e-15, maxIterations: 100, onIteration: (rec) => records.push(rec.iteration) },
      1.1,
      1000,
    );
    expect(records.length).toBe(101); // start + 100 iterations, every one reported
    expect(r.history.length).toBeLessThanOrEqual(9);
    expect(r.history[0]?.iteration).toBe(0);
    expect(r.history[r.history.length - 1]?.iteration).toBe(r.iterations);
    expect(r.status === "max-iterations" || r.relativeGap <= 1e-15).toBe(true);
  });

  it("upgrades a stop to 'converged' only when the returned point is certified, and returns the warm start copy", () => {
    const { problem } = specInstance1();
    const warm = new Float64Array([7 / 8, -7 / 8]);
    const r = proximalGradient(problem, { warmStart: warm, tolerance: 1e-12 }, 1);
    expect(r.status).toBe("converged");
    expect(r.iterations).toBe(0);
    expect(r.x).not.toBe(warm);
    expect(Array.from(r.x)).toEqual([7 / 8, -7 / 8]);
  });
});

function normSquared(problem: CompositeProblem): number {
  // Frobenius bound on ‖A‖² times the loss smoothness: a safe 1/step (Σ_j ‖A e_j‖², so that
  // matrix-free operators work too)
  const { operator } = problem;
  const e = new Float64Array(operator.cols);
  const column = new Float64Array(operator.rows);
  let sum = 0;
  for (let j = 0; j < operator.cols; j++) {
    e.fill(0);
    e[j] = 1;
    operator.apply(e, column);
    for (const v of column) sum += v * v;
  }
  return problem.loss.smoothness * sum;
}
