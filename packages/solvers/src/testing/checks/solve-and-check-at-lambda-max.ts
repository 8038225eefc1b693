import { withLambda } from "../../create-problem.js";
import { lambdaMax } from "../../lambda-max.js";
import type { ConformanceContext } from "../conformance-context.js";
import { expectConverged, expectZero, type Fail } from "../conformance-expectations.js";
import type { ConformanceProblem } from "../conformance-problems.js";

/** Solves at 1e-8 (converged, certified by `x`'s own certificate) and at `λ_max` (exactly zero). @internal */
export function solveAndCheckAtLambdaMax(
  { solve }: ConformanceContext,
  c: ConformanceProblem,
  fail: Fail,
): void {
  const r = solve(c.problem, { tolerance: 1e-8 });
  expectConverged(fail, c.name, c.problem, r, 1e-8);
  const top = withLambda(c.problem, lambdaMax(c.problem));
  const z = solve(top, { tolerance: 1e-8 });
  expectConverged(fail, `${c.name} at λmax`, top, z, 1e-8);
  expectZero(fail, `${c.name} at λmax`, z);
}
