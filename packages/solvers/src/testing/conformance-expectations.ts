import { certify } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { SolveResult, SolveStatus } from "../solver.js";

// The expectations the conformance checks make of a result, each reporting through `fail`
// with a message that names the status, the iterations and the gap reached (internal).

/** Records one failure of a check. @internal */
export type Fail = (message: string) => void;

/** Fails unless `r` has status `expected` (or is `"converged"` and really optimal). */
export function expectStatus(
  fail: Fail,
  what: string,
  problem: CompositeProblem,
  r: SolveResult,
  expected: SolveStatus,
): void {
  if (r.status === expected) return;
  // "converged" is allowed only if x really is optimal: re-certified independently
  if (r.status === "converged" && certify(problem, r.x).relativeGap <= 1e-9) return;
  fail(`${what}: ${outcome(r)}, expected ${expected}`);
}

/** `status … after … iterations (relative gap …)`, for failure messages. */
export function outcome(r: SolveResult): string {
  return `status ${r.status} after ${r.iterations} iterations (relative gap ${gapText(r.relativeGap)})`;
}

/** A relative gap for messages (`1.23e-5`). */
export function gapText(gap: number): string {
  return Number.isFinite(gap) ? gap.toExponential(2) : String(gap);
}

/**
 * Fails unless `r` converged, naming the status, iterations and gap reached, and unless the
 * certificate of `r.x` alone (recomputed from `problem`) is within `tolerance`.
 */
export function expectConverged(
  fail: Fail,
  what: string,
  problem: CompositeProblem,
  r: SolveResult,
  tolerance: number,
): void {
  if (r.status !== "converged") {
    fail(`${what}: ${outcome(r)}, expected converged at tolerance ${tolerance}`);
    return;
  }
  const own = certify(problem, r.x).relativeGap;
  if (!(own <= tolerance))
    fail(
      `${what}: converged, but x's own certificate has relative gap ${gapText(own)} > tolerance ${tolerance}`,
    );
}

/** Fails unless `r.x` is exactly zero, naming the first non-zero entry. */
export function expectZero(fail: Fail, what: string, r: SolveResult): void {
  const nonzero = r.x.findIndex((v) => v !== 0);
  if (nonzero >= 0) fail(`${what}: x[${nonzero}] = ${r.x[nonzero]}, expected exactly 0`);
}

/** `factor · a.objective` and `b.objective` agree within both certified gaps (at `tolerance`). */
export function expectObjectivesAgree(
  fail: Fail,
  what: string,
  a: SolveResult,
  b: SolveResult,
  factor: number,
  tolerance: number,
): void {
  const slack =
    factor * tolerance * Math.max(1, Math.abs(a.objective)) +
    tolerance * Math.max(1, Math.abs(b.objective)) +
    1e-12 * Math.max(1, Math.abs(b.objective));
  const diff = factor * a.objective - b.objective;
  if (!(Math.abs(diff) <= slack)) {
    fail(
      `${what}: objective ${a.objective}${factor === 1 ? "" : ` × ${factor}`} and ${b.objective} differ by ${diff} (more than the certified gaps allow, ${slack.toExponential(2)}; ${outcome(a)} vs ${outcome(b)})`,
    );
  }
}

/** Fails unless `run` throws an instance of `type`. */
export function expectThrows(
  fail: Fail,
  what: string,
  type: new (...args: never[]) => Error,
  run: () => unknown,
): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof type))
      fail(`${what}: threw ${e instanceof Error ? e.name : String(e)}, expected ${type.name}`);
    return;
  }
  fail(`${what}: did not throw, expected ${type.name}`);
}
