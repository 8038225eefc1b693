import type { ConformanceCheckDefinition } from "../conformance-context.js";

/** `onIteration` is called, with increasing iteration numbers. @internal */
export const onIteration: ConformanceCheckDefinition = {
  name: "on-iteration",
  run({ solve, first }, fail) {
    const iterations: number[] = [];
    solve(first.problem, {
      tolerance: 1e-10,
      onIteration: (rec) => iterations.push(rec.iteration),
    });
    if (iterations.length === 0) fail("onIteration was never called");
    for (let i = 1; i < iterations.length; i++) {
      if (!((iterations[i] as number) > (iterations[i - 1] as number))) {
        fail(
          `onIteration iteration numbers not increasing: ${iterations[i - 1]} then ${iterations[i]}`,
        );
        break;
      }
    }
  },
};
