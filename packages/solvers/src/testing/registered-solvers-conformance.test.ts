import { describe, expect, it } from "vitest";
import { getSolver, listSolvers } from "../registry.js";
import { CONFORMANCE_CHECKS, runSolverConformance } from "./index.js";

/** Checks a registered solver does not run, each with its reason. */
const SKIPPED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ipm: {
    // tested in ipm.test.ts: "throws typed errors for an operator without toDense"
    "matrix-free":
      "the interior point factors the dense design: it refuses an operator without toDense",
  },
};

describe.each(listSolvers())("registered solver %s", (name) => {
  const checks = CONFORMANCE_CHECKS.filter((check) => SKIPPED[name]?.[check] === undefined);
  it.each(checks)("passes the conformance check %s", (check) => {
    const report = runSolverConformance(getSolver(name), { only: [check] });
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
  });
});
