/**
 * `@convexformer/solvers/testing`: the conformance kit every solver must pass, and the
 * problems it uses (the spec's exact instances and seeded random group lassos).
 *
 * @packageDocumentation
 */
export {
  type ConformanceProblem,
  type RandomGroupLassoOptions,
  randomGroupLasso,
  specInstance1,
  specInstance2,
} from "./conformance-problems.js";
export {
  CONFORMANCE_CHECKS,
  type ConformanceCheck,
  type ConformanceOptions,
  type ConformanceReport,
  runSolverConformance,
} from "./run-solver-conformance.js";
