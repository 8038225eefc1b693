import { InvalidOptionError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "./certificate.js";
import { withLambda } from "./create-problem.js";
import { fista } from "./fista/fista.js";
import { lambdaMax } from "./lambda-max.js";
import { lambdaGrid, solvePath } from "./solve-path.js";
import { randomGroupLasso } from "./testing/index.js";

describe("solvePath and lambdaGrid", () => {
  const { problem } = randomGroupLasso({ samples: 30, features: 40, groupSize: 4, seed: 12 });

  it("lambdaGrid is geometric from λmax down", () => {
    const grid = lambdaGrid(problem, { count: 3, ratio: 0.01 });
    const top = lambdaMax(problem);
    expect(grid[0]).toBe(top);
    expect(grid[1]).toBeCloseTo(0.1 * top, 12);
    expect(grid[2]).toBeCloseTo(0.01 * top, 12);
    expect(() => lambdaGrid(problem, { ratio: 2 })).toThrow(InvalidOptionError);
  });

  it("matches independent solves, starts at x = 0, and warm-starts each λ at the previous solution", () => {
    const grid = lambdaGrid(problem, { count: 6, ratio: 0.05 });
    const seen: number[] = [];
    const path = solvePath(problem, grid, {
      solveOptions: { tolerance: 1e-9 },
      onSolved: (i) => seen.push(i),
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(path.results[0]?.x.every((v) => v === 0)).toBe(true);
    grid.forEach((lambda, i) => {
      const cold = fista.solve(withLambda(problem, lambda), { tolerance: 1e-9 });
      const warm = path.results[i];
      expect(warm?.status).toBe("converged");
      expect(Math.abs((warm?.objective ?? 0) - cold.objective)).toBeLessThanOrEqual(
        2e-9 * Math.max(1, cold.objective),
      );
      // each solve starts at the previous solution
      if (i > 0 && warm !== undefined && warm.iterations > 0) {
        const start = certify(
          withLambda(problem, lambda),
          path.results[i - 1]?.x ?? new Float64Array(0),
        );
        expect(warm.history[0]?.iteration).toBe(0);
        expect(warm.history[0]?.objective).toBeCloseTo(start.objective, 12);
      }
    });
    // a builder gives the same path
    const built = solvePath((lambda) => withLambda(problem, lambda), grid.slice(0, 2), {
      solver: "fista",
    });
    expect(built.results[1]?.objective).toBeCloseTo(path.results[1]?.objective ?? 0, 5);
    expect(() => solvePath(problem, [1, -1])).toThrow(InvalidOptionError);
  });
  it("an aborted path stops at the aborted λ and resumeFrom continues it to the uninterrupted results", () => {
    const grid = lambdaGrid(problem, { count: 6, ratio: 0.05 });
    const whole = solvePath(problem, grid, { solveOptions: { tolerance: 1e-9 } });
    const controller = new AbortController();
    const partial = solvePath(problem, grid, {
      solveOptions: { tolerance: 1e-9, signal: controller.signal },
      onSolved: (index) => {
        if (index === 2) controller.abort();
      },
    });
    // λ_0..λ_2 solved, λ_3 aborted at once, and the path stopped there
    expect(partial.results.map((r) => r.status)).toEqual([
      "converged",
      "converged",
      "converged",
      "aborted",
    ]);
    const resumed = solvePath(problem, grid, {
      solveOptions: { tolerance: 1e-9 },
      resumeFrom: { results: partial.results.slice(0, 3) },
    });
    expect(resumed.results).toHaveLength(grid.length);
    resumed.results.forEach((r, i) => {
      const w = whole.results[i]!;
      expect(r.status).toBe(w.status);
      expect(r.iterations).toBe(w.iterations);
      expect(r.objective).toBe(w.objective);
    });
    expect(() => solvePath(problem, grid, { resumeFrom: { results: partial.results } })).toThrow(
      /options\.resumeFrom\.results\[3\] = "aborted"/,
    );
  });
});
