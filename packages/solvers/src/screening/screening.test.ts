import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
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
import { blockNormBounds, LazyBlockNorms } from "./block-norm-bounds.js";
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

describe("LazyBlockNorms", () => {
  it("brackets each block's spectral norm, refines only when it can matter, and agrees across column sources", () => {
    const rng = createRng(14);
    const A = new Matrix(50, 36);
    rng.fillNormal(A.data);
    const reg = groupL2({ sizes: [1, 5, 12, 18] });
    const ptr = reg.groups!.ptr;
    const op = denseOperator(A);
    const norms = LazyBlockNorms.of(op, reg.groups!, A)!;
    const viaColumns = LazyBlockNorms.of(
      { rows: 50, cols: 36, apply: op.apply, adjoint: op.adjoint, applyColumns: op.applyColumns! },
      reg.groups!,
    )!;
    expect(
      LazyBlockNorms.of({ rows: 50, cols: 36, apply: op.apply, adjoint: op.adjoint }, reg.groups!),
    ).toBeUndefined();
    const exact = [0, 1, 2, 3].map((g) =>
      spectralNorm(A, ptr[g] as number, (ptr[g + 1] as number) - (ptr[g] as number)),
    );
    for (let g = 0; g < 4; g++) {
      const e = exact[g] as number;
      expect(norms.upper[g]).toBeGreaterThanOrEqual(e * (1 - 1e-12));
      expect(norms.lower[g]).toBeLessThanOrEqual(e * (1 + 1e-12));
      expect(viaColumns.upper[g]).toBeCloseTo(norms.upper[g] as number, 10);
      expect(viaColumns.lower[g]).toBeCloseTo(norms.lower[g] as number, 10);
    }
    // one column: the bound is exact and never refined
    expect(Math.abs((norms.upper[0] as number) / (exact[0] as number) - 1)).toBeLessThan(1e-9);
    expect(norms.refine(0, 0.5 * (exact[0] as number))).toBe(norms.upper[0]);
    // Frobenius is loose on wider blocks
    expect(norms.upper[3]).toBeGreaterThan(1.5 * (exact[3] as number));
    // a target below the lower bound cannot be met: nothing is computed
    expect(norms.refine(3, 0.9 * (norms.lower[3] as number))).toBe(norms.upper[3]);
    expect(norms.refinedCount).toBe(0);
    // a target between the bounds: the Gram bound, tight and still above the truth
    for (const g of [1, 2, 3]) {
      const e = exact[g] as number;
      const tight = norms.refine(
        g,
        0.5 * ((norms.lower[g] as number) + (norms.upper[g] as number)),
      );
      expect(tight).toBeGreaterThanOrEqual(e * (1 - 1e-12));
      expect(tight).toBeLessThanOrEqual(e * 1.15);
      expect(norms.upper[g]).toBe(tight);
      expect(viaColumns.refine(g, tight * 1.01)).toBeCloseTo(tight, 8);
    }
    expect(norms.refinedCount).toBe(3);
    // refined once only
    norms.refine(2, 1e-9 + (norms.lower[2] as number));
    expect(norms.refinedCount).toBe(3);
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
        // with the cheap Frobenius bounds and lazy refinement: also safe, and never weaker
        // than the Frobenius bounds alone
        const lazy = LazyBlockNorms.of(problem.operator, groups)!;
        const frob = new Uint8Array(groups.count);
        const input = {
          gradient: grad,
          dualScale: c.dualScale,
          gap: c.objective - c.dualObjective,
          smoothness: problem.loss.smoothness,
          lambda: problem.lambda,
          groups,
        };
        gapSafeScreen({ ...input, blockNorms: Float64Array.from(lazy.upper), screened: frob });
        const refined = new Uint8Array(groups.count);
        gapSafeScreen({
          ...input,
          blockNorms: lazy.upper,
          screened: refined,
          refine: (g, needed) => lazy.refine(g, needed),
        });
        for (let g = 0; g < groups.count; g++) {
          if (frob[g] === 1) expect(refined[g]).toBe(1);
          if (refined[g] !== 1) continue;
          for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++)
            expect(opt.x[i] === 0).toBe(true);
        }
        if (noise === 0) {
          // the refined test is as strong as the one with the tight bounds
          for (let g = 0; g < groups.count; g++) if (screened[g] === 1) expect(refined[g]).toBe(1);
        }
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

  it("picks the cheapest faithful operator: full, compact copy, column runs or padding", () => {
    const rng = createRng(10);
    const A = new Matrix(9, 16);
    rng.fillNormal(A.data);
    const dense = denseOperator(A);
    const problem = createProblem({
      operator: dense,
      loss: squaredLoss(rng.fillNormal(new Float64Array(9))),
      regularizer: groupL2({ sizes: [2, 2, 2, 2, 2, 2, 2, 2] }),
      lambda: 0.5,
    });
    const columnsOnly = {
      rows: 9,
      cols: 16,
      apply: dense.apply,
      adjoint: dense.adjoint,
      applyColumns: dense.applyColumns!,
      adjointColumns: dense.adjointColumns!,
    };
    const opaque = { rows: 9, cols: 16, apply: dense.apply, adjoint: dense.adjoint };
    const keep = new Int32Array([1, 2, 5]); // runs [2, 6) and [10, 12)
    // an operator that restricts itself (as the attention operators do), or declines to
    const selfRestricting = {
      ...opaque,
      restrictColumns(starts: readonly number[], lengths: readonly number[]) {
        const kept: number[] = [];
        starts.forEach((a, t) => {
          for (let j = 0; j < (lengths[t] as number); j++) kept.push(a + j);
        });
        return denseOperator(
          Matrix.fromRows(A.toRows().map((row) => kept.map((j) => row[j] as number))),
        );
      },
    };
    const declining = { ...columnsOnly, restrictColumns: () => undefined };
    const cases = [
      {
        operator: dense,
        keep: new Int32Array([0, 1, 2, 3, 4, 5, 6, 7]),
        options: {},
        strategy: "full",
      },
      { operator: dense, keep, options: {}, strategy: "compact" },
      { operator: selfRestricting, keep, options: { dense: A }, strategy: "operator" },
      { operator: declining, keep, options: {}, strategy: "compact" },
      { operator: opaque, keep, options: { dense: A }, strategy: "compact" },
      { operator: columnsOnly, keep, options: {}, strategy: "compact" },
      { operator: dense, keep, options: { dense: A, maxCompactEntries: 0 }, strategy: "runs" },
      {
        operator: columnsOnly,
        keep: new Int32Array([1, 5]), // a quarter of the columns
        options: { maxCompactEntries: 0 },
        strategy: "runs",
      },
      { operator: columnsOnly, keep, options: { maxCompactEntries: 0 }, strategy: "padded" },
      { operator: opaque, keep, options: {}, strategy: "padded" },
      {
        operator: columnsOnly,
        keep: new Int32Array([0, 1, 2, 3, 4, 5, 7]),
        options: { maxCompactEntries: 0 },
        strategy: "padded",
      },
    ] as const;
    for (const { operator, keep: k, options, strategy } of cases) {
      const sub = restrictToGroups({ ...problem, operator }, k, options);
      expect(sub.strategy).toBe(strategy);
      const n = sub.problem.dim;
      const xW = rng.fillNormal(new Float64Array(n));
      const full = new Float64Array(16);
      sub.scatter(xW, full);
      const expected = new Float64Array(9);
      dense.apply(full, expected);
      const got = new Float64Array(9);
      sub.problem.operator.apply(xW, got);
      for (let i = 0; i < 9; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 12);
      const r = rng.fillNormal(new Float64Array(9));
      const fullAdj = new Float64Array(16);
      dense.adjoint(r, fullAdj);
      const expectedAdj = new Float64Array(n);
      sub.gather(fullAdj, expectedAdj);
      const adj = new Float64Array(n);
      sub.problem.operator.adjoint(r, adj);
      for (let i = 0; i < n; i++) expect(adj[i]).toBeCloseTo(expectedAdj[i] as number, 12);
    }
    expect(() => restrictToGroups(problem, new Int32Array([2, 1]))).toThrow(InvalidOptionError);
    expect(() => restrictToGroups(problem, keep, { maxCompactEntries: -1 })).toThrow(
      InvalidOptionError,
    );
  });
});
