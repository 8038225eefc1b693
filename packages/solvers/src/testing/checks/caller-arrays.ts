import { changes, snapshot } from "../caller-arrays-snapshot.js";
import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectObjectivesAgree } from "../conformance-expectations.js";
import { randomGroupLasso } from "../conformance-problems.js";

/** The solver writes to none of the caller's arrays (data, targets, warm start). @internal */
export const callerArrays: ConformanceCheckDefinition = {
  name: "caller-arrays",
  run({ solve, seed }, fail) {
    const c = randomGroupLasso({
      loss: "logistic",
      samples: 20,
      features: 24,
      groupSize: 3,
      groupWeights: "random",
      seed: seed + 17,
    });
    const { problem, matrix } = c;
    const warm = new Float64Array(problem.dim);
    for (let i = 0; i < warm.length; i += 3) warm[i] = 0.1 * ((i % 5) - 2);
    const before = snapshot(problem, matrix, warm);
    const r = solve(problem, { tolerance: 1e-8, warmStart: warm });
    if (r.x === warm) fail(`${c.name}: result.x is the caller's warmStart array itself`);
    for (const message of changes(before, snapshot(problem, matrix, warm))) {
      fail(`${c.name}: ${message} (a solver must not write to the caller's arrays)`);
    }
    // the same problem solved again is the same problem
    const again = solve(problem, { tolerance: 1e-8 });
    expectObjectivesAgree(fail, `${c.name} (solved twice)`, again, r, 1, 1e-8);
  },
};
