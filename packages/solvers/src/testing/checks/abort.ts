import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectStatus } from "../conformance-expectations.js";

/** An `AbortSignal` aborted before and during the solve stops it with `"aborted"`. @internal */
export const abort: ConformanceCheckDefinition = {
  name: "abort",
  run({ solve, first }, fail) {
    const pre = new AbortController();
    pre.abort();
    const r0 = solve(first.problem, { tolerance: 1e-12, signal: pre.signal });
    expectStatus(fail, "aborted signal", first.problem, r0, "aborted");
    const during = new AbortController();
    let calls = 0;
    const r = solve(first.problem, {
      tolerance: 1e-12,
      signal: during.signal,
      onIteration: () => {
        if (++calls === 2) during.abort();
      },
    });
    expectStatus(fail, "signal aborted during the solve", first.problem, r, "aborted");
  },
};
