import { certify } from "../../certificate.js";
import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged, expectObjectivesAgree } from "../conformance-expectations.js";
import { randomGroupLasso } from "../conformance-problems.js";

/** An operator with `apply` and `adjoint` only: the dense operator's optimum. @internal */
export const matrixFree: ConformanceCheckDefinition = {
  name: "matrix-free",
  run({ solve, seed }, fail) {
    for (const loss of ["squared", "logistic"] as const) {
      const shape = { loss, samples: 20, features: 24, groupSize: 3, seed: seed + 14 };
      const free = randomGroupLasso({ ...shape, operator: "matrix-free" });
      const dense = randomGroupLasso(shape);
      const r = solve(free.problem, { tolerance: 1e-8 });
      expectConverged(fail, free.name, free.problem, r, 1e-8);
      // the same problem with a dense operator has the same optimum
      const reference = certify(dense.problem, r.x).objective;
      if (!(Math.abs(reference - r.objective) <= 1e-9 * Math.max(1, Math.abs(reference)))) {
        fail(
          `${free.name}: objective ${r.objective}, but P(x) = ${reference} with the dense operator`,
        );
      }
      const other = solve(dense.problem, { tolerance: 1e-8 });
      expectObjectivesAgree(fail, free.name, r, other, 1, 1e-8);
    }
  },
};
