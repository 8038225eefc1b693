import { certify, getSolver, type IterationRecord, listSolvers } from "@convexformer/solvers";
import { ConvexformerError, createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionForward, attentionObjective } from "./attention-network.js";
import type { AttentionProblem, SequenceProblem } from "./attention-problem.js";
import type { AttentionWeights } from "./attention-weights.js";
import { fitConvexAttention } from "./fit-convex-attention.js";
import type { FitOptions } from "./fit-options.js";
import { sequenceAttentionObjective } from "./sequence-attention.js";
import type { SequenceWeights } from "./sequence-weights.js";

const rng = createRng(31);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function batch(N: number, n: number, d: number): TokenBatch {
  return new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
}

describe("fitConvexAttention", () => {
  it("exact instance 1 end to end: certified 15/64, two heads, exact recovered objective", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const records: IterationRecord[] = [];
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 1 / 8,
      tolerance: 1e-12,
      onIteration: (r) => records.push(r),
    });
    expect(Math.abs(fit.certificate.objective - 15 / 64)).toBeLessThan(1e-12);
    expect(fit.certificate.relativeGap).toBeLessThan(1e-12);
    expect(fit.headsNeeded).toBe(2);
    expect(fit.lambdaMax).toBeCloseTo(1, 14);
    const net = fit.network as AttentionWeights;
    expect(Array.from(net.w1)).toEqual([1, 0, 0, 1]);
    expect(
      rel(attentionObjective(net, X, (fit.problem as AttentionProblem).loss, 1 / 8), 15 / 64),
    ).toBeLessThan(1e-12);
    expect(
      Array.from(fit.tokenImportance?.perToken ?? []).map((v) => Math.round(v * 1e9) / 1e9),
    ).toEqual([0.875, 0.875]);
    expect(records.length).toBeGreaterThan(0);
  });

  const programs: { name: string; data: TokenBatch; options: FitOptions }[] = [
    (() => {
      const data = batch(20, 4, 3);
      return {
        name: "scalar, logistic",
        data,
        options: {
          model: "scalar",
          loss: "logistic",
          targets: Float64Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : -1)),
        },
      };
    })(),
    (() => {
      const data = batch(24, 3, 3);
      return {
        name: "vector, cross-entropy",
        data,
        options: {
          model: "vector",
          loss: "cross-entropy",
          outputs: 3,
          targets: Int32Array.from({ length: 24 }, (_, i) => i % 3),
        },
      };
    })(),
    (() => {
      const data = batch(20, 2, 3);
      return {
        name: "gated, squared",
        data,
        options: {
          model: "gated",
          gates: 12,
          gateSeed: 4,
          targets: rng.fillNormal(new Float64Array(20)),
        },
      };
    })(),
    (() => {
      const data = batch(6, 3, 2);
      return {
        name: "sequence (33), squared",
        data,
        options: { model: "sequence", targets: rng.fillNormal(new Float64Array(18)) },
      };
    })(),
  ];

  for (const { name, data, options } of programs) {
    it(`${name}: certified solution, exact recovered network`, () => {
      const fit = fitConvexAttention(data, {
        ...options,
        lambdaRatio: 0.1,
        tolerance: 1e-9,
        solverOptions: { workingSet: false },
        maxIterations: 100000,
      });
      expect(fit.solve.status).toBe("converged");
      expect(fit.certificate.relativeGap).toBeLessThanOrEqual(1e-9);
      expect(rel(fit.lambda, 0.1 * fit.lambdaMax)).toBeLessThan(1e-15);
      expect(fit.headsNeeded).toBeGreaterThan(0);
      if (fit.problem.kind === "sequence") {
        const net = fit.network as SequenceWeights;
        expect(net.heads).toBe(fit.headsNeeded);
        expect(
          rel(
            sequenceAttentionObjective(net, data, fit.problem.loss, fit.lambda),
            fit.certificate.objective,
          ),
        ).toBeLessThan(1e-10);
        expect(fit.tokenImportance).toBeUndefined();
      } else {
        const problem = fit.problem as AttentionProblem;
        const net = fit.network as AttentionWeights;
        expect(net.heads).toBe(fit.headsNeeded);
        expect(fit.pruning?.support).toBe(fit.headsNeeded);
        expect(fit.headsNeeded).toBeLessThanOrEqual(data.samples * problem.layout.outputs + 1);
        expect(
          rel(attentionObjective(net, data, problem.loss, fit.lambda), fit.certificate.objective),
        ).toBeLessThan(1e-10);
        const y = new Float64Array(problem.operator.rows);
        problem.operator.apply(fit.solution, y);
        const f = attentionForward(net, data);
        for (let i = 0; i < y.length; i++)
          expect(Math.abs((f[i] as number) - (y[i] as number))).toBeLessThan(1e-10);
        expect(fit.tokenImportance?.norms.length).toBe(
          problem.layout.gates * problem.layout.outputs * data.tokens,
        );
      }
    });
  }

  it("solves a warm-started λ path and returns the last λ's solution", () => {
    const data = batch(15, 3, 2);
    const targets = rng.fillNormal(new Float64Array(15));
    const steps: number[] = [];
    const fit = fitConvexAttention(data, {
      model: "scalar",
      targets,
      lambdaPath: [2, 1, 0.5, 0.25],
      onPathStep: (_i, l) => steps.push(l),
    });
    expect(steps).toEqual([2, 1, 0.5, 0.25]);
    expect(fit.lambda).toBe(0.25);
    expect(fit.path?.results.length).toBe(4);
    const single = fitConvexAttention(data, {
      model: "scalar",
      targets,
      lambda: 0.25,
      tolerance: 1e-10,
    });
    expect(rel(fit.certificate.objective, single.certificate.objective)).toBeLessThan(1e-5);
  });

  it("the max-row-sum relaxation returns no network, and heads pads with zero heads", () => {
    const data = batch(5, 4, 2);
    const relaxed = fitConvexAttention(data, {
      model: "sequence-relaxed",
      targets: rng.fillNormal(new Float64Array(20)),
    });
    expect(relaxed.network).toBeUndefined();
    const padded = fitConvexAttention(data, {
      model: "scalar",
      targets: rng.fillNormal(new Float64Array(5)),
      lambdaRatio: 0.5,
      heads: 4,
    });
    expect(padded.headsNeeded).toBeLessThan(4);
    expect((padded.network as AttentionWeights).heads).toBe(4);
    expect(
      rel(
        attentionObjective(
          padded.network as AttentionWeights,
          data,
          (padded.problem as AttentionProblem).loss,
          padded.lambda,
        ),
        padded.certificate.objective,
      ),
    ).toBeLessThan(1e-10);
  });

  it("throws typed errors naming the argument", () => {
    const data = batch(4, 2, 2);
    const y = new Float64Array([1, -1, 2, 0.5]);
    const expectError = (f: () => unknown, code: string, argument: RegExp) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConvexformerError);
        expect((e as ConvexformerError).code).toBe(code);
        expect((e as ConvexformerError).argument ?? "").toMatch(argument);
        return;
      }
      throw new Error("expected a throw");
    };
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: new Float64Array(5) }),
      "shape-mismatch",
      /targets/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: new Float64Array(8) }),
      "shape-mismatch",
      /targets/,
    );
    expectError(
      () =>
        fitConvexAttention(data, {
          model: "scalar",
          targets: new Float64Array([0, Number.NaN, 0, 0]),
        }),
      "non-finite-input",
      /targets/,
    );
    const bad = new TokenBatch(4, 2, 2, new Float64Array(16).fill(Number.POSITIVE_INFINITY));
    expectError(
      () => fitConvexAttention(bad, { model: "scalar", targets: y }),
      "non-finite-input",
      /data/,
    );
    expectError(
      () =>
        fitConvexAttention(data, {
          model: "vector",
          loss: "cross-entropy",
          outputs: 3,
          targets: new Int32Array([0, 1, 3, 2]),
        }),
      "invalid-option",
      /^options\.targets\[2\]$/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: y, lambda: 0 }),
      "invalid-option",
      /lambda/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: y, lambda: -1 }),
      "invalid-option",
      /lambda/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: y, heads: 3 }),
      "invalid-option",
      /heads/,
    );
    expectError(
      () =>
        fitConvexAttention(data, {
          model: "scalar",
          targets: y,
          lamda: 1,
        } as unknown as FitOptions),
      "invalid-option",
      /lamda/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "scalar", targets: y, solver: "newton" }),
      "invalid-option",
      /^options\.solver$/,
    );
    expectError(
      () => fitConvexAttention(data, { model: "attention" as never, targets: y }),
      "invalid-option",
      /model/,
    );
    expectError(
      // @ts-expect-error: gates apply to the gated program only (and the run-time check says so)
      () => fitConvexAttention(data, { model: "scalar", targets: y, gates: 4 }),
      "invalid-option",
      /gates/,
    );
  });
});

describe("every registered solver agrees on each program (relative 1e-6)", () => {
  const cases = [
    {
      name: "scalar (9)",
      data: batch(12, 3, 2),
      options: { model: "scalar", targets: rng.fillNormal(new Float64Array(12)) },
    },
    {
      name: "vector (12), cross-entropy",
      data: batch(12, 2, 2),
      options: {
        model: "vector",
        loss: "cross-entropy",
        outputs: 3,
        targets: Int32Array.from({ length: 12 }, (_, i) => (i * 5) % 3),
      },
    },
    {
      name: "gated (14)",
      data: batch(12, 2, 2),
      options: { model: "gated", gates: 6, targets: rng.fillNormal(new Float64Array(12)) },
    },
    {
      name: "sequence (33)",
      data: batch(4, 2, 2),
      options: { model: "sequence", targets: rng.fillNormal(new Float64Array(8)) },
    },
  ] as const;
  for (const { name, data, options } of cases) {
    it(name, () => {
      const solved: { solver: string; objective: number; predictions: Float64Array }[] = [];
      for (const solver of listSolvers()) {
        let fit: ReturnType<typeof fitConvexAttention>;
        try {
          fit = fitConvexAttention(data, {
            ...(options as FitOptions),
            lambdaRatio: 0.1,
            solver,
            tolerance: 1e-10,
            maxIterations: 100000,
          });
        } catch (e) {
          // a solver may decline a regularizer it does not support (the interior point needs group ℓ2)
          expect(e).toBeInstanceOf(ConvexformerError);
          expect(name).toBe("sequence (33)");
          continue;
        }
        expect(fit.solve.status).toBe("converged");
        const p = fit.problem as AttentionProblem | SequenceProblem;
        const y = new Float64Array(p.operator.rows);
        p.operator.apply(fit.solution, y);
        expect(certify(p, fit.solution).relativeGap).toBeLessThanOrEqual(1e-9);
        solved.push({ solver, objective: fit.certificate.objective, predictions: y });
      }
      expect(solved.length).toBeGreaterThanOrEqual(1);
      expect(solved.some((s) => s.solver === getSolver("fista").name)).toBe(true);
      const ref = solved[0] as (typeof solved)[number];
      let scale = 1;
      for (const v of ref.predictions) scale = Math.max(scale, Math.abs(v));
      for (const s of solved) {
        expect(rel(s.objective, ref.objective)).toBeLessThan(1e-6);
        for (let i = 0; i < s.predictions.length; i++) {
          expect(
            Math.abs((s.predictions[i] as number) - (ref.predictions[i] as number)) / scale,
          ).toBeLessThan(1e-4);
        }
      }
    });
  }
});

describe("fitConvexAttention: typed solver options", () => {
  const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
  const targets = new Float64Array([1, -1]);

  it("takes the named solver's own options and certifies with it", () => {
    const ipm = fitConvexAttention(X, {
      model: "scalar",
      targets,
      lambda: 1 / 8,
      solver: "ipm",
      solverOptions: { system: "dual" },
      tolerance: 1e-10,
    });
    expect(ipm.solve.solver).toBe("ipm");
    expect(Math.abs(ipm.certificate.objective - 15 / 64)).toBeLessThan(1e-8);
    const fista = fitConvexAttention(X, {
      model: "scalar",
      targets,
      lambda: 1 / 8,
      solverOptions: { restart: "function", workingSet: false },
    });
    expect(fista.solve.solver).toBe("fista");
    // a name known only at run time (a CLI flag) takes any record; the solver checks it
    const name: string = "admm";
    const admm = fitConvexAttention(X, { model: "scalar", targets, lambda: 1 / 8, solver: name });
    expect(admm.solve.solver).toBe("admm");
  });

  it("refuses options of another solver (type error) and the ones it sets itself (type and run-time error)", () => {
    const argumentOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConvexformerError);
        return (e as ConvexformerError).argument ?? "";
      }
      throw new Error("did not throw");
    };
    expect(() =>
      fitConvexAttention(X, {
        model: "scalar",
        targets,
        solver: "ipm",
        // @ts-expect-error: restart is a FISTA option, not an interior-point one
        solverOptions: { restart: "none" },
      }),
    ).toThrow(ConvexformerError);
    expect(
      argumentOf(() =>
        fitConvexAttention(X, {
          model: "scalar",
          targets,
          // @ts-expect-error: the tolerance is options.tolerance (it would be overridden)
          solverOptions: { tolerance: 1e-3 },
        }),
      ),
    ).toBe("options.solverOptions.tolerance");
    expect(
      argumentOf(() => fitConvexAttention(X, { model: "scalar", targets, solver: "nope" })),
    ).toBe("options.solver");
  });
});
