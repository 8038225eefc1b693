import { InvalidOptionError } from "@convexformer/tensors";
import { admm } from "./admm/admm.js";
import { bcd } from "./bcd/bcd.js";
import { fista } from "./fista/fista.js";
import { ipm } from "./ipm/ipm.js";
import type { Solver } from "./solver.js";

/** The names of the built-in solvers (others can be registered at run time). */
export type SolverName = "fista" | "admm" | "ipm" | "bcd";

const solvers = new Map<string, Solver>();

// ---- built-in solvers: one line each -------------------------------------------------
solvers.set(fista.name, fista);
solvers.set(admm.name, admm);
solvers.set(ipm.name, ipm);
solvers.set(bcd.name, bcd);
// ---------------------------------------------------------------------------------------

/**
 * The registered solver named `name`.
 *
 * @param name - `"fista"`, `"admm"`, `"ipm"`, or the name of a registered solver
 * @throws InvalidOptionError naming `name` and listing the registered solvers when none matches
 * @example
 * ```ts
 * import { getSolver } from "@convexformer/solvers";
 * const solver = getSolver("fista");
 * solver.name; // "fista"
 * ```
 */
export function getSolver(name: SolverName | (string & {})): Solver {
  const solver = solvers.get(name);
  if (solver === undefined) {
    throw new InvalidOptionError(
      "name",
      name,
      `no solver of that name; registered: ${listSolvers().join(", ")}`,
    );
  }
  return solver;
}

/** Options of {@link registerSolver}. */
export interface RegisterSolverOptions {
  /** Replace a solver of the same name instead of throwing. Default `false`. */
  readonly replace?: boolean;
}

/**
 * Registers a solver under its `name` (a contributed solver must first pass
 * `runSolverConformance` from `@convexformer/solvers/testing`).
 *
 * @param solver - the solver
 * @param options - `replace: true` to replace a solver of the same name (otherwise an error)
 * @throws InvalidOptionError when the name is empty or already taken
 * @example
 * ```ts
 * import { fista, registerSolver } from "@convexformer/solvers";
 * registerSolver({ name: "fista-no-screening", solve: (p, o) => fista.solve(p, { ...o, screening: false }) });
 * ```
 */
export function registerSolver(solver: Solver, options: RegisterSolverOptions = {}): void {
  if (typeof solver !== "object" || solver === null || typeof solver.solve !== "function") {
    throw new InvalidOptionError(
      "solver",
      solver,
      "must have a name and a solve(problem, options) method",
    );
  }
  if (typeof solver.name !== "string" || solver.name.length === 0) {
    throw new InvalidOptionError("solver.name", solver.name, "must be a non-empty string");
  }
  if (solvers.has(solver.name) && options.replace !== true) {
    throw new InvalidOptionError(
      "solver.name",
      solver.name,
      "is already registered (pass { replace: true })",
    );
  }
  solvers.set(solver.name, solver);
}

/**
 * The names of the registered solvers, in registration order.
 *
 * @example
 * ```ts
 * import { listSolvers } from "@convexformer/solvers";
 * listSolvers().includes("fista"); // true
 * ```
 */
export function listSolvers(): string[] {
  return [...solvers.keys()];
}
