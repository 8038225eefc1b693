import {
  certify,
  crossEntropyLoss,
  fista,
  lambdaMax,
  logisticLoss,
  type SmoothLoss,
  squaredLoss,
} from "@convexformer/solvers";
import { createRng, type Rng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionForward, attentionObjective } from "./attention-network.js";
import {
  gatedAttentionProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
import type { AttentionWeights } from "./attention-weights.js";
import { headsNeeded, recoverNetwork, toConvex } from "./convex-maps.js";
import { pruneSupport } from "./prune-support.js";
import { sequenceAttentionForward, sequenceAttentionObjective } from "./sequence-attention.js";
import { recoverSequenceNetwork, sequenceToConvex } from "./sequence-maps.js";
import type { SequenceWeights } from "./sequence-weights.js";

const rng = createRng(2024);

function simplexRows(r: Rng, rows: number, cols: number, sparse = false): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < cols; k++) {
      const v = sparse && r.uniform() < 0.4 ? 0 : r.uniform() + 1e-3;
      out[i * cols + k] = v;
      s += v;
    }
    if (s === 0) {
      out[i * cols + r.integer(0, cols)] = 1;
      s = 1;
    }
    for (let k = 0; k < cols; k++) out[i * cols + k] = (out[i * cols + k] as number) / s;
  }
  return out;
}

function randomWeights(
  h: number,
  n: number,
  d: number,
  c: number,
  gated: boolean,
): AttentionWeights {
  const base = {
    heads: h,
    tokens: n,
    features: d,
    outputs: c,
    w1: simplexRows(rng, h, n, true),
    w2: rng.fillNormal(new Float64Array(h * d)),
    alpha: rng.fillNormal(new Float64Array(h * c)),
  };
  return gated
    ? {
        ...base,
        gates: {
          u1: rng.fillNormal(new Float64Array(h * n)),
          u2: rng.fillNormal(new Float64Array(h * d)),
        },
      }
    : base;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

interface Case {
  readonly name: string;
  readonly c: number;
  readonly gated: boolean;
  readonly loss: (N: number) => SmoothLoss;
}

const cases: Case[] = [
  {
    name: "(8) scalar, squared",
    c: 1,
    gated: false,
    loss: (N) => squaredLoss(rng.fillNormal(new Float64Array(N))),
  },
  {
    name: "(8) scalar, logistic",
    c: 1,
    gated: false,
    loss: (N) => logisticLoss(Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : -1))),
  },
  {
    name: "(11) vector, squared",
    c: 3,
    gated: false,
    loss: (N) => squaredLoss(rng.fillNormal(new Float64Array(N * 3)), { outputs: 3 }),
  },
  {
    name: "(11) vector, cross-entropy",
    c: 3,
    gated: false,
    loss: (N) =>
      crossEntropyLoss(
        Int32Array.from({ length: N }, (_, i) => (i * 7) % 3),
        { classes: 3 },
      ),
  },
  {
    name: "(13) gated, squared",
    c: 1,
    gated: true,
    loss: (N) => squaredLoss(rng.fillNormal(new Float64Array(N))),
  },
  {
    name: "(13) gated, cross-entropy",
    c: 2,
    gated: true,
    loss: (N) =>
      crossEntropyLoss(
        Int32Array.from({ length: N }, (_, i) => i % 2),
        { classes: 2 },
      ),
  },
];

describe("exact maps on random data, every model", () => {
  for (const { name, c, gated, loss: makeLoss } of cases) {
    it(name, () => {
      const N = 12;
      const n = 4;
      const d = 3;
      const h = 5;
      const beta = 0.3;
      const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
      const loss = makeLoss(N);
      // nonconvex → convex: same predictions, objective never larger
      for (let trial = 0; trial < 5; trial++) {
        const w = randomWeights(h, n, d, c, gated);
        const point = toConvex(w);
        const problem =
          point.gates !== undefined
            ? gatedAttentionProblem(X, point.gates, loss, beta)
            : c === 1
              ? scalarAttentionProblem(X, loss, beta)
              : vectorAttentionProblem(X, loss, beta);
        const y = new Float64Array(problem.operator.rows);
        problem.operator.apply(point.x, y);
        expect(maxAbsDiff(y, attentionForward(w, X))).toBeLessThan(1e-12);
        const convex = certify(problem, point.x).objective;
        expect(convex).toBeLessThanOrEqual(attentionObjective(w, X, loss, beta) + 1e-12);
      }
      // solve the convex program for a gate set / no gates, recover, compare
      const gates = gated
        ? {
            u1: rng.fillNormal(new Float64Array(6 * n)),
            u2: rng.fillNormal(new Float64Array(6 * d)),
          }
        : undefined;
      const base =
        gates !== undefined
          ? gatedAttentionProblem(X, gates, loss, 1)
          : c === 1
            ? scalarAttentionProblem(X, loss, 1)
            : vectorAttentionProblem(X, loss, 1);
      const problem = { ...base, lambda: 0.05 * lambdaMax(base) };
      const result = fista.solve(problem, {
        tolerance: 1e-10,
        maxIterations: 20000,
        workingSet: false,
      });
      expect(result.status).toBe("converged");
      const convex = certify(problem, result.x).objective;
      const net = recoverNetwork(result.x, problem.layout, problem.gates);
      expect(net.heads).toBe(Math.max(1, headsNeeded(result.x, problem.layout)));
      expect(rel(attentionObjective(net, X, loss, problem.lambda), convex)).toBeLessThan(1e-10);
      const y = new Float64Array(problem.operator.rows);
      problem.operator.apply(result.x, y);
      expect(maxAbsDiff(attentionForward(net, X), y)).toBeLessThan(1e-10);
      // every recovered head attends to exactly one token
      for (let j = 0; j < net.heads; j++)
        expect(net.w1.subarray(j * n, (j + 1) * n).filter((v) => v === 1).length).toBe(1);
      // round trip: the recovered network maps back to a point with the same objective
      const back = toConvex(net);
      if (back.gates === undefined)
        expect(rel(certify(problem, back.x).objective, convex)).toBeLessThan(1e-10);
    });
  }
});

describe("Carathéodory pruning (docs/concepts.md#token-sparsity)", () => {
  const settings = [
    { name: "scalar", c: 1, P: 0 },
    { name: "vector, joint loss", c: 3, P: 0 },
    { name: "gated", c: 1, P: 4 },
    { name: "gated vector", c: 2, P: 3 },
  ];
  for (const { name, c, P } of settings) {
    it(`${name}: meets the N·c + 1 bound with the same objective, on arbitrary and optimal points`, () => {
      const N = 2;
      const n = 9;
      const d = 2;
      const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
      const loss =
        c === 1
          ? squaredLoss(rng.fillNormal(new Float64Array(N)))
          : crossEntropyLoss(new Int32Array([0, c - 1]), { classes: c });
      const gates =
        P > 0
          ? {
              u1: rng.fillNormal(new Float64Array(P * n)),
              u2: rng.fillNormal(new Float64Array(P * d)),
            }
          : undefined;
      const base =
        gates !== undefined
          ? gatedAttentionProblem(X, gates, loss, 0.2)
          : c === 1
            ? scalarAttentionProblem(X, loss, 0.2)
            : vectorAttentionProblem(X, loss, 0.2);
      const bound = N * c + 1;
      // an arbitrary dense point: every row active
      const x = rng.fillNormal(new Float64Array(base.dim));
      const before = certify(base, x).objective;
      const pruned = pruneSupport(x, base.layout, X, base.operator.mask);
      expect(pruned.initialSupport).toBe(base.dim / d);
      expect(pruned.support).toBeLessThanOrEqual(bound);
      expect(headsNeeded(pruned.x, base.layout)).toBe(pruned.support);
      expect(pruned.bound).toBe(bound);
      expect(rel(certify(base, pruned.x).objective, before)).toBeLessThan(1e-10);
      expect(pruned.predictionDrift).toBeLessThan(1e-10);
      // an optimum stays an optimum
      const problem = { ...base, lambda: 0.01 * lambdaMax(base) };
      const result = fista.solve(problem, {
        tolerance: 1e-10,
        maxIterations: 50000,
        workingSet: false,
      });
      const opt = certify(problem, result.x);
      const prunedOpt = pruneSupport(result.x, problem.layout, X, problem.operator.mask);
      expect(prunedOpt.support).toBeLessThanOrEqual(bound);
      const after = certify(problem, prunedOpt.x);
      expect(rel(after.objective, opt.objective)).toBeLessThan(1e-10);
      expect(after.relativeGap).toBeLessThanOrEqual(opt.relativeGap + 1e-10);
    });
  }

  it("the recovered network of a pruned optimum needs at most N + 1 heads", () => {
    const X = new TokenBatch(1, 3, 1, new Float64Array([1, 1, 1]));
    const layout = { gates: 1, outputs: 1, tokens: 3, features: 1 };
    const r = pruneSupport(new Float64Array([0.2, 0.3, 0.5]), layout, X);
    expect(r.support).toBeLessThanOrEqual(2);
    expect(r.x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(r.x.every((v) => v >= 0)).toBe(true);
    expect(recoverNetwork(r.x, layout).heads).toBe(r.support);
  });
});

describe("sequence model (30) ↔ exact program (33)", () => {
  it("nonconvex → convex keeps predictions and never increases the objective; recovery is exact", () => {
    const N = 6;
    const n = 3;
    const d = 2;
    const c = 2;
    const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
    const loss = squaredLoss(rng.fillNormal(new Float64Array(N * n * c)), { outputs: c });
    const beta = 0.4;
    const problem = sequenceAttentionProblem(X, loss, beta);
    for (let trial = 0; trial < 5; trial++) {
      const h = 4;
      const w: SequenceWeights = {
        heads: h,
        tokens: n,
        features: d,
        outputs: c,
        W1: simplexRows(rng, h * n, n, true),
        W2: rng.fillNormal(new Float64Array(h * d * c)),
        alpha: rng.fillNormal(new Float64Array(h)),
      };
      const x = sequenceToConvex(w);
      const y = new Float64Array(problem.operator.rows);
      problem.operator.apply(x, y);
      expect(maxAbsDiff(y, sequenceAttentionForward(w, X))).toBeLessThan(1e-12);
      const convex = certify(problem, x).objective;
      expect(Number.isFinite(convex)).toBe(true);
      expect(convex).toBeLessThanOrEqual(sequenceAttentionObjective(w, X, loss, beta) + 1e-12);
    }
    const result = fista.solve(problem, {
      tolerance: 1e-10,
      maxIterations: 50000,
      workingSet: false,
    });
    expect(result.status).toBe("converged");
    const convex = certify(problem, result.x).objective;
    const net = recoverSequenceNetwork(result.x, problem.layout);
    expect(rel(sequenceAttentionObjective(net, X, loss, beta), convex)).toBeLessThan(1e-10);
    expect(
      maxAbsDiff(
        sequenceAttentionForward(net, X),
        (() => {
          const y = new Float64Array(problem.operator.rows);
          problem.operator.apply(result.x, y);
          return y;
        })(),
      ),
    ).toBeLessThan(1e-10);
  });
});
