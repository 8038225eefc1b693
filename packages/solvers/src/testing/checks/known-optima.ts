import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged } from "../conformance-expectations.js";
import { type ConformanceProblem, specInstance1, specInstance2 } from "../conformance-problems.js";

/** Exact instances 1 and 2 to 1e-10: objective to 1e-9, `x` to 1e-4. @internal */
export const knownOptima: ConformanceCheckDefinition = {
  name: "known-optima",
  run({ solve }, fail) {
    const cases: [ConformanceProblem, number[], number][] = [
      [specInstance1(), [7 / 8, -7 / 8], 15 / 64],
      [specInstance2(), [0, 7 / 8], 15 / 128],
    ];
    for (const [c, xStar, value] of cases) {
      const r = solve(c.problem, { tolerance: 1e-10 });
      expectConverged(fail, c.name, c.problem, r, 1e-10);
      if (!(Math.abs(r.objective - value) <= 1e-9))
        fail(`${c.name}: objective ${r.objective}, expected ${value}`);
      for (let i = 0; i < xStar.length; i++) {
        if (!(Math.abs((r.x[i] as number) - (xStar[i] as number)) <= 1e-4)) {
          fail(`${c.name}: x[${i}] = ${r.x[i]}, expected ${xStar[i]}`);
        }
      }
    }
  },
};
