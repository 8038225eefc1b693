/**
 * `@convexformer/solvers`: group-sparse composite problems `F(Ax) + λ R(x)` and the solvers
 * that certify their global optimum (FISTA, ADMM, interior point), with duality-gap
 * certificates, regularization paths, and a registry.
 *
 * @packageDocumentation
 */
export type { CompositeProblem } from "./composite-problem.js";
export type { LinearOperator } from "./linear-operator.js";
export type { GroupStructure, Regularizer } from "./regularizer.js";
export type { SmoothLoss } from "./smooth-loss.js";
export type {
  IterationRecord,
  SolveOptions,
  SolveResult,
  Solver,
  SolveStatus,
  SolveTimings,
} from "./solver.js";
