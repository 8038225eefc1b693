import { createRng, InvalidOptionError, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { createProblem } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { ipm } from "./ipm.js";

function randomProblem(
  rows: number,
  cols: number,
  groupSize: number,
  loss: "squared" | "logistic",
  seed: number,
) {
  const rng = createRng(seed);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const y = rng.fillNormal(new Float64Array(rows));
  const parts = {
    operator: denseOperator(matrix),
    loss:
      loss === "squared" ? squaredLoss(y) : logisticLoss(Array.from(y, (v) => (v >= 0 ? 1 : -1))),
    regularizer: groupL2({ sizes: new Array(cols / groupSize).fill(groupSize) }),
  };
  return createProblem({
    ...parts,
    lambda: 0.1 * lambdaMax(createProblem({ ...parts, lambda: 1 })),
  });
}

describe("ipm details", () => {
  it("solves spec instance 1 exactly: z = (7/8, −7/8), value 15/64", () => {
    const problem = createProblem({
      operator: denseOperator(Matrix.identity(2)),
      loss: squaredLoss(new Float64Array([1, -1])),
      regularizer: groupL2({ sizes: [1, 1] }),
      lambda: 1 / 8,
    });
    const r = ipm.solve(problem, { tolerance: 1e-12 });
    expect(r.status).toBe("converged");
    expect(r.x[0]).toBeCloseTo(7 / 8, 10);
    expect(r.x[1]).toBeCloseTo(-7 / 8, 10);
    expect(r.objective).toBeCloseTo(15 / 64, 12);
  });

  it("gives the same optimum with the primal and the sample-space (Woodbury) Newton systems, N < p and N > p", () => {
    for (const [rows, cols, loss] of [
      [30, 60, "squared"],
      [60, 24, "squared"],
      [30, 60, "logistic"],
    ] as const) {
      const problem = randomProblem(rows, cols, 3, loss, rows + cols);
      const a = ipm.solve(problem, {
        tolerance: 1e-10,
        system: "primal",
        workingSet: false,
      });
      const b = ipm.solve(problem, {
        tolerance: 1e-10,
        system: "dual",
        workingSet: false,
      });
      expect(a.status).toBe("converged");
      expect(b.status).toBe("converged");
      expect(Math.abs(a.objective - b.objective)).toBeLessThan(1e-9 * Math.max(1, a.objective));
      expect(a.relativeGap).toBeLessThanOrEqual(1e-10);
    }
  });

  it("reaches 1e-10 with and without working set and screening, and the clean-up leaves exact zeros", () => {
    const problem = randomProblem(40, 120, 4, "squared", 7);
    const plain = ipm.solve(problem, {
      tolerance: 1e-10,
      workingSet: false,
      screening: false,
    });
    const fast = ipm.solve(problem, { tolerance: 1e-10 });
    expect(plain.status).toBe("converged");
    expect(fast.status).toBe("converged");
    expect(Math.abs(plain.objective - fast.objective)).toBeLessThan(1e-9 * plain.objective);
    let zeros = 0;
    for (let g = 0; g < 30; g++) {
      let s = 0;
      for (let j = 4 * g; j < 4 * g + 4; j++) s += fast.x[j]! ** 2;
      if (s === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(0);
    expect(fast.kktResidual).toBeLessThan(1e-4);
  });

  it("throws typed errors for an operator without toDense and a regularizer it does not handle", () => {
    const problem = randomProblem(10, 12, 3, "squared", 3);
    const { toDense: _drop, ...rest } = problem.operator;
    const noDense = createProblem({
      operator: rest,
      loss: problem.loss,
      regularizer: problem.regularizer,
      lambda: problem.lambda,
    });
    expect(() => ipm.solve(noDense)).toThrow(InvalidOptionError);
    expect(() => ipm.solve(noDense)).toThrow(/problem\.operator/);
    const custom = createProblem({
      operator: problem.operator,
      loss: problem.loss,
      regularizer: {
        ...problem.regularizer,
        name: "custom",
        value: (x) => problem.regularizer.value(x),
        prox: (x, t, o) => problem.regularizer.prox(x, t, o),
        polar: (v) => problem.regularizer.polar(v),
        groups: problem.regularizer.groups,
      },
      lambda: problem.lambda,
    });
    expect(() => ipm.solve(custom)).toThrow(/problem\.regularizer/);
    // @ts-expect-error: "qr" is not an IpmOptions["system"]
    expect(() => ipm.solve(problem, { system: "qr" })).toThrow(/options\.system/);
  });
});

describe("ipm set-up: size, signal and time limit", () => {
  it("refuses a problem too large for its dense system before allocating, naming the bytes and fista", () => {
    const rows = 200_000;
    const cols = 50_000;
    let densified = 0;
    // an implicit operator: cheap products (zero), a dense form that must never be asked for
    const problem = createProblem({
      operator: {
        rows,
        cols,
        apply: (_x, out) => out.fill(0),
        adjoint: (_r, out) => out.fill(0),
        toDense: () => {
          densified++;
          return new Matrix(1, 1);
        },
      },
      loss: squaredLoss(new Float64Array(rows).fill(1)),
      regularizer: groupL2({ sizes: new Array<number>(cols / 10).fill(10) }),
      lambda: 1,
    });
    let error: unknown;
    try {
      ipm.solve(problem);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    const message = (error as Error).message;
    // 8 · (2·rows·cols + min(2·cols², rows² + 2·rows·cols)) = 8 · (2e10 + 5e9) = 2e11 bytes
    expect(message).toMatch(
      /^problem = "a 200000 × 50000 design": too large for the interior point/,
    );
    expect(message).toContain("200 GB (200000000000 bytes)");
    expect(message).toContain("options.memoryLimitBytes = 2.15 GB (2147483648 bytes)");
    expect(message).toContain('use the "fista" solver');
    expect(densified).toBe(0);
    // a limit it fits in is accepted, one it does not is refused, and a bad limit is an error
    const small = randomProblem(20, 30, 3, "squared", 3);
    expect(ipm.solve(small, { memoryLimitBytes: 1e6 }).status).toBe("converged");
    expect(() => ipm.solve(small, { memoryLimitBytes: 1e3 })).toThrow(
      /needs up to 22\.4 kB \(22400 bytes\), over options\.memoryLimitBytes = 1\.00 kB/,
    );
    expect(() => ipm.solve(small, { memoryLimitBytes: -1 })).toThrow(/options\.memoryLimitBytes/);
  });

  it("honours a signal aborted during set-up: no Newton step, the start returned", () => {
    const base = randomProblem(60, 120, 4, "squared", 8);
    const controller = new AbortController();
    const dense = base.operator.toDense?.();
    if (dense === undefined) throw new Error("dense operator expected");
    // the signal fires while the solver builds its dense design (as a worker's abort would)
    const problem = createProblem({
      operator: {
        rows: base.operator.rows,
        cols: base.operator.cols,
        apply: (x, out) => base.operator.apply(x, out),
        adjoint: (r, out) => base.operator.adjoint(r, out),
        toDense: () => {
          controller.abort();
          return dense;
        },
      },
      loss: base.loss,
      regularizer: base.regularizer,
      lambda: base.lambda,
    });
    const r = ipm.solve(problem, { signal: controller.signal, tolerance: 1e-10 });
    expect(r.status).toBe("aborted");
    expect(r.iterations).toBe(0);
    expect(Array.from(r.x).every((v) => v === 0)).toBe(true);
  });

  it("stops within the time limit when the set-up alone (Gram and Cholesky) exceeds it", () => {
    const problem = randomProblem(400, 1200, 4, "squared", 9);
    const options = {
      tolerance: 1e-10,
      workingSet: false,
      screening: false,
      system: "primal",
    } as const;
    // the reference: the first Newton step alone (1200 × 1200 Gram and factorization)
    const t0 = performance.now();
    ipm.solve(problem, { ...options, maxIterations: 1 });
    const firstStepMs = performance.now() - t0;
    // a third of the first step: the set-up alone exceeds the limit (machines are noisy, so
    // allow the first step to be cut short just after it ends, not only inside it)
    const limit = Math.max(50, firstStepMs / 3);
    const r = ipm.solve(problem, { ...options, timeLimitMs: limit });
    expect(r.status).toBe("time-limit");
    expect(r.iterations).toBeLessThanOrEqual(1);
    // stopped inside the set-up, well before the first step would have ended. (On an idle
    // machine the overshoot is one polled block, a few milliseconds, inside the issue's
    // "10 % or 50 ms"; on a shared CI box a descheduled process can overshoot that, so the
    // assertion is the robust one.)
    expect(r.timings.totalMs).toBeLessThan(limit + 0.5 * (firstStepMs - limit));
  });
});
