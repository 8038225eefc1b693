import {
  certify,
  createProblem,
  denseOperator,
  fista,
  groupL2,
  lambdaMax,
  squaredLoss,
} from "@convexformer/solvers";
import { createRng, Matrix, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { gatedAttentionProblem } from "./attention-problem.js";
import { checkFreshGates } from "./fresh-gate-check.js";
import { sampleGates } from "./sample-gates.js";

const rng = createRng(77);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe("one-token gated program (14) = convex gated-ReLU network (scnn form)", () => {
  it("same objective at every point and the same optimum on the same data and gates", () => {
    const N = 40;
    const p = 5;
    const P = 8;
    const Xm = rng.fillNormal(new Float64Array(N * p));
    const G = rng.fillNormal(new Float64Array(p * P)); // p × P gate matrix, as scnn stores it
    const y = rng.fillNormal(new Float64Array(N));
    const lambda = 0.5;
    // scnn's program, built densely and independently: D_j = 1[X g_j > 0], columns D_j X, group per gate
    const design = new Matrix(N, P * p);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        for (let q = 0; q < p; q++) s += (Xm[i * p + q] as number) * (G[q * P + j] as number);
        if (s > 0) for (let q = 0; q < p; q++) design.set(i, j * p + q, Xm[i * p + q] as number);
      }
    }
    const scnn = createProblem({
      operator: denseOperator(design),
      loss: squaredLoss(y),
      regularizer: groupL2({ sizes: new Array(P).fill(p) }),
      lambda,
    });
    // ours: one token, u1 = [1], u2 = g_j
    const X = new TokenBatch(N, 1, p, Xm);
    const u2 = new Float64Array(P * p);
    for (let j = 0; j < P; j++) for (let q = 0; q < p; q++) u2[j * p + q] = G[q * P + j] as number;
    const ours = gatedAttentionProblem(
      X,
      { u1: new Float64Array(P).fill(1), u2 },
      squaredLoss(y),
      lambda,
    );
    expect(ours.dim).toBe(scnn.dim);
    for (let t = 0; t < 5; t++) {
      const w = rng.fillNormal(new Float64Array(ours.dim));
      const direct = (() => {
        // ½‖Σ_j D_j X w_j − y‖² + λ Σ_j ‖w_j‖₂, evaluated literally
        let loss = 0;
        for (let i = 0; i < N; i++) {
          let pred = 0;
          for (let j = 0; j < P; j++) {
            let gate = 0;
            let xw = 0;
            for (let q = 0; q < p; q++) {
              gate += (Xm[i * p + q] as number) * (G[q * P + j] as number);
              xw += (Xm[i * p + q] as number) * (w[j * p + q] as number);
            }
            if (gate > 0) pred += xw;
          }
          loss += 0.5 * (pred - (y[i] as number)) ** 2;
        }
        let pen = 0;
        for (let j = 0; j < P; j++) pen += Math.hypot(...w.subarray(j * p, (j + 1) * p));
        return loss + lambda * pen;
      })();
      expect(rel(certify(ours, w).objective, direct)).toBeLessThan(1e-12);
      expect(rel(certify(scnn, w).objective, direct)).toBeLessThan(1e-12);
    }
    expect(rel(lambdaMax(ours), lambdaMax(scnn))).toBeLessThan(1e-12);
    const a = fista.solve(ours, { tolerance: 1e-10, workingSet: false });
    const b = fista.solve(scnn, { tolerance: 1e-10, workingSet: false });
    expect(a.status).toBe("converged");
    expect(b.status).toBe("converged");
    expect(rel(a.objective, b.objective)).toBeLessThan(1e-8);
    // each solution certifies in the other program
    expect(certify(scnn, a.x).relativeGap).toBeLessThan(1e-9);
    expect(certify(ours, b.x).relativeGap).toBeLessThan(1e-9);
  });
});

describe("fresh-gate global-optimality check (docs/concepts.md#certificates)", () => {
  const N = 8;
  const X = new TokenBatch(N, 1, 2, rng.fillNormal(new Float64Array(N * 2)));
  // a planted gated target that a single gate cannot fit
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = Math.max(0, X.get(i, 0, 0)) - 2 * Math.max(0, X.get(i, 0, 1));

  it("with every activation pattern sampled, no fresh gate violates the dual constraint", () => {
    const gates = sampleGates(X, 400, { seed: 3 });
    // points in the plane: at most 2N distinct half-plane patterns
    expect(gates.count).toBeLessThanOrEqual(2 * N);
    const problem = gatedAttentionProblem(X, gates, squaredLoss(y), 0.05);
    const solved = fista.solve(problem, {
      tolerance: 1e-11,
      workingSet: false,
      maxIterations: 100000,
    });
    const report = checkFreshGates(problem, solved.x, { count: 200, seed: 99 });
    expect(report.gates).toBe(200);
    expect(report.violations).toBe(0);
    expect(report.worstRatio).toBeLessThanOrEqual(1 + 1e-9);
  });

  it("with one gate, fresh gates violate it, and adding the worst one lowers the optimum", () => {
    const one = sampleGates(X, 1, { seed: 5 });
    const problem = gatedAttentionProblem(X, one, squaredLoss(y), 0.05);
    const solved = fista.solve(problem, {
      tolerance: 1e-11,
      workingSet: false,
      maxIterations: 100000,
    });
    const report = checkFreshGates(problem, solved.x, { count: 50, seed: 6 });
    expect(report.violations).toBeGreaterThan(0);
    expect(report.worstRatio).toBeGreaterThan(1);
    // re-draw the same fresh gates to add the worst one
    const fresh = createRng(6);
    const u1 = fresh.fillNormal(new Float64Array(50));
    const u2 = fresh.fillNormal(new Float64Array(100));
    let worst = 0;
    for (let j = 1; j < 50; j++)
      if ((report.ratios[j] as number) > (report.ratios[worst] as number)) worst = j;
    const more = gatedAttentionProblem(
      X,
      {
        u1: new Float64Array([one.u1[0] as number, u1[worst] as number]),
        u2: new Float64Array([...one.u2, ...u2.subarray(2 * worst, 2 * worst + 2)]),
      },
      squaredLoss(y),
      0.05,
    );
    const better = fista.solve(more, {
      tolerance: 1e-11,
      workingSet: false,
      maxIterations: 100000,
    });
    // the old optimum is feasible in the bigger program; a violated constraint means strictly lower
    expect(better.objective).toBeLessThan(solved.objective - 1e-6);
  });
});
