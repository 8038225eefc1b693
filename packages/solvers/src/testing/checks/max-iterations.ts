import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectStatus } from "../conformance-expectations.js";

/** `maxIterations: 1` stops after at most one iteration. @internal */
export const maxIterations: ConformanceCheckDefinition = {
  name: "max-iterations",
  run({ solve, first }, fail) {
    const r = solve(first.problem, { tolerance: 1e-12, maxIterations: 1 });
    if (r.iterations > 1) fail(`maxIterations 1 ran ${r.iterations} iterations`);
    expectStatus(fail, "maxIterations: 1", first.problem, r, "max-iterations");
  },
};
