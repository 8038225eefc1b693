import { InvalidOptionError } from "@convexformer/tensors";
import type { SolveOptions } from "../../solver.js";
import type { ConformanceCheckDefinition } from "../conformance-context.js";
import { expectThrows } from "../conformance-expectations.js";

/** A misspelled option and an out-of-range tolerance throw `InvalidOptionError`. @internal */
export const unknownOption: ConformanceCheckDefinition = {
  name: "unknown-option",
  run({ solve, first }, fail) {
    expectThrows(fail, "an unknown option", InvalidOptionError, () =>
      solve(first.problem, { toleranse: 1e-6 } as unknown as SolveOptions),
    );
    expectThrows(fail, "tolerance −1", InvalidOptionError, () =>
      solve(first.problem, { tolerance: -1 }),
    );
  },
};
