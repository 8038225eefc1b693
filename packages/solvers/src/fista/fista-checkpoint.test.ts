import { describe, expect, it } from "vitest";
import { createProblem } from "../create-problem.js";
import type { LinearOperator } from "../linear-operator.js";
import type { SolveResult } from "../solver.js";
import { randomGroupLasso } from "../testing/index.js";
import { type FistaOptions, fista } from "./fista.js";
import type { FistaCheckpoint } from "./fista-checkpoint.js";

const { problem } = randomGroupLasso({
  loss: "squared",
  samples: 60,
  features: 120,
  groupSize: 3,
  lambdaRatio: 0.2,
  seed: 11,
});

/** Solves with `options`, aborting after `stopAt` iterations; returns the result and the last checkpoint. */
function interrupted(options: FistaOptions, stopAt: number, everyIterations = 7) {
  const controller = new AbortController();
  let last: FistaCheckpoint | undefined;
  let written = 0;
  const result = fista.solve(problem, {
    ...options,
    signal: controller.signal,
    onIteration: (r) => {
      if (r.iteration >= stopAt) controller.abort();
    },
    checkpoint: {
      everyIterations,
      write: (c) => {
        last = c;
        written++;
      },
    },
  });
  return { result, last: last as FistaCheckpoint, written };
}

function same(a: SolveResult, b: SolveResult) {
  expect(b.status).toBe(a.status);
  expect(b.iterations).toBe(a.iterations);
  expect(b.objective).toBe(a.objective);
  expect(b.relativeGap).toBe(a.relativeGap);
  expect(Array.from(b.x)).toEqual(Array.from(a.x));
}

describe("fista checkpoints and resume", () => {
  for (const [name, options] of [
    ["plain FISTA", { tolerance: 1e-10, workingSet: false }],
    ["the working-set loop (mid-round)", { tolerance: 1e-10 }],
    ["function restarts", { tolerance: 1e-10, workingSet: false, restart: "function" }],
  ] as const) {
    it(`an aborted solve resumed from its last checkpoint takes the uninterrupted steps: ${name}`, () => {
      const whole = fista.solve(problem, options);
      expect(whole.status).toBe("converged");
      expect(whole.iterations).toBeGreaterThan(40);
      for (const fraction of [0.2, 0.55, 0.9]) {
        const stopAt = Math.max(1, Math.floor(fraction * whole.iterations));
        const { result, last, written } = interrupted(options, stopAt);
        expect(result.status).toBe("aborted");
        expect(written).toBeGreaterThan(0);
        // the final checkpoint is where the solve stopped
        expect(last.monitor.iteration).toBe(result.iterations);
        expect(last.mode).toBe(options.workingSet === false ? "plain" : "rounds");
        const resumed = fista.solve(problem, { ...options, resumeFrom: last });
        same(whole, resumed);
        // the history carries on across the interruption
        expect(resumed.history[0]?.iteration).toBe(0);
      }
    });
  }

  it("resumes a solve stopped by its iteration cap, counting every iteration against the cap", () => {
    const options = { tolerance: 1e-10 };
    const whole = fista.solve(problem, options);
    let last: FistaCheckpoint | undefined;
    const capped = fista.solve(problem, {
      ...options,
      maxIterations: 30,
      checkpoint: { everyMs: 1e9, write: (c) => (last = c) },
    });
    expect(capped.status).toBe("max-iterations");
    expect(last?.monitor.iteration).toBe(30);
    const resumeFrom = last as FistaCheckpoint;
    const again = fista.solve(problem, { ...options, maxIterations: 30, resumeFrom });
    expect(again.status).toBe("max-iterations");
    expect(again.iterations).toBe(30);
    same(whole, fista.solve(problem, { ...options, resumeFrom }));
  });

  it("rejects a checkpoint that does not fit the problem or the options, naming the field", () => {
    const { last } = interrupted({ tolerance: 1e-10, workingSet: false }, 20);
    expect(() => fista.solve(problem, { resumeFrom: last })).toThrow(
      /options\.resumeFrom\.mode = "plain"/,
    );
    const short = { ...last, x: last.x.subarray(1) };
    expect(() => fista.solve(problem, { workingSet: false, resumeFrom: short })).toThrow(
      /options\.resumeFrom\.x/,
    );
    const nan = { ...last, Ax: Float64Array.from(last.Ax).fill(Number.NaN, 3, 4) };
    expect(() => fista.solve(problem, { workingSet: false, resumeFrom: nan })).toThrow(
      /options\.resumeFrom\.Ax = NaN: entry 3 must be finite/,
    );
    expect(() =>
      fista.solve(problem, { checkpoint: { everyIterations: 0, write: () => {} } }),
    ).toThrow(/options\.checkpoint\.everyIterations/);
  });
});

/** `problem`'s operator, each product made to cost `ms` milliseconds (a busy wait). */
function slowed(ms: number, counter: { calls: number }, onCall?: (calls: number) => void) {
  const inner = problem.operator;
  const spin = () => {
    counter.calls++;
    onCall?.(counter.calls);
    const until = performance.now() + ms;
    while (performance.now() < until) {}
  };
  const operator: LinearOperator = {
    rows: inner.rows,
    cols: inner.cols,
    apply: (x, out) => {
      spin();
      inner.apply(x, out);
    },
    adjoint: (r, out) => {
      spin();
      inner.adjoint(r, out);
    },
  };
  return createProblem({
    operator,
    loss: problem.loss,
    regularizer: problem.regularizer,
    lambda: problem.lambda,
  });
}

describe("fista honours the time limit and the signal during set-up", () => {
  it("a limit shorter than the set-up (2 + 16 products of 1 ms) ends within 50 ms of it", () => {
    const counter = { calls: 0 };
    const slow = slowed(1, counter);
    const limit = 10;
    const r = fista.solve(slow, { timeLimitMs: limit, workingSet: false });
    expect(r.status).toBe("time-limit");
    expect(r.timings.totalMs).toBeLessThanOrEqual(limit + 50);
    // the set-up alone would have taken 16 products (8 power iterations)
    expect(counter.calls).toBeLessThan(16);
  });

  it("an abort during the power iterations stops the solve there, status aborted", () => {
    const controller = new AbortController();
    const counter = { calls: 0 };
    const slow = slowed(1, counter, (calls) => {
      if (calls === 3) controller.abort();
    });
    const r = fista.solve(slow, { signal: controller.signal });
    expect(r.status).toBe("aborted");
    expect(r.iterations).toBe(0);
    // validation's two probes, the power iteration up to the abort, the returned point's
    // certificate: no more than 6 of the 16 + products a full set-up would take
    expect(counter.calls).toBeLessThanOrEqual(6);
  });
});
