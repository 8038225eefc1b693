import type { SolverName, SolverOptionsMap } from "@convexformer/solvers";

/**
 * The solve options {@link fitConvexAttention} sets itself from its own options (`tolerance`,
 * `maxIterations`, `timeLimitMs`, `signal`, `onIteration`); they are not accepted in
 * `solverOptions` (a type error, and at run time an `InvalidOptionError` naming the key),
 * so a value given there can never be silently overridden.
 *
 * @example
 * ```ts
 * import { FIT_MANAGED_SOLVE_OPTIONS } from "@convexformer/attention";
 * FIT_MANAGED_SOLVE_OPTIONS.includes("tolerance"); // true
 * ```
 */
export const FIT_MANAGED_SOLVE_OPTIONS = [
  "tolerance",
  "maxIterations",
  "timeLimitMs",
  "signal",
  "onIteration",
] as const;

/**
 * `solverOptions` of {@link FitOptions} for the solver `S`: that solver's own options
 * (`SolverOptionsMap[S]` of `@convexformer/solvers`, e.g. FISTA's `screening`, `workingSet`)
 * without {@link FIT_MANAGED_SOLVE_OPTIONS}. For a solver name known only at run time
 * (`S = string`) any record is accepted and the solver checks it.
 *
 * @example
 * ```ts
 * import type { FitSolverOptions } from "@convexformer/attention";
 * const fista: FitSolverOptions<"fista"> = { workingSet: false, restart: "function" };
 * const ipm: FitSolverOptions<"ipm"> = {};
 * ```
 */
export type FitSolverOptions<S extends string> = S extends SolverName
  ? Omit<SolverOptionsMap[S], (typeof FIT_MANAGED_SOLVE_OPTIONS)[number]>
  : string extends S
    ? Readonly<Record<string, unknown>>
    : never;
