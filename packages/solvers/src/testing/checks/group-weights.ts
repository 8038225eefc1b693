import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { randomGroupLasso } from "../conformance-problems.js";
import { solveAndCheckAtLambdaMax } from "./solve-and-check-at-lambda-max.js";

/** Unequal groups with random weights, squared and logistic. @internal */
export const groupWeights: ConformanceCheckDefinition = {
  name: "group-weights",
  run(context, fail) {
    const { seed } = context;
    const cases = [
      randomGroupLasso({
        loss: "squared",
        samples: 24,
        features: 30,
        groupSizes: [1, 2, 3, 4, 5, 6, 9],
        groupWeights: "random",
        seed: seed + 10,
      }),
      randomGroupLasso({
        loss: "logistic",
        samples: 40,
        features: 20,
        groupSizes: [2, 2, 4, 1, 5, 6],
        groupWeights: "random",
        seed: seed + 11,
      }),
    ];
    for (const c of cases) solveAndCheckAtLambdaMax(context, c, fail);
  },
};
