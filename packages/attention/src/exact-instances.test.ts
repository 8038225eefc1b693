import {
  certify,
  crossEntropyLoss,
  fista,
  lambdaMax,
  logisticLoss,
  squaredLoss,
} from "@convexformer/solvers";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionForward, attentionObjective } from "./attention-network.js";
import {
  gatedAttentionProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
import { headsNeeded, recoverNetwork } from "./convex-maps.js";
import { sampleGates } from "./sample-gates.js";
import { simplexAttentionObjective } from "./simplex-attention.js";
import { standardAttentionForward, standardAttentionObjective } from "./standard-attention.js";

const close = (a: number, b: number, tol = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe("exact instance 1: one head is not enough", () => {
  const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
  const y = new Float64Array([1, -1]);
  const beta = 1 / 8;
  const loss = squaredLoss(y);
  const problem = scalarAttentionProblem(X, loss, beta);

  it("the convex optimum is z = (7/8, −7/8) with value 15/64, certified", () => {
    const z = new Float64Array([7 / 8, -7 / 8]);
    const c = certify(problem, z);
    close(c.objective, 15 / 64);
    close(c.dualObjective, 15 / 64);
    expect(c.relativeGap).toBeLessThanOrEqual(1e-12);
    const solved = fista.solve(problem, { tolerance: 1e-13 });
    close(solved.x[0] as number, 7 / 8, 1e-10);
    close(solved.x[1] as number, -7 / 8, 1e-10);
  });

  it("every one-head network predicts one sign on both samples, so its objective is ≥ 1/2", () => {
    const rng = createRng(1);
    for (let t = 0; t < 500; t++) {
      const a = rng.uniform();
      const w = {
        heads: 1,
        tokens: 2,
        features: 1,
        outputs: 1,
        w1: new Float64Array([a, 1 - a]),
        w2: new Float64Array([rng.normal() * 2]),
        alpha: new Float64Array([rng.normal() * 2]),
      };
      const p = attentionForward(w, X);
      expect((p[0] as number) * (p[1] as number)).toBeGreaterThanOrEqual(0);
      expect(attentionObjective(w, X, loss, beta)).toBeGreaterThanOrEqual(0.5);
    }
  });

  it("two recovered heads reach 15/64 exactly", () => {
    const z = new Float64Array([7 / 8, -7 / 8]);
    const layout = problem.layout;
    expect(headsNeeded(z, layout)).toBe(2);
    const w = recoverNetwork(z, layout);
    expect(w.heads).toBe(2);
    close(attentionObjective(w, X, loss, beta), 15 / 64);
  });
});

describe("exact instance 2: recovery must use the support token", () => {
  const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
  const loss = squaredLoss(new Float64Array([1]));
  const beta = 1 / 8;
  const problem = scalarAttentionProblem(X, loss, beta);

  it("optimum Z = (0, 7/8), value 15/128; the recovered head attends to token 2", () => {
    const z = new Float64Array([0, 7 / 8]);
    const c = certify(problem, z);
    close(c.objective, 15 / 128);
    expect(c.relativeGap).toBeLessThanOrEqual(1e-12);
    const w = recoverNetwork(z, problem.layout);
    expect(Array.from(w.w1)).toEqual([0, 1]);
    close(attentionForward(w, X)[0] as number, 7 / 8);
    close(attentionObjective(w, X, loss, beta), 15 / 128);
    // the paper's printed map (w_1 = e_j for head j = 1) reads token 1 and predicts 0
    const printed = { ...w, w1: new Float64Array([1, 0]) };
    expect(attentionForward(printed, X)[0]).toBe(0);
    expect(attentionObjective(printed, X, loss, beta)).toBeGreaterThan(15 / 128 + 0.4);
  });
});

describe("exact instance 3: (3) vs (4)", () => {
  const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
  const loss = squaredLoss(new Float64Array([1, 1]));
  const beta = 1;

  it("(3) has value 1 at zero and antisymmetric outputs for every parameter on this X", () => {
    const zero = {
      heads: 1,
      features: 1,
      hidden: 1,
      outputs: 1,
      WQ: new Float64Array(1),
      WK: new Float64Array(1),
      WV: new Float64Array(1),
      WO: new Float64Array(1),
    };
    close(standardAttentionObjective(zero, X, loss, beta), 1);
    const rng = createRng(3);
    for (let t = 0; t < 200; t++) {
      const h = 1 + (t % 3);
      const m = 1 + (t % 2);
      const w = {
        heads: h,
        features: 1,
        hidden: m,
        outputs: 1,
        WQ: rng.fillNormal(new Float64Array(h * m), 0, 2),
        WK: rng.fillNormal(new Float64Array(h * m), 0, 2),
        WV: rng.fillNormal(new Float64Array(h * m), 0, 2),
        WO: rng.fillNormal(new Float64Array(h * m), 0, 2),
      };
      const f = standardAttentionForward(w, X);
      close((f[0] as number) + (f[1] as number), 0, 1e-12 * (1 + Math.abs(f[0] as number)));
      // loss ½(f−1)² + ½(−f−1)² = f² + 1 ≥ 1, penalty ≥ 0: the optimum of (3) is 1
      expect(standardAttentionObjective(w, X, loss, beta)).toBeGreaterThanOrEqual(1 - 1e-12);
    }
  });

  it("(4) reaches 3/4 with W_1 rows e_1 and v = o = 1/√2, the optimum of (33)", () => {
    const s = Math.SQRT1_2;
    const w = {
      heads: 1,
      tokens: 2,
      features: 1,
      hidden: 1,
      outputs: 1,
      W1: new Float64Array([1, 0, 1, 0]),
      WV: new Float64Array([s]),
      WO: new Float64Array([s]),
    };
    close(simplexAttentionObjective(w, X, loss, beta), 3 / 4);
    // the exact convex program (33) certifies 3/4 as the optimum over (4)/(30)
    const problem = sequenceAttentionProblem(X, loss, beta);
    const c = certify(problem, new Float64Array([0.5, 0, 0.5, 0, 0, 0, 0, 0]));
    close(c.objective, 3 / 4);
    expect(c.relativeGap).toBeLessThanOrEqual(1e-12);
  });
});

describe("exact instance 4: λ ≥ λ_max gives Z = 0 exactly", () => {
  const rng = createRng(4);
  const N = 6;
  const X = new TokenBatch(N, 3, 2, rng.fillNormal(new Float64Array(N * 6)));
  const labels = new Int32Array(Array.from({ length: N }, (_, i) => i % 3));
  const cases = [
    [
      "squared scalar",
      scalarAttentionProblem(X, squaredLoss(rng.fillNormal(new Float64Array(N))), 1),
    ],
    [
      "logistic scalar",
      scalarAttentionProblem(X, logisticLoss(new Float64Array([1, -1, 1, 1, -1, -1])), 1),
    ],
    [
      "cross-entropy vector",
      vectorAttentionProblem(X, crossEntropyLoss(labels, { classes: 3 }), 1),
    ],
    [
      "squared gated",
      gatedAttentionProblem(
        X,
        sampleGates(X, 8, { seed: 2 }),
        squaredLoss(rng.fillNormal(new Float64Array(N))),
        1,
      ),
    ],
    [
      "squared sequence (33)",
      sequenceAttentionProblem(X, squaredLoss(rng.fillNormal(new Float64Array(N * 3))), 1),
    ],
  ] as const;
  for (const [name, base] of cases) {
    it(name, () => {
      const top = lambdaMax(base);
      expect(top).toBeGreaterThan(0);
      for (const factor of [1, 1 + 1e-6, 2]) {
        const problem = { ...base, lambda: top * factor };
        // zero is optimal: its own certificate closes the gap
        expect(certify(problem, new Float64Array(base.dim)).relativeGap).toBeLessThanOrEqual(1e-12);
        const result = fista.solve(problem, {
          tolerance: 1e-12,
          warmStart: rng.fillNormal(new Float64Array(base.dim), 0, 0.1),
        });
        if (factor > 1) {
          // strictly above λ_max the solver lands on exact zeros
          expect(result.x.every((v) => v === 0)).toBe(true);
        } else {
          // at λ_max exactly the zero-group test is tight; rounding may leave dust
          expect(Math.max(...result.x.map(Math.abs))).toBeLessThan(1e-6);
          expect(
            result.objective - certify(problem, new Float64Array(base.dim)).objective,
          ).toBeLessThan(1e-12);
        }
      }
    });
  }
});
