import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged } from "../conformance-expectations.js";

/** Random problems solved at gaps 1e-4 and 1e-8 agree. @internal */
export const toleranceAgreement: ConformanceCheckDefinition = {
  name: "tolerance-agreement",
  run({ solve, randoms }, fail) {
    for (const c of randoms) {
      const loose = solve(c.problem, { tolerance: 1e-4 });
      const tight = solve(c.problem, { tolerance: 1e-8 });
      for (const [r, tolerance] of [
        [loose, 1e-4],
        [tight, 1e-8],
      ] as const) {
        expectConverged(fail, c.name, c.problem, r, tolerance);
      }
      const scale = Math.max(1, Math.abs(tight.objective));
      const diff = (loose.objective - tight.objective) / scale;
      if (!(diff <= 1e-4 + 1e-8 && diff >= -1e-8)) {
        fail(
          `${c.name}: objectives at 1e-4 (${loose.objective}) and 1e-8 (${tight.objective}) disagree (relative ${diff})`,
        );
      }
    }
  },
};
