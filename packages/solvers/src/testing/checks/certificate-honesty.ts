import { certify } from "../../certificate.js";
import type { CompositeProblem } from "../../composite-problem.js";
import { DEFAULT_TOLERANCE } from "../../default-tolerance.js";
import type { SolveResult } from "../../solver.js";
import type { ConformanceCheckDefinition, ConformanceContext } from "../conformance-context.js";
import { type Fail, gapText } from "../conformance-expectations.js";
import { type ConformanceProblem, randomGroupLasso } from "../conformance-problems.js";

/** One result the check produced, with the tolerance it was asked for. */
interface Solved {
  readonly problem: CompositeProblem;
  readonly result: SolveResult;
  readonly tolerance: number;
  readonly label: string;
}

/**
 * Logistic and cross-entropy problems of the shapes real data has (many samples, few
 * features, mean scaling, small λ, as a text corpus embedded by word vectors), solved at the
 * default tolerance: with seed 1, the interior point's clean-up once returned a point whose
 * own certificate was 2.8e-4 (logistic) and 5.7e-4 (cross-entropy) while saying "converged".
 */
function realDataShapes(seed: number): ConformanceProblem[] {
  return [
    randomGroupLasso({
      loss: "logistic",
      samples: 300,
      features: 20,
      regularizer: "l1",
      scaling: "mean",
      lambdaRatio: 0.03,
      seed,
    }),
    randomGroupLasso({
      loss: "cross-entropy",
      samples: 100,
      features: 15,
      classes: 3,
      regularizer: "l1",
      scaling: "mean",
      lambdaRatio: 0.1,
      seed,
    }),
  ];
}

/** Solves the check's own problems: the shared random ones at 1e-6 and 1e-8, the real-data shapes at the default. */
function solveOwn({ solve, randoms, seed }: ConformanceContext): Solved[] {
  const solved: Solved[] = [];
  for (const c of randoms) {
    for (const tolerance of [1e-6, 1e-8]) {
      const result = solve(c.problem, { tolerance });
      solved.push({ problem: c.problem, result, tolerance, label: `${c.name} (tol ${tolerance})` });
    }
  }
  for (const c of realDataShapes(seed)) {
    const result = solve(c.problem);
    solved.push({ problem: c.problem, result, tolerance: DEFAULT_TOLERANCE, label: c.name });
  }
  return solved;
}

/**
 * Every result it produces re-certified independently: the same objective and KKT residual, a
 * dual value no worse than the dual point of `x` and no better than any primal value seen, a
 * consistent gap, and `"converged"` only when `x`'s own certificate is within the tolerance.
 * @internal
 */
export const certificateHonesty: ConformanceCheckDefinition = {
  name: "certificate-honesty",
  run(context, fail) {
    const solved = solveOwn(context);
    const bestPrimal = new Map<CompositeProblem, number>();
    for (const { problem, result } of solved) {
      const prev = bestPrimal.get(problem) ?? Number.POSITIVE_INFINITY;
      if (result.objective < prev) bestPrimal.set(problem, result.objective);
    }
    for (const s of solved) checkResult(context.solverName, s, bestPrimal.get(s.problem), fail);
  },
};

function checkResult(
  solverName: string,
  { problem, result: r, tolerance, label: where }: Solved,
  best: number | undefined,
  fail: Fail,
): void {
  const c = certify(problem, r.x);
  const scale = Math.max(1, Math.abs(c.objective));
  if (r.solver !== solverName)
    fail(`${where}: result.solver = ${r.solver}, expected ${solverName}`);
  if (r.x.length !== problem.dim || r.x.some((v) => !Number.isFinite(v)))
    fail(`${where}: x has the wrong length or non-finite entries`);
  if (!(Math.abs(r.objective - c.objective) <= 1e-9 * scale))
    fail(`${where}: objective ${r.objective} but P(x) = ${c.objective}`);
  if (!(r.dualObjective >= c.dualObjective - 1e-9 * scale)) {
    fail(
      `${where}: dualObjective ${r.dualObjective} is worse than the dual point of x itself (${c.dualObjective})`,
    );
  }
  if (!(r.dualObjective <= (best ?? r.objective) + 1e-9 * scale)) {
    fail(
      `${where}: dualObjective ${r.dualObjective} exceeds a primal value ${best}: not a lower bound`,
    );
  }
  const gap = Math.max(0, r.objective - r.dualObjective) / Math.max(1, Math.abs(r.objective));
  if (!(r.relativeGap >= 0 && Math.abs(r.relativeGap - gap) <= 1e-12 + 1e-9 * gap)) {
    fail(`${where}: relativeGap ${r.relativeGap} but (P − D)/max(1,|P|) = ${gap}`);
  }
  if (r.status === "converged" && !(r.relativeGap <= tolerance)) {
    fail(`${where}: status converged with relativeGap ${r.relativeGap} > tolerance ${tolerance}`);
  }
  if (r.status === "converged" && !(c.relativeGap <= tolerance)) {
    fail(
      `${where}: status converged, but x's own certificate has relative gap ${gapText(c.relativeGap)} > tolerance ${tolerance}`,
    );
  }
  if (!(Math.abs(r.kktResidual - c.kktResidual) <= 1e-6 * (1 + c.kktResidual))) {
    fail(`${where}: kktResidual ${r.kktResidual} but recomputed ${c.kktResidual}`);
  }
  if (!(Number.isInteger(r.iterations) && r.iterations >= 0))
    fail(`${where}: iterations ${r.iterations}`);
  if (r.history.length === 0) fail(`${where}: empty history`);
  const t = r.timings;
  if (
    !(t.totalMs >= 0 && t.setupMs >= 0 && t.certificateMs >= 0 && t.setupMs <= t.totalMs + 1e-6)
  ) {
    fail(`${where}: inconsistent timings ${JSON.stringify(t)}`);
  }
}
