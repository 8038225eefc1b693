import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged, outcome } from "../conformance-expectations.js";

/** From a warm start at the optimum it converges within 5 iterations. @internal */
export const warmStart: ConformanceCheckDefinition = {
  name: "warm-start",
  run({ solve, randoms }, fail) {
    for (const c of randoms) {
      const opt = solve(c.problem, { tolerance: 1e-10 });
      const again = solve(c.problem, { tolerance: 1e-8, warmStart: opt.x });
      if (again.status !== "converged" || again.iterations > 5) {
        fail(
          `${c.name}: from a warm start at the optimum, ${outcome(again)} (expected converged within 5 iterations at tolerance 1e-8)`,
        );
      } else {
        expectConverged(fail, `${c.name} (warm)`, c.problem, again, 1e-8);
      }
    }
  },
};
