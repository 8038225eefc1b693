import { NonFiniteInputError } from "@convexformer/tensors";
import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectThrows } from "../conformance-expectations.js";
import { randomGroupLasso } from "../conformance-problems.js";

/** NaN or ∞ in the data or the warm start throw `NonFiniteInputError`. @internal */
export const nonFiniteInput: ConformanceCheckDefinition = {
  name: "non-finite-input",
  run({ solve, first, seed }, fail) {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const c = randomGroupLasso({ samples: 10, features: 8, groupSize: 2, seed });
      c.matrix.data[5] = bad;
      expectThrows(fail, `${bad} in the data`, NonFiniteInputError, () => solve(c.problem));
    }
    const warm = new Float64Array(first.problem.dim);
    warm[1] = Number.NaN;
    expectThrows(fail, "NaN in warmStart", NonFiniteInputError, () =>
      solve(first.problem, { warmStart: warm }),
    );
  },
};
