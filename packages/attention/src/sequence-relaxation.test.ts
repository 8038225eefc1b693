import { certify, fista, squaredLoss } from "@convexformer/solvers";
import { TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { relaxedSequenceAttentionProblem, sequenceAttentionProblem } from "./attention-problem.js";

describe("(33) exact vs its max-row-sum relaxation", () => {
  // two samples reading one token each; the target needs rows with different row sums
  const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
  const Y = squaredLoss(new Float64Array([1, 0, 0, 0]));
  const beta = 1 / 4;

  it("the relaxation reaches β − β²/2 = 7/32 (certified), the exact program is certified strictly higher", () => {
    const relaxed = relaxedSequenceAttentionProblem(X, Y, beta);
    // C = [[1 − β, 0], [0, 0]]: Ŷ_1 = (1 − β, 0), Ŷ_2 = 0
    const c = certify(relaxed, new Float64Array([1 - beta, 0, 0, 0]));
    expect(Math.abs(c.objective - 7 / 32)).toBeLessThan(1e-15);
    expect(c.relativeGap).toBeLessThan(1e-12);
    const exact = sequenceAttentionProblem(X, Y, beta);
    const solved = fista.solve(exact, { tolerance: 1e-12, maxIterations: 100000 });
    expect(solved.status).toBe("converged");
    // the certified lower bound of (33) is above the relaxation's optimum
    expect(solved.dualObjective).toBeGreaterThan(7 / 32 + 0.01);
    // and the relaxation, solved, agrees with its closed form
    const r = fista.solve(relaxed, { tolerance: 1e-12, maxIterations: 100000 });
    expect(Math.abs(r.objective - 7 / 32)).toBeLessThan(1e-10);
  });

  it("the relaxation is never above the exact program (random instances)", () => {
    for (let seed = 0; seed < 4; seed++) {
      const data = Float64Array.from({ length: 3 * 3 * 2 }, (_, i) =>
        Math.sin(1 + i * (seed + 1.7)),
      );
      const X3 = new TokenBatch(3, 3, 2, data);
      const loss = squaredLoss(
        Float64Array.from({ length: 9 }, (_, i) => Math.cos(i * (seed + 0.3))),
      );
      const exact = fista.solve(sequenceAttentionProblem(X3, loss, 0.2), {
        tolerance: 1e-10,
        maxIterations: 100000,
      });
      const relaxed = fista.solve(relaxedSequenceAttentionProblem(X3, loss, 0.2), {
        tolerance: 1e-10,
        maxIterations: 100000,
      });
      expect(relaxed.dualObjective).toBeLessThanOrEqual(exact.objective + 1e-9);
      expect(relaxed.objective).toBeLessThanOrEqual(exact.objective + 1e-8);
    }
  });
});
