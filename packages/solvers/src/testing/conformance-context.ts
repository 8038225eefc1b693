import type { CompositeProblem } from "../composite-problem.js";
import type { SolveOptions, SolveResult } from "../solver.js";
import type { Fail } from "./conformance-expectations.js";
import { type ConformanceProblem, randomGroupLasso } from "./conformance-problems.js";

/** What every conformance check gets: the solver under test and the shared problems. @internal */
export interface ConformanceContext {
  /** The solver's name. */
  readonly solverName: string;
  /** Seed of the random problems. */
  readonly seed: number;
  /** The solver's `solve`, with the run's extra options merged under `options`. */
  solve(problem: CompositeProblem, options?: SolveOptions): SolveResult;
  /** Four seeded random problems: squared (two shapes), logistic, cross-entropy. */
  readonly randoms: readonly ConformanceProblem[];
  /** The first of {@link ConformanceContext.randoms}. */
  readonly first: ConformanceProblem;
}

/** One conformance check: a name and what it runs. @internal */
export interface ConformanceCheckDefinition {
  /** The name `skip` and `only` refer to. */
  readonly name: string;
  /**
   * Runs the check, reporting every failure through `fail`.
   *
   * @param context - the solver and the shared problems
   * @param fail - records one failure
   */
  run(context: ConformanceContext, fail: Fail): void;
}

/** The context of one conformance run. @internal */
export function conformanceContext(
  solverName: string,
  solve: (problem: CompositeProblem, options?: SolveOptions) => SolveResult,
  seed: number,
): ConformanceContext {
  const randoms: ConformanceProblem[] = [
    randomGroupLasso({ loss: "squared", samples: 20, features: 40, groupSize: 4, seed }),
    randomGroupLasso({ loss: "squared", samples: 60, features: 16, groupSize: 2, seed: seed + 1 }),
    randomGroupLasso({ loss: "logistic", samples: 40, features: 24, groupSize: 3, seed: seed + 2 }),
    randomGroupLasso({
      loss: "cross-entropy",
      samples: 24,
      features: 10,
      groupSize: 5,
      classes: 3,
      seed: seed + 3,
    }),
  ];
  return { solverName, seed, solve, randoms, first: randoms[0] as ConformanceProblem };
}
