import { createRng, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "../certificate.js";
import { createProblem, withLambda } from "../create-problem.js";
import { fista } from "../fista/fista.js";
import { lambdaMax } from "../lambda-max.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { randomGroupLasso } from "../testing/index.js";
import { restrictToGroups } from "../working-set/restrict-to-groups.js";
import { blockNormBounds } from "./block-norm-bounds.js";
import { gapSafeScreen } from "./gap-safe-screen.js";

/** ‖B‖₂ of a row-major rows × k block by many power iterations (a lower bound that converges). */
function spectralNorm(a: Matrix, start: number, k: number): number {
  const v = new Float64Array(k).fill(1);
  const w = new Float64Array(a.rows);
  let est = 0;
  for (let it = 0; it < 500; it++) {
    const nv = Math.hypot(...v);
    for (let j = 0; j < k; j++) v[j] = (v[j] as number) / nv;
    for (let r = 0; r < a.rows; r++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += a.get(r, start + j) * (v[j] as number);
      w[r] = s;
    }
    est = Math.hypot(...w);
    v.fill(0);
    for (let r = 0; r < a.rows; r++)
      for (let j = 0; j < k; j++) v[j] = (v[j] as number) + a.get(r, start + j) * (w[r] as number);
  }
  return est;
}

describe("blockNormBounds", () => {
  it("bounds each block's spectral norm from above, tightly", () => {
    const rng = createRng(4);
    const A = new Matrix(40, 30);
    rng.fillNormal(A.data);
    const reg = groupL2({ sizes: [1, 4, 10, 15] });
    const bounds = blockNormBounds(denseOperator(A), reg.groups!)!;
    const ptr = reg.groups!.ptr;
    for (let g = 0; g < 4; g++) {
      const exact = spectralNorm(A, ptr[g] as number, (ptr[g + 1] as number) - (ptr[g] as number));
      expect(bounds[g]).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
      expect(bounds[g]).toBeLessThanOrEqual(exact * 1.15);
    }
    // the same bounds through applyColumns only
    const op = denseOperator(A);
    const viaColumns = blockNormBounds(
      { rows: 40, cols: 30, apply: op.apply, adjoint: op.adjoint, applyColumns: op.applyColumns! },
      reg.groups!,
    )!;
    for (let g = 0; g < 4; g++) expect(viaColumns[g]).toBeCloseTo(bounds[g] as number, 10);
    expect(
      blockNormBounds({ rows: 40, cols: 30, apply: op.apply, adjoint: op.adjoint }, reg.groups!),
    ).toBeUndefined();
  });
});

describe("gapSafeScreen", () => {
  it("is safe: every group it discards is zero in a high-accuracy solution, and it discards many near the optimum", () => {
    for (const loss of ["squared", "logistic", "cross-entropy"] as const) {
      const { problem } = randomGroupLasso({
        loss,
        samples: 30,
        features: 60,
        groupSize: 3,
        lambdaRatio: 0.5,
        seed: 21,
      });
      const groups = problem.regularizer.groups!;
      const bounds = blockNormBounds(problem.operator, groups)!;
      const opt = fista.solve(problem, { tolerance: 1e-12, screening: false, workingSet: false });
      const rng = createRng(6);
      let discardedNearOptimum = 0;
      for (const noise of [1, 0.1, 1e-3, 0]) {
        const x = opt.x.map((v) => v + noise * 0.1 * rng.normal());
        const c = certify(problem, x);
        const grad = new Float64Array(problem.dim);
        const pred = new Float64Array(problem.operator.rows);
        problem.operator.apply(x, pred);
        const lg = new Float64Array(pred.length);
        problem.loss.gradient(pred, lg);
        problem.operator.adjoint(lg, grad);
        const screened = new Uint8Array(groups.count);
        const added = gapSafeScreen({
          gradient: grad,
          dualScale: c.dualScale,
          gap: c.objective - c.dualObjective,
          smoothness: problem.loss.smoothness,
          lambda: problem.lambda,
          groups,
          blockNorms: bounds,
          screened,
        });
        for (let g = 0; g < groups.count; g++) {
          if (screened[g] !== 1) continue;
          for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++)
            expect(opt.x[i] === 0).toBe(true);
        }
        if (noise === 0) discardedNearOptimum = added;
      }
      let zeroGroups = 0;
      for (let g = 0; g < groups.count; g++) if (opt.x[groups.ptr[g] as number] === 0) zeroGroups++;
      expect(discardedNearOptimum).toBeGreaterThan(0.5 * zeroGroups);
    }
  });
});

describe("restrictToGroups", () => {
  it("keeps objective and predictions for vectors supported on the kept groups, for every operator kind", () => {
    const rng = createRng(9);
    const A = new Matrix(12, 10);
    rng.fillNormal(A.data);
    const dense = denseOperator(A);
    const base = createProblem({
      operator: dense,
      loss: squaredLoss(rng.fillNormal(new Float64Array(12))),
      regularizer: groupL2({ sizes: [2, 3, 1, 4] }),
      lambda: 1,
    });
    const problem = withLambda(base, 0.3 * lambdaMax(base));
    const keep = new Int32Array([1, 3]);
    const variants = [
      dense,
      {
        rows: 12,
        cols: 10,
        apply: dense.apply,
        adjoint: dense.adjoint,
        applyColumns: dense.applyColumns!,
        adjointColumns: dense.adjointColumns!,
      },
      { rows: 12, cols: 10, apply: dense.apply, adjoint: dense.adjoint },
    ];
    for (const operator of variants) {
      const p = { ...problem, operator };
      const sub = restrictToGroups(p, keep);
      expect(sub.problem.dim).toBe(7);
      const xW = rng.fillNormal(new Float64Array(7));
      const full = new Float64Array(10);
      sub.scatter(xW, full);
      expect(full[0]).toBe(0);
      expect(full[5]).toBe(0);
      const back = new Float64Array(7);
      sub.gather(full, back);
      expect(Array.from(back)).toEqual(Array.from(xW));
      const cFull = certify(p, full);
      const predSub = new Float64Array(12);
      sub.problem.operator.apply(xW, predSub);
      const predFull = new Float64Array(12);
      dense.apply(full, predFull);
      for (let i = 0; i < 12; i++) expect(predSub[i]).toBeCloseTo(predFull[i] as number, 12);
      const cSub = certify(sub.problem, xW);
      expect(cSub.objective).toBeCloseTo(cFull.objective, 12);
      // the restricted dual is less constrained: its gap is never larger
      expect(cSub.relativeGap).toBeLessThanOrEqual(cFull.relativeGap + 1e-12);
    }
  });
});
