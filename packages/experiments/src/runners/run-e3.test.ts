import { describe, expect, it } from "vitest";
import { runE3 } from "./run-e3.js";

describe("runE3", () => {
  it("times every solver to each gap and the Adam alternative against the optimum", async () => {
    const r = await runE3({
      programs: ["scalar", "scnn"],
      sizes: ["small"],
      solvers: ["fista", "ipm"],
      adamSteps: 50,
    });
    const rows = r.metrics.rows;
    expect(rows.map((row) => `${row.program}/${row.solver}`)).toEqual([
      "scalar/fista",
      "scalar/ipm",
      "scalar/adam",
      "scnn/fista",
      "scnn/ipm",
    ]);
    for (const row of rows.filter((x) => x.solver !== "adam")) {
      expect(row.status).toBe("converged");
      expect(row.relativeGap).toBeLessThanOrEqual(1e-8);
      const times = row.reached.map((x) => x.milliseconds ?? Number.POSITIVE_INFINITY);
      expect(times[0]).toBeLessThanOrEqual(times[1] as number);
      expect(times[1]).toBeLessThanOrEqual(times[2] as number);
    }
    // both solvers certify the same optimum
    expect(Math.abs((rows[0]?.objective ?? 0) - (rows[1]?.objective ?? 1))).toBeLessThan(
      1e-6 * Math.abs(rows[0]?.objective ?? 1) + 1e-9,
    );
    // Adam is timed to 1e-3 of the optimum, then to each configured gap
    expect(rows[2]?.reached.map((x) => x.gap)).toEqual([1e-3, 1e-4, 1e-6, 1e-8]);
    // Adam never beats the certified optimum
    expect((rows[2]?.objective ?? 0) >= (rows[0]?.objective ?? 0) * (1 - 1e-6)).toBe(true);
  });

  it("names bad options", async () => {
    await expect(runE3({ programs: ["nope" as never] })).rejects.toThrow(/programs/);
    await expect(runE3({ gaps: [2] })).rejects.toThrow(/gaps/);
  });
});
