import type { AdmmOptions } from "./admm/admm.js";
import type { BcdOptions } from "./bcd/bcd.js";
import type { FistaOptions } from "./fista/fista.js";
import type { IpmOptions } from "./ipm/ipm.js";

/**
 * The registered solvers' names and the options each accepts, so that
 * `getSolver("admm")` is a `Solver<AdmmOptions>` and a misspelled option of a named solver is
 * a compile error. Open to declaration merging: a solver contributed from another package adds
 * its entry next to its `registerSolver` call:
 *
 * ```ts
 * declare module "@convexformer/solvers" {
 *   interface SolverOptionsMap {
 *     "prox-gradient": ProxGradientOptions;
 *   }
 * }
 * ```
 *
 * @example
 * ```ts
 * import type { FistaOptions, SolverOptionsMap } from "@convexformer/solvers";
 * const options: SolverOptionsMap["fista"] = { tolerance: 1e-8, restart: "none" };
 * const same: FistaOptions = options;
 * same.restart; // "none"
 * ```
 */
export interface SolverOptionsMap {
  /** `fista`: accelerated proximal gradient. */
  fista: FistaOptions;
  /** `admm`: the alternating direction method of multipliers. */
  admm: AdmmOptions;
  /** `ipm`: the interior point (the accuracy reference). */
  ipm: IpmOptions;
  /** `bcd`: working-set block-coordinate descent with Anderson acceleration. */
  bcd: BcdOptions;
}

/**
 * The name of a solver listed in {@link SolverOptionsMap} (the built-in `"fista"`, `"admm"`,
 * `"ipm"`, plus any added by declaration merging).
 *
 * @example
 * ```ts
 * import type { SolverName } from "@convexformer/solvers";
 * const names: SolverName[] = ["fista", "admm", "ipm"];
 * names.length; // 3
 * ```
 */
export type SolverName = keyof SolverOptionsMap;
