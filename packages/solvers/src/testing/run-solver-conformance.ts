import { assertKnownOptions, InvalidOptionError, NonFiniteInputError } from "@convexformer/tensors";
import { certify } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import { withLambda } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import type { SolveOptions, SolveResult, Solver } from "../solver.js";
import { changes, snapshot } from "./caller-arrays-snapshot.js";
import {
  expectConverged,
  expectObjectivesAgree,
  expectStatus,
  expectThrows,
  expectZero,
  type Fail,
  gapText,
  outcome,
} from "./conformance-expectations.js";
import {
  type ConformanceProblem,
  randomGroupLasso,
  specInstance1,
  specInstance2,
} from "./conformance-problems.js";

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
   * rerun one failing check alone. Every check that re-certifies results
   * (`certificate-honesty`) then solves problems of its own.
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
export const CONFORMANCE_CHECKS: readonly string[] = Object.freeze([
  "known-optima",
  "lambda-max",
  "tolerance-agreement",
  "group-weights",
  "l1",
  "matrix-free",
  "mean-scaling",
  "caller-arrays",
  "certificate-honesty",
  "max-iterations",
  "time-limit",
  "abort",
  "non-finite-input",
  "unknown-option",
  "warm-start",
  "on-iteration",
]);

/**
 * Runs the conformance checks every solver must pass (architecture: "a new solver is a
 * folder, one registry line, and a passing `runSolverConformance(solver)`"). Framework-agnostic:
 * it returns a report and, with `throwOnFailure`, throws an `Error` listing the failures.
 *
 * Checks: `known-optima` (exact instances 1 and 2 to 1e-7), `lambda-max` (`λ ≥ λ_max ⇒
 * x = 0` exactly, converged, for squared, logistic and cross-entropy losses),
 * `tolerance-agreement` (random problems solved at gaps 1e-4 and 1e-8 agree),
 * `certificate-honesty` (every result re-certified independently: same objective and KKT
 * residual, a dual value no better than any primal value seen, a consistent gap, and
 * `"converged"` only with the gap within tolerance), `max-iterations` (`maxIterations: 1`),
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
  assertKnownOptions("options", options, OPTION_NAMES);
  const seed = options.seed ?? 1;
  const extra = options.solveOptions ?? {};
  const skip = validateCheckNames("options.skip", options.skip ?? []);
  const only =
    options.only === undefined ? undefined : validateCheckNames("options.only", options.only);
  const solve = (problem: CompositeProblem, o: SolveOptions = {}): SolveResult =>
    solver.solve(problem, { ...extra, ...o } as Options);
  const seen: {
    problem: CompositeProblem;
    result: SolveResult;
    tolerance: number;
    label: string;
  }[] = [];
  const bestPrimal = new Map<CompositeProblem, number>();
  const record = (
    problem: CompositeProblem,
    result: SolveResult,
    tolerance: number,
    label: string,
  ): void => {
    seen.push({ problem, result, tolerance, label });
    const prev = bestPrimal.get(problem) ?? Number.POSITIVE_INFINITY;
    if (result.objective < prev) bestPrimal.set(problem, result.objective);
  };
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
  const first = randoms[0] as ConformanceProblem;

  const checks: [string, (fail: Fail) => void][] = [
    [
      "known-optima",
      (fail) => {
        const cases: [ConformanceProblem, number[], number][] = [
          [specInstance1(), [7 / 8, -7 / 8], 15 / 64],
          [specInstance2(), [0, 7 / 8], 15 / 128],
        ];
        for (const [c, xStar, value] of cases) {
          const r = solve(c.problem, { tolerance: 1e-10 });
          record(c.problem, r, 1e-10, c.name);
          expectConverged(fail, c.name, r, 1e-10);
          if (!(Math.abs(r.objective - value) <= 1e-9))
            fail(`${c.name}: objective ${r.objective}, expected ${value}`);
          for (let i = 0; i < xStar.length; i++) {
            if (!(Math.abs((r.x[i] as number) - (xStar[i] as number)) <= 1e-4)) {
              fail(`${c.name}: x[${i}] = ${r.x[i]}, expected ${xStar[i]}`);
            }
          }
        }
      },
    ],
    [
      "lambda-max",
      (fail) => {
        for (const c of randoms) {
          const top = lambdaMax(c.problem);
          for (const factor of [1, 1.5]) {
            const p = withLambda(c.problem, factor * top);
            const r = solve(p, { tolerance: 1e-8 });
            record(p, r, 1e-8, `${c.name} at ${factor}·λmax`);
            expectConverged(fail, `${c.name} at ${factor}·λmax`, r, 1e-8);
            expectZero(fail, `${c.name} at ${factor}·λmax`, r);
          }
        }
      },
    ],
    [
      "tolerance-agreement",
      (fail) => {
        for (const c of randoms) {
          const loose = solve(c.problem, { tolerance: 1e-4 });
          const tight = solve(c.problem, { tolerance: 1e-8 });
          record(c.problem, loose, 1e-4, `${c.name} (tol 1e-4)`);
          record(c.problem, tight, 1e-8, `${c.name} (tol 1e-8)`);
          for (const [r, tol] of [
            [loose, 1e-4],
            [tight, 1e-8],
          ] as const) {
            expectConverged(fail, c.name, r, tol);
          }
          const scale = Math.max(1, Math.abs(tight.objective));
          const diff = (loose.objective - tight.objective) / scale;
          if (!(diff <= 1e-4 + 1e-8 && diff >= -1e-8)) {
            fail(
              `${c.name}: objectives at 1e-4 (${loose.objective}) and 1e-8 (${tight.objective}) disagree (relative ${diff})`,
            );
          }
        }
      },
    ],
    [
      "group-weights",
      (fail) => {
        const cases = [
          randomGroupLasso({
            loss: "squared",
            samples: 24,
            features: 30,
            groupSizes: [1, 2, 3, 4, 5, 6, 9],
            groupWeights: "random",
            seed: seed + 10,
          }),
          randomGroupLasso({
            loss: "logistic",
            samples: 40,
            features: 20,
            groupSizes: [2, 2, 4, 1, 5, 6],
            groupWeights: "random",
            seed: seed + 11,
          }),
        ];
        for (const c of cases) solveAndCheckAtLambdaMax(c, fail);
      },
    ],
    [
      "l1",
      (fail) => {
        const cases = [
          randomGroupLasso({
            loss: "squared",
            samples: 20,
            features: 30,
            regularizer: "l1",
            seed: seed + 12,
          }),
          randomGroupLasso({
            loss: "logistic",
            samples: 30,
            features: 12,
            regularizer: "l1",
            groupWeights: "random",
            seed: seed + 13,
          }),
        ];
        for (const c of cases) solveAndCheckAtLambdaMax(c, fail);
      },
    ],
    [
      "matrix-free",
      (fail) => {
        for (const loss of ["squared", "logistic"] as const) {
          const shape = { loss, samples: 20, features: 24, groupSize: 3, seed: seed + 14 };
          const free = randomGroupLasso({ ...shape, operator: "matrix-free" });
          const dense = randomGroupLasso(shape);
          const r = solve(free.problem, { tolerance: 1e-8 });
          record(free.problem, r, 1e-8, free.name);
          expectConverged(fail, free.name, r, 1e-8);
          // the same problem with a dense operator has the same optimum
          const reference = certify(dense.problem, r.x).objective;
          if (!(Math.abs(reference - r.objective) <= 1e-9 * Math.max(1, Math.abs(reference)))) {
            fail(
              `${free.name}: objective ${r.objective}, but P(x) = ${reference} with the dense operator`,
            );
          }
          const other = solve(dense.problem, { tolerance: 1e-8 });
          record(dense.problem, other, 1e-8, dense.name);
          expectObjectivesAgree(fail, free.name, r, other, 1, 1e-8);
        }
      },
    ],
    [
      "mean-scaling",
      (fail) => {
        // F/N + (λ/N) R has the optimum of F + λ R, and N times its value
        for (const shape of [
          { loss: "squared", samples: 30, features: 20, groupSize: 4, seed: seed + 15 },
          {
            loss: "cross-entropy",
            samples: 20,
            features: 6,
            groupSize: 3,
            classes: 3,
            seed: seed + 16,
          },
        ] as const) {
          const summed = randomGroupLasso(shape);
          const mean = randomGroupLasso({ ...shape, scaling: "mean" });
          const rs = solve(summed.problem, { tolerance: 1e-8 });
          const rm = solve(mean.problem, { tolerance: 1e-8 });
          record(summed.problem, rs, 1e-8, summed.name);
          record(mean.problem, rm, 1e-8, mean.name);
          expectConverged(fail, summed.name, rs, 1e-8);
          expectConverged(fail, mean.name, rm, 1e-8);
          expectObjectivesAgree(fail, mean.name, rm, rs, shape.samples, 1e-8);
        }
      },
    ],
    [
      "caller-arrays",
      (fail) => {
        const c = randomGroupLasso({
          loss: "logistic",
          samples: 20,
          features: 24,
          groupSize: 3,
          groupWeights: "random",
          seed: seed + 17,
        });
        const { problem, matrix } = c;
        const warm = new Float64Array(problem.dim);
        for (let i = 0; i < warm.length; i += 3) warm[i] = 0.1 * ((i % 5) - 2);
        const before = snapshot(problem, matrix, warm);
        const r = solve(problem, { tolerance: 1e-8, warmStart: warm });
        record(problem, r, 1e-8, `${c.name} (warm start)`);
        if (r.x === warm) fail(`${c.name}: result.x is the caller's warmStart array itself`);
        for (const message of changes(before, snapshot(problem, matrix, warm))) {
          fail(`${c.name}: ${message} (a solver must not write to the caller's arrays)`);
        }
        // the same problem solved again is the same problem
        const again = solve(problem, { tolerance: 1e-8 });
        expectObjectivesAgree(fail, `${c.name} (solved twice)`, again, r, 1, 1e-8);
      },
    ],
    [
      "certificate-honesty",
      (fail) => {
        if (seen.length === 0) {
          // run alone (or after skipped checks): certify results of its own
          for (const c of randoms) {
            const r = solve(c.problem, { tolerance: 1e-6 });
            record(c.problem, r, 1e-6, `${c.name} (tol 1e-6)`);
          }
        }
        for (const { problem, result: r, tolerance, label } of seen) {
          const c = certify(problem, r.x);
          const scale = Math.max(1, Math.abs(c.objective));
          const where = `${label}`;
          if (r.solver !== solver.name)
            fail(`${where}: result.solver = ${r.solver}, expected ${solver.name}`);
          if (r.x.length !== problem.dim || r.x.some((v) => !Number.isFinite(v)))
            fail(`${where}: x has the wrong length or non-finite entries`);
          if (!(Math.abs(r.objective - c.objective) <= 1e-9 * scale))
            fail(`${where}: objective ${r.objective} but P(x) = ${c.objective}`);
          if (!(r.dualObjective >= c.dualObjective - 1e-9 * scale)) {
            fail(
              `${where}: dualObjective ${r.dualObjective} is worse than the dual point of x itself (${c.dualObjective})`,
            );
          }
          const best = bestPrimal.get(problem) ?? r.objective;
          if (!(r.dualObjective <= best + 1e-9 * scale)) {
            fail(
              `${where}: dualObjective ${r.dualObjective} exceeds a primal value ${best}: not a lower bound`,
            );
          }
          const gap =
            Math.max(0, r.objective - r.dualObjective) / Math.max(1, Math.abs(r.objective));
          if (!(r.relativeGap >= 0 && Math.abs(r.relativeGap - gap) <= 1e-12 + 1e-9 * gap)) {
            fail(`${where}: relativeGap ${r.relativeGap} but (P − D)/max(1,|P|) = ${gap}`);
          }
          if (r.status === "converged" && !(r.relativeGap <= tolerance)) {
            fail(
              `${where}: status converged with relativeGap ${r.relativeGap} > tolerance ${tolerance}`,
            );
          }
          if (!(Math.abs(r.kktResidual - c.kktResidual) <= 1e-6 * (1 + c.kktResidual))) {
            fail(`${where}: kktResidual ${r.kktResidual} but recomputed ${c.kktResidual}`);
          }
          if (!(Number.isInteger(r.iterations) && r.iterations >= 0))
            fail(`${where}: iterations ${r.iterations}`);
          if (r.history.length === 0) fail(`${where}: empty history`);
          const t = r.timings;
          if (
            !(
              t.totalMs >= 0 &&
              t.setupMs >= 0 &&
              t.certificateMs >= 0 &&
              t.setupMs <= t.totalMs + 1e-6
            )
          ) {
            fail(`${where}: inconsistent timings ${JSON.stringify(t)}`);
          }
        }
      },
    ],
    [
      "max-iterations",
      (fail) => {
        const r = solve(first.problem, { tolerance: 1e-12, maxIterations: 1 });
        if (r.iterations > 1) fail(`maxIterations 1 ran ${r.iterations} iterations`);
        expectStatus(fail, "maxIterations: 1", first.problem, r, "max-iterations");
      },
    ],
    [
      "time-limit",
      (fail) => {
        const r = solve(first.problem, { tolerance: 1e-12, timeLimitMs: 1e-6 });
        expectStatus(fail, "timeLimitMs: 1e-6", first.problem, r, "time-limit");
      },
    ],
    [
      "abort",
      (fail) => {
        const pre = new AbortController();
        pre.abort();
        const r0 = solve(first.problem, { tolerance: 1e-12, signal: pre.signal });
        expectStatus(fail, "aborted signal", first.problem, r0, "aborted");
        const during = new AbortController();
        let calls = 0;
        const r = solve(first.problem, {
          tolerance: 1e-12,
          signal: during.signal,
          onIteration: () => {
            if (++calls === 2) during.abort();
          },
        });
        expectStatus(fail, "signal aborted during the solve", first.problem, r, "aborted");
      },
    ],
    [
      "non-finite-input",
      (fail) => {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
          const c = randomGroupLasso({ samples: 10, features: 8, groupSize: 2, seed });
          c.matrix.data[5] = bad;
          expectThrows(fail, `${bad} in the data`, NonFiniteInputError, () => solve(c.problem));
        }
        const warm = new Float64Array(first.problem.dim);
        warm[1] = Number.NaN;
        expectThrows(fail, "NaN in warmStart", NonFiniteInputError, () =>
          solve(first.problem, { warmStart: warm }),
        );
      },
    ],
    [
      "unknown-option",
      (fail) => {
        expectThrows(fail, "an unknown option", InvalidOptionError, () =>
          solve(first.problem, { toleranse: 1e-6 } as unknown as SolveOptions),
        );
        expectThrows(fail, "tolerance −1", InvalidOptionError, () =>
          solve(first.problem, { tolerance: -1 }),
        );
      },
    ],
    [
      "warm-start",
      (fail) => {
        for (const c of randoms) {
          const opt = solve(c.problem, { tolerance: 1e-10 });
          const again = solve(c.problem, { tolerance: 1e-8, warmStart: opt.x });
          record(c.problem, again, 1e-8, `${c.name} (warm)`);
          if (again.status !== "converged" || again.iterations > 5) {
            fail(
              `${c.name}: from a warm start at the optimum, ${outcome(again)} (expected converged within 5 iterations at tolerance 1e-8)`,
            );
          }
        }
      },
    ],
    [
      "on-iteration",
      (fail) => {
        const iterations: number[] = [];
        solve(first.problem, {
          tolerance: 1e-10,
          onIteration: (rec) => iterations.push(rec.iteration),
        });
        if (iterations.length === 0) fail("onIteration was never called");
        for (let i = 1; i < iterations.length; i++) {
          if (!((iterations[i] as number) > (iterations[i - 1] as number))) {
            fail(
              `onIteration iteration numbers not increasing: ${iterations[i - 1]} then ${iterations[i]}`,
            );
            break;
          }
        }
      },
    ],
  ];

  /** Solves at 1e-8 (converged, certified) and at `λ_max` (exactly zero). */
  function solveAndCheckAtLambdaMax(c: ConformanceProblem, fail: Fail): void {
    const r = solve(c.problem, { tolerance: 1e-8 });
    record(c.problem, r, 1e-8, c.name);
    expectConverged(fail, c.name, r, 1e-8);
    const own = certify(c.problem, r.x);
    if (r.status === "converged" && !(own.relativeGap <= 1e-6)) {
      fail(
        `${c.name}: converged, but x's own certificate has relative gap ${gapText(own.relativeGap)}`,
      );
    }
    const top = withLambda(c.problem, lambdaMax(c.problem));
    const z = solve(top, { tolerance: 1e-8 });
    record(top, z, 1e-8, `${c.name} at λmax`);
    expectConverged(fail, `${c.name} at λmax`, z, 1e-8);
    expectZero(fail, `${c.name} at λmax`, z);
  }

  const results: ConformanceCheck[] = [];
  for (const [name, run] of checks) {
    const t = performance.now();
    if (skip.has(name) || (only !== undefined && !only.has(name))) {
      results.push({ name, passed: true, skipped: true, failures: [], ms: 0 });
      continue;
    }
    const failures: string[] = [];
    try {
      run((m) => failures.push(m));
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
