import { InvalidOptionError, validateKnownOptions } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import type { SolveOptions, SolveResult, Solver } from "../solver.js";
import { CONFORMANCE_CHECK_TABLE } from "./conformance-checks.js";
import { conformanceContext } from "./conformance-context.js";

/**
 * Options of {@link runSolverConformance}.
 *
 * @typeParam Options - the solver's options (for `solveOptions`)
 * @example
 * ```ts
 * import type { FistaOptions } from "@convexformer/solvers";
 * import type { ConformanceOptions } from "@convexformer/solvers/testing";
 * const options: ConformanceOptions<FistaOptions> = {
 *   solveOptions: { restart: "function" },
 *   only: ["known-optima"],
 * };
 * options.only; // ["known-optima"]
 * ```
 */
export interface ConformanceOptions<Options extends SolveOptions = SolveOptions> {
  /** Seed of the random problems. Default 1. */
  readonly seed?: number;
  /** Throw an `Error` listing every failure instead of only reporting it. Default `false`. */
  readonly throwOnFailure?: boolean;
  /** Extra options merged into every solve (solver-specific settings). */
  readonly solveOptions?: Options;
  /**
   * Names of checks to skip (see {@link CONFORMANCE_CHECKS}); skipped checks are reported as
   * such. Write the reason next to the list.
   */
  readonly skip?: readonly string[];
  /**
   * Run only these checks (the others are reported as skipped), e.g. `["group-weights"]` to
   * rerun one failing check alone. Every check solves the problems it judges itself, so any
   * one runs alone as it runs among the others.
   */
  readonly only?: readonly string[];
}

/**
 * One check's outcome.
 *
 * @example
 * ```ts
 * import { fista } from "@convexformer/solvers";
 * import { type ConformanceCheck, runSolverConformance } from "@convexformer/solvers/testing";
 * const check: ConformanceCheck | undefined = runSolverConformance(fista, { only: ["unknown-option"] }).checks.find(
 *   (c) => c.name === "unknown-option",
 * );
 * check?.passed; // true
 * ```
 */
export interface ConformanceCheck {
  /** The check's name (one of {@link CONFORMANCE_CHECKS}). */
  readonly name: string;
  /** Whether it passed (`true` also for a skipped check). */
  readonly passed: boolean;
  /** `true` when skipped through `options.skip`. */
  readonly skipped: boolean;
  /** What failed (empty when passed). */
  readonly failures: readonly string[];
  /** Milliseconds spent. */
  readonly ms: number;
}

/**
 * The report of {@link runSolverConformance}.
 *
 * @example
 * ```ts
 * import { fista } from "@convexformer/solvers";
 * import { type ConformanceReport, runSolverConformance } from "@convexformer/solvers/testing";
 * const report: ConformanceReport = runSolverConformance(fista, { only: ["known-optima", "abort"] });
 * report.checks.filter((c) => !c.skipped).length; // 2
 * report.passed; // true
 * ```
 */
export interface ConformanceReport {
  /** The solver's name. */
  readonly name: string;
  /** `true` when every check passed. */
  readonly passed: boolean;
  /** Every failure, prefixed by its check's name. */
  readonly failures: readonly string[];
  /** Per-check outcomes. */
  readonly checks: readonly ConformanceCheck[];
}

/**
 * The names of the conformance checks, in the order they run (the values `skip` and `only`
 * of {@link ConformanceOptions} accept).
 *
 * @example
 * ```ts
 * import { fista } from "@convexformer/solvers";
 * import { CONFORMANCE_CHECKS, runSolverConformance } from "@convexformer/solvers/testing";
 * CONFORMANCE_CHECKS.length; // 16
 * CONFORMANCE_CHECKS[0]; // "known-optima"
 * const report = runSolverConformance(fista, { only: ["known-optima"] });
 * report.checks.map((c) => c.name).join() === CONFORMANCE_CHECKS.join(); // true
 * report.checks.filter((c) => c.skipped).length; // 15
 * ```
 */
export const CONFORMANCE_CHECKS: readonly string[] = Object.freeze(
  CONFORMANCE_CHECK_TABLE.map((check) => check.name),
);

/**
 * Runs the conformance checks every solver must pass (architecture: "a new solver is a
 * folder, one registry line, and a passing `runSolverConformance(solver)`"). Framework-agnostic:
 * it returns a report and, with `throwOnFailure`, throws an `Error` listing the failures.
 *
 * Each check is one file under `testing/checks/`; every check that expects convergence also
 * re-certifies the result from its `x` alone. Checks: `known-optima` (exact instances 1 and 2 to 1e-7), `lambda-max` (`λ ≥ λ_max ⇒
 * x = 0` exactly, converged, for squared, logistic and cross-entropy losses),
 * `tolerance-agreement` (random problems solved at gaps 1e-4 and 1e-8 agree),
 * `certificate-honesty` (every result it produces, the random problems and logistic and
 * cross-entropy problems of real-data shapes at the default tolerance, re-certified
 * independently: same objective and KKT residual, a dual value no better than any primal value
 * seen, a consistent gap, and `"converged"` only when `x`'s own certificate is within the
 * tolerance), `max-iterations` (`maxIterations: 1`),
 * `time-limit` (a tiny `timeLimitMs`), `abort` (an aborted `AbortSignal`, before and during the
 * solve), `non-finite-input` (NaN/∞ in the data or the warm start throw
 * `NonFiniteInputError`), `unknown-option` (throws `InvalidOptionError`), `warm-start` (from
 * the optimum it converges within 5 iterations), `on-iteration` (called, with increasing
 * iteration numbers).
 *
 * @param solver - the solver under test (any object with `name` and `solve`, registered or not)
 * @param options - seed of the random problems, extra solve options, checks to skip or to
 *   run alone (names from {@link CONFORMANCE_CHECKS}) and whether to throw on failure (see
 *   {@link ConformanceOptions}; unknown keys or check names throw `InvalidOptionError`)
 * @example
 * ```ts
 * import { fista } from "@convexformer/solvers";
 * import { runSolverConformance } from "@convexformer/solvers/testing";
 * const report = runSolverConformance(fista);
 * if (!report.passed) console.error(report.failures.join("\n"));
 * ```
 */
export function runSolverConformance<Options extends SolveOptions = SolveOptions>(
  solver: Solver<Options>,
  options: ConformanceOptions<Options> = {},
): ConformanceReport {
  validateKnownOptions("options", options, OPTION_NAMES);
  const extra = options.solveOptions ?? {};
  const skip = validateCheckNames("options.skip", options.skip ?? []);
  const only =
    options.only === undefined ? undefined : validateCheckNames("options.only", options.only);
  const solve = (problem: CompositeProblem, o: SolveOptions = {}): SolveResult =>
    solver.solve(problem, { ...extra, ...o } as Options);
  const context = conformanceContext(solver.name, solve, options.seed ?? 1);
  const results: ConformanceCheck[] = [];
  for (const check of CONFORMANCE_CHECK_TABLE) {
    const { name } = check;
    const t = performance.now();
    if (skip.has(name) || (only !== undefined && !only.has(name))) {
      results.push({ name, passed: true, skipped: true, failures: [], ms: 0 });
      continue;
    }
    const failures: string[] = [];
    try {
      check.run(context, (m) => failures.push(m));
    } catch (e) {
      failures.push(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    results.push({
      name,
      passed: failures.length === 0,
      skipped: false,
      failures,
      ms: performance.now() - t,
    });
  }
  const failures = results.flatMap((c) => c.failures.map((f) => `${c.name}: ${f}`));
  const report: ConformanceReport = {
    name: solver.name,
    passed: failures.length === 0,
    failures,
    checks: results,
  };
  if (options.throwOnFailure === true && !report.passed) {
    throw new Error(
      `solver "${solver.name}" fails conformance:\n${failures.map((f) => `  - ${f}`).join("\n")}`,
    );
  }
  return report;
}

const OPTION_NAMES = ["seed", "throwOnFailure", "solveOptions", "skip", "only"] as const;

/** The set of check names given in `argument`, each one of {@link CONFORMANCE_CHECKS}. */
function validateCheckNames(argument: string, names: readonly string[]): Set<string> {
  names.forEach((name, i) => {
    if (!CONFORMANCE_CHECKS.includes(name)) {
      throw new InvalidOptionError(
        `${argument}[${i}]`,
        name,
        `is not a conformance check (${CONFORMANCE_CHECKS.join(", ")})`,
      );
    }
  });
  return new Set(names);
}
