import { createRng, InvalidOptionError, Matrix, ShapeMismatchError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { certify } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import { createProblem } from "../create-problem.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { groupL2 } from "../regularizers/group-l2.js";
import { randomGroupLasso } from "../testing/index.js";
import { BacktrackingLineSearch } from "./backtracking-line-search.js";
import { estimateLipschitz } from "./estimate-lipschitz.js";

/** `A x`, `∇F(Ax)` and `Aᵀ∇F(Ax)` of `x`. */
function smoothAt(problem: CompositeProblem, x: Float64Array) {
  const predictions = new Float64Array(problem.operator.rows);
  problem.operator.apply(x, predictions);
  const lossGradient = new Float64Array(problem.operator.rows);
  const value = problem.loss.gradient(predictions, lossGradient);
  const gradient = new Float64Array(problem.dim);
  problem.operator.adjoint(lossGradient, gradient);
  return { predictions, gradient, value };
}

/** Plain proximal gradient with the search; returns the final point and the Ls and tests seen. */
function run(problem: CompositeProblem, steps: number, lipschitz: number) {
  const search = new BacktrackingLineSearch(problem, { lipschitz });
  let x = new Float64Array(problem.dim);
  const seen = { lipschitz: [] as number[], tests: new Set<string>() };
  for (let k = 0; k < steps; k++) {
    const at = smoothAt(problem, x);
    const out = {
      x: new Float64Array(problem.dim),
      predictions: new Float64Array(at.predictions.length),
    };
    const step = search.step(x, at.predictions, at.gradient, out);
    seen.lipschitz.push(step.lipschitz);
    seen.tests.add(step.test);
    x = out.x;
  }
  return { x, seen };
}

describe("BacktrackingLineSearch", () => {
  it("accepts only steps that satisfy the descent lemma, and never raises L past twice the true constant", () => {
    const { problem } = randomGroupLasso({ samples: 30, features: 24, groupSize: 3, seed: 5 });
    const truth = estimateLipschitz(problem, { iterations: 3000 });
    const search = new BacktrackingLineSearch(problem, { lipschitz: truth / 64 });
    let x = new Float64Array(problem.dim);
    for (let k = 0; k < 30; k++) {
      const at = smoothAt(problem, x);
      const out = {
        x: new Float64Array(problem.dim),
        predictions: new Float64Array(problem.operator.rows),
      };
      const step = search.step(x, at.predictions, at.gradient, out);
      let lin = 0;
      let sq = 0;
      for (let i = 0; i < x.length; i++) {
        const d = (out.x[i] as number) - (x[i] as number);
        lin += (at.gradient[i] as number) * d;
        sq += d * d;
      }
      expect(step.smoothValue).toBeLessThanOrEqual(
        at.value + lin + 0.5 * step.lipschitz * sq + 1e-12,
      );
      expect(step.lipschitz).toBeLessThanOrEqual(2 * truth);
      // out.predictions really is A x⁺, and smoothValue is F(A x⁺)
      const check = smoothAt(problem, out.x);
      expect(step.smoothValue).toBeCloseTo(check.value, 12);
      for (let i = 0; i < check.predictions.length; i++) {
        expect(out.predictions[i]).toBeCloseTo(check.predictions[i] as number, 12);
      }
      x = out.x;
    }
  });

  it("keeps the step near the optimum, where function values agree to rounding (the gradient test)", () => {
    // a large constant part of the loss makes F's rounding (ulps of |F|) swamp the decrease:
    // targets far from anything A x can reach
    const rng = createRng(11);
    const A = new Matrix(40, 10, rng.fillNormal(new Float64Array(400)));
    const y = rng.fillNormal(new Float64Array(40)).map((v, i) => v + (i % 2 === 0 ? 1e6 : -1e6));
    const problem = createProblem({
      operator: denseOperator(A),
      loss: squaredLoss(y),
      regularizer: groupL2({ sizes: [5, 5] }),
      lambda: 1,
    });
    const truth = estimateLipschitz(problem, { iterations: 3000 });
    const { x, seen } = run(problem, 3000, truth);
    // (a test on values alone drives L to 10⁹ times the true constant here)
    expect(Math.max(...seen.lipschitz)).toBeLessThanOrEqual(2 * truth);
    // and the iterate is optimal (λ/λmax is tiny here: the problem is nearly least squares)
    expect(certify(problem, x).relativeGap).toBeLessThan(1e-12);
    expect(seen.tests.has("gradient")).toBe(true);
  });

  it("stops at a fixed point with one trial", () => {
    const { problem } = randomGroupLasso({
      samples: 10,
      features: 8,
      groupSize: 2,
      seed: 2,
      lambdaRatio: 1.5,
    });
    const search = new BacktrackingLineSearch(problem, { lipschitz: 1 });
    const x = new Float64Array(problem.dim); // optimal above λ_max
    const at = smoothAt(problem, x);
    const out = {
      x: new Float64Array(problem.dim),
      predictions: new Float64Array(problem.operator.rows),
    };
    expect(search.step(x, at.predictions, at.gradient, out).trials).toBe(1);
    expect(Array.from(out.x).every((v) => v === 0)).toBe(true);
  });

  it("rejects bad options and wrong lengths with typed errors naming them", () => {
    const { problem } = randomGroupLasso({ samples: 6, features: 4, groupSize: 2, seed: 1 });
    expect(() => new BacktrackingLineSearch(problem, { lipschitz: 0 })).toThrow(
      /options\.lipschitz/,
    );
    expect(() => new BacktrackingLineSearch(problem, { lipschitz: 1, increase: 1 })).toThrow(
      InvalidOptionError,
    );
    expect(() => new BacktrackingLineSearch(problem, { lipschitz: 1, decrease: 0.5 })).toThrow(
      /options\.decrease/,
    );
    const search = new BacktrackingLineSearch(problem, { lipschitz: 1 });
    const x = new Float64Array(problem.dim);
    const out = {
      x: new Float64Array(problem.dim),
      predictions: new Float64Array(problem.operator.rows),
    };
    expect(() => search.step(x, new Float64Array(1), x, out)).toThrow(ShapeMismatchError);
    expect(() => search.step(x, new Float64Array(1), x, out)).toThrow(/^predictions/);
  });
});
