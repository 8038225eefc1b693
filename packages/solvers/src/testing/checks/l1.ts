import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { randomGroupLasso } from "../conformance-problems.js";
import { solveAndCheckAtLambdaMax } from "./solve-and-check-at-lambda-max.js";

/** The ℓ1 norm, unit and random weights. @internal */
export const l1: ConformanceCheckDefinition = {
  name: "l1",
  run(context, fail) {
    const { seed } = context;
    const cases = [
      randomGroupLasso({
        loss: "squared",
        samples: 20,
        features: 30,
        regularizer: "l1",
        seed: seed + 12,
      }),
      randomGroupLasso({
        loss: "logistic",
        samples: 30,
        features: 12,
        regularizer: "l1",
        groupWeights: "random",
        seed: seed + 13,
      }),
    ];
    for (const c of cases) solveAndCheckAtLambdaMax(context, c, fail);
  },
};
