import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectConverged, expectObjectivesAgree } from "../conformance-expectations.js";
import { randomGroupLasso } from "../conformance-problems.js";

/** `F/N + (λ/N) R` has the optimum of `F + λ R`, and `N` times its value. @internal */
export const meanScaling: ConformanceCheckDefinition = {
  name: "mean-scaling",
  run({ solve, seed }, fail) {
    for (const shape of [
      { loss: "squared", samples: 30, features: 20, groupSize: 4, seed: seed + 15 },
      {
        loss: "cross-entropy",
        samples: 20,
        features: 6,
        groupSize: 3,
        classes: 3,
        seed: seed + 16,
      },
    ] as const) {
      const summed = randomGroupLasso(shape);
      const mean = randomGroupLasso({ ...shape, scaling: "mean" });
      const rs = solve(summed.problem, { tolerance: 1e-8 });
      const rm = solve(mean.problem, { tolerance: 1e-8 });
      expectConverged(fail, summed.name, summed.problem, rs, 1e-8);
      expectConverged(fail, mean.name, mean.problem, rm, 1e-8);
      expectObjectivesAgree(fail, mean.name, rm, rs, shape.samples, 1e-8);
    }
  },
};
