import { squaredLoss } from "@convexformer/solvers";
import { Matrix, ShapeMismatchError, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { AttentionProblem } from "./attention-problem.js";
import type { MemoryEstimate } from "./attention-program.js";
import { gatedProgram } from "./gated-program.js";
import { problemFromArrays, problemKindProgram, problemKinds } from "./problem-from-arrays.js";

const seq = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));

describe("problemFromArrays", () => {
  it("knows the problem kinds: group lasso, scnn's gated ReLU and every program", () => {
    expect(problemKinds()).toEqual([
      "group-lasso",
      "gated-relu",
      "attention-scalar",
      "attention-vector",
      "attention-gated",
      "attention-sequence",
      "attention-sequence-relaxed",
    ]);
    expect(problemKindProgram("gated-relu")).toBe(gatedProgram);
    expect(() => problemKindProgram("lasso")).toThrow(/kind = "lasso": must be one of group-lasso/);
  });

  it("builds scnn's problem as the gated program on one-token data, with gates 1[X g ≥ 0]", () => {
    const N = 5;
    const p = 3;
    const P = 4;
    const X = new Matrix(N, p, seq(N * p));
    X.data.fill(0, 0, p); // sample 0 is zero: every score is 0, so every gate is on
    const G = new Matrix(
      p,
      P,
      seq(p * P).map((v) => v - 0.2),
    );
    const y = seq(N);
    const built = problemFromArrays({
      kind: "gated-relu",
      loss: "squared",
      lambda: 0.5,
      data: X,
      labels: y,
      labelShape: [N],
      gateMatrix: G,
    });
    expect(built.solutionShape).toEqual([P, p]);
    const mask = (built.problem as AttentionProblem).operator.mask as Uint8Array;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < P; j++) {
        let score = 0;
        for (let k = 0; k < p; k++)
          score += (X.data[i * p + k] as number) * (G.data[k * P + j] as number);
        expect(mask[i * P + j]).toBe(score >= 0 ? 1 : 0);
      }
    }
    expect(Array.from(mask.subarray(0, P))).toEqual([1, 1, 1, 1]);
    // the same problem as the gated entry on one-token data with u1 = 1, u2 = Gᵀ
    const u2 = new Float64Array(P * p);
    for (let k = 0; k < p; k++)
      for (let j = 0; j < P; j++) u2[j * p + k] = G.data[k * P + j] as number;
    const direct = gatedProgram.build(new TokenBatch(N, 1, p, X.data), squaredLoss(y), 0.5, {
      u1: new Float64Array(P).fill(1),
      u2,
    }) as AttentionProblem;
    expect(direct.operator.mask).toEqual(mask);
    const x = seq(P * p);
    const a = new Float64Array(N);
    const b = new Float64Array(N);
    built.problem.operator.apply(x, a);
    direct.operator.apply(x, b);
    expect(a).toEqual(b);
  });

  it("hands every memory estimate to checkMemory before building", () => {
    const seen: MemoryEstimate[] = [];
    const X = new TokenBatch(3, 2, 2, seq(12));
    problemFromArrays({
      kind: "attention-vector",
      loss: "cross-entropy",
      lambda: 0.1,
      data: X,
      labels: new Float64Array([0, 2, 1]),
      labelShape: [3],
      checkMemory: (e) => seen.push(e),
    });
    expect(seen.map((e) => e.cause)).toEqual(["classes", "outputs"]);
    expect(seen[0]?.detail).toBe("3 classes × 3 rows");
    expect(() =>
      problemFromArrays({
        kind: "attention-gated",
        loss: "squared",
        lambda: 0.1,
        data: X,
        labels: seq(3),
        labelShape: [3],
        gates: { count: 10_000 },
        checkMemory: (e) => {
          if (e.cause === "gates") throw new Error(`refused: ${e.detail}`);
        },
      }),
    ).toThrow("refused: N × P = 3 × 10000 patterns");
  });

  it("builds group lassos and the sequence programs, and names what does not fit", () => {
    const lasso = problemFromArrays({
      kind: "group-lasso",
      loss: "squared",
      lambda: 1,
      groups: [2, 1],
      data: new Matrix(4, 3, seq(12)),
      labels: seq(4),
      labelShape: [4],
    });
    expect(lasso.solutionShape).toEqual([3]);
    const relaxed = problemFromArrays({
      kind: "attention-sequence-relaxed",
      loss: "squared",
      lambda: 1,
      data: new TokenBatch(2, 3, 1, seq(6)),
      labels: seq(6),
      labelShape: [2, 3],
    });
    expect(relaxed.problem.dim).toBe(9);
    expect(() =>
      problemFromArrays({
        kind: "group-lasso",
        loss: "squared",
        lambda: 1,
        groups: [2, 2],
        data: new Matrix(4, 3, seq(12)),
        labels: seq(4),
        labelShape: [4],
        names: { spec: "p/problem.json" },
      }),
    ).toThrow("p/problem.json: groups sum to 4, X.npy has 3 columns");
    expect(() =>
      problemFromArrays({
        kind: "attention-scalar",
        loss: "squared",
        lambda: 1,
        data: new TokenBatch(2, 3, 1, seq(6)),
        labels: seq(3),
        labelShape: [3],
        names: { labels: "y.npy" },
      }),
    ).toThrow(new ShapeMismatchError("y.npy", "has 3 target rows, X.npy implies 2"));
  });
});
