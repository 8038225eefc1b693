import { withLambda } from "../../create-problem.js";
import { lambdaMax as lambdaMaxOf } from "../../lambda-max.js";
import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged, expectZero } from "../conformance-expectations.js";

/** `λ ≥ λ_max ⇒ x = 0` exactly, converged, for squared, logistic and cross-entropy losses. @internal */
export const lambdaMax: ConformanceCheckDefinition = {
  name: "lambda-max",
  run({ solve, randoms }, fail) {
    for (const c of randoms) {
      const top = lambdaMaxOf(c.problem);
      for (const factor of [1, 1.5]) {
        const p = withLambda(c.problem, factor * top);
        const r = solve(p, { tolerance: 1e-8 });
        expectConverged(fail, `${c.name} at ${factor}·λmax`, p, r, 1e-8);
        expectZero(fail, `${c.name} at ${factor}·λmax`, r);
      }
    }
  },
};
