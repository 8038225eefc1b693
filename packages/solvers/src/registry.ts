import { InvalidOptionError } from "@convexformer/tensors";
import { admm } from "./admm/admm.js";
import { bcd } from "./bcd/bcd.js";
import { fista } from "./fista/fista.js";
import { ipm } from "./ipm/ipm.js";
import type { SolveOptions, Solver } from "./solver.js";
import type { SolverName, SolverOptionsMap } from "./solver-options-map.js";

/**
 * The key of the one registry of a process, on `globalThis`. Versioned by the layout of what
 * it holds (a `Map` from name to solver), not by the package version, so that every
 * installed copy of the package (a user's and the one `@convexformer/attention` depends on)
 * shares it; a future layout takes a new key.
 */
const REGISTRY_KEY: unique symbol = Symbol.for("@convexformer/solvers/registry@1");

type RegistryHolder = { [REGISTRY_KEY]?: Map<string, Solver> };

/** The process-wide registry, created by the first copy of the package to load. */
function registry(): Map<string, Solver> {
  const holder = globalThis as RegistryHolder;
  const existing = holder[REGISTRY_KEY];
  if (existing instanceof Map) return existing;
  const created = new Map<string, Solver>();
  Object.defineProperty(globalThis, REGISTRY_KEY, { value: created, enumerable: false });
  return created;
}

// ---- built-in solvers: one line each (another copy of the package may have added them) ---
for (const solver of [fista, admm, ipm, bcd] as Solver[]) {
  if (!registry().has(solver.name)) registry().set(solver.name, solver);
}
// ---------------------------------------------------------------------------------------------

/**
 * Options of {@link getSolver}.
 *
 * @example
 * ```ts
 * import { type GetSolverOptions, getSolver } from "@convexformer/solvers";
 * const options: GetSolverOptions = { argument: "--solver" };
 * getSolver("ipm", options).name; // "ipm"
 * let message = "";
 * try {
 *   getSolver("isa", options);
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * // the error names the caller's argument, not getSolver's
 * message.startsWith('--solver = "isa"'); // true
 * ```
 */
export interface GetSolverOptions {
  /**
   * The caller's argument that held the name, used in the error message (e.g.
   * `"options.solver"`, `"--solver"`). Default `"name"`.
   */
  readonly argument?: string;
}

/**
 * The registered solver named `name`, typed by {@link SolverOptionsMap}: `getSolver("admm")`
 * is a `Solver<AdmmOptions>`. Any other string gives a `Solver` of the shared options (and
 * throws unless a solver of that name was registered at run time).
 *
 * @param name - `"fista"`, `"admm"`, `"ipm"`, `"bcd"`, or the name of a solver registered
 *   with {@link registerSolver} (case-sensitive)
 * @param options - `argument`: the caller's name for `name` in the error message (default
 *   `"name"`; see {@link GetSolverOptions})
 * @throws InvalidOptionError naming `argument` (default `name`) and listing the registered
 *   solvers when none matches
 * @example
 * ```ts
 * import { getSolver } from "@convexformer/solvers";
 * const admm = getSolver("admm");
 * admm.name; // "admm"
 * let message = "";
 * try {
 *   getSolver("fsta", { argument: "options.solver" });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.startsWith('options.solver = "fsta"'); // true
 * ```
 */
export function getSolver<Name extends SolverName>(
  name: Name,
  options?: GetSolverOptions,
): Solver<SolverOptionsMap[Name]>;
export function getSolver(name: string, options?: GetSolverOptions): Solver;
export function getSolver(name: string, options: GetSolverOptions = {}): Solver {
  const solver = typeof name === "string" ? registry().get(name) : undefined;
  if (solver === undefined) {
    throw new InvalidOptionError(
      options.argument ?? "name",
      name,
      `no solver of that name; registered: ${listSolvers().join(", ")}`,
    );
  }
  return solver;
}

/**
 * Options of {@link registerSolver}.
 *
 * @example
 * ```ts
 * import { admm, fista, getSolver, type RegisterSolverOptions, registerSolver } from "@convexformer/solvers";
 * registerSolver({ name: "house-default", solve: (problem, options) => fista.solve(problem, options) });
 * // the name is taken: registering again throws unless replace is set
 * registerSolver({ name: "house-default", solve: admm.solve }); // throws InvalidOptionError
 * const options: RegisterSolverOptions = { replace: true };
 * registerSolver({ name: "house-default", solve: (problem, o) => admm.solve(problem, o) }, options);
 * getSolver("house-default").name; // "house-default"
 * ```
 */
export interface RegisterSolverOptions {
  /** Replace a solver of the same name instead of throwing. Default `false`. */
  readonly replace?: boolean;
}

/**
 * Registers a solver under its `name` in the process-wide registry (shared by every installed
 * copy of the package). A contributed solver must first pass `runSolverConformance` from
 * `@convexformer/solvers/testing`; to type `getSolver(name)` and `solverOptions` by its
 * options, add it to {@link SolverOptionsMap} by declaration merging.
 *
 * @param solver - the solver to register: an object with a non-empty `name` (its registry
 *   key) and a `solve(problem, options)` method (checked; otherwise `InvalidOptionError`);
 *   kept by reference
 * @param options - `replace: true` to replace a solver of the same name (default `false`: a
 *   taken name throws `InvalidOptionError`; see {@link RegisterSolverOptions})
 * @throws InvalidOptionError when the name is empty or already taken
 * @example
 * ```ts
 * import { type FistaOptions, fista, getSolver, registerSolver } from "@convexformer/solvers";
 * registerSolver<FistaOptions>({
 *   name: "fista-no-screening",
 *   solve: (problem, options) => fista.solve(problem, { ...options, screening: false }),
 * });
 * getSolver("fista-no-screening").name; // "fista-no-screening"
 * ```
 */
export function registerSolver<Options extends SolveOptions>(
  solver: Solver<Options>,
  options: RegisterSolverOptions = {},
): void {
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
  if (registry().has(solver.name) && options.replace !== true) {
    throw new InvalidOptionError(
      "solver.name",
      solver.name,
      "is already registered (pass { replace: true } to replace it)",
    );
  }
  registry().set(solver.name, solver as Solver);
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
  return [...registry().keys()];
}
