import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectStatus } from "../conformance-expectations.js";

/** A tiny `timeLimitMs` stops with `"time-limit"`. @internal */
export const timeLimit: ConformanceCheckDefinition = {
  name: "time-limit",
  run({ solve, first }, fail) {
    const r = solve(first.problem, { tolerance: 1e-12, timeLimitMs: 1e-6 });
    expectStatus(fail, "timeLimitMs: 1e-6", first.problem, r, "time-limit");
  },
};
