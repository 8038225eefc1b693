/**
 * Which solver should be the default (issue 13, item 2): seconds and iterations to a certified
 * relative duality gap 1e-6 for each registered first-order solver on E3-like instances of
 * programs (9) (squared), (12) (cross-entropy), (14) (gated), (33) (sequence) at a small and a
 * medium N, and on the scnn instances (one-token gated program), solvers alternated on the
 * same problem object in one process (compare ratios; the machine is shared).
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/solver-choice.bench.ts
 *         [--solvers fista,bcd] [--sizes 500,2000] [--large]
 *
 * `--large` adds the scnn instance at N = 10,000, p = 100, P = 500. A solver that does not
 * apply to a program (bcd needs group ℓ2 / ℓ1; (33) has an equal-row-sum regularizer) is
 * reported with its typed error. One JSON document on stdout; progress on stderr.
 */
import {
  type CompositeProblem,
  crossEntropyLoss,
  getSolver,
  lambdaMax,
  squaredLoss,
  withLambda,
} from "@convexformer/solvers";
import { createRng } from "@convexformer/tensors";
import {
  gatedAttentionProblem,
  sampleGates,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "../src/index.js";
import { arg } from "./bench-args.js";
import { gaussianBatch, scnnData } from "./scnn-instance.js";

const solvers = (arg("--solvers") ?? "fista,bcd").split(",");
const sizes = (arg("--sizes") ?? "500,2000").split(",").map(Number);
const large = process.argv.includes("--large");
const log = (...a: unknown[]): void => {
  console.error("[bench:solver-choice]", ...a);
};

function e3Programs(N: number): Record<string, CompositeProblem> {
  const rng = createRng(2026);
  const X = gaussianBatch(rng, N, 8, 16);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = X.get(i, 1, 0) - 0.5 * X.get(i, 5, 3) + 0.1 * rng.normal();
  const labels = Int32Array.from({ length: N }, (_, i) =>
    X.get(i, 2, 1) > 0.5 ? 2 : X.get(i, 6, 2) > 0 ? 1 : 0,
  );
  const Xs = gaussianBatch(rng, N, 4, 4);
  const ys = new Float64Array(N * 4);
  for (let i = 0; i < N; i++)
    for (let k = 0; k < 4; k++) ys[i * 4 + k] = Xs.get(i, 1, 0) + 0.1 * rng.normal();
  const at = (p: CompositeProblem): CompositeProblem => withLambda(p, 0.1 * lambdaMax(p));
  return {
    "(9) squared": at(scalarAttentionProblem(X, squaredLoss(y), 1)),
    "(12) cross-entropy": at(
      vectorAttentionProblem(X, crossEntropyLoss(labels, { classes: 3 }), 1),
    ),
    "(14) gated P=32": at(
      gatedAttentionProblem(X, sampleGates(X, 32, { seed: 5 }), squaredLoss(y), 1),
    ),
    "(33) sequence": at(sequenceAttentionProblem(Xs, squaredLoss(ys), 1)),
  };
}

function scnnProgram(N: number, p: number, P: number): CompositeProblem {
  const { X, y } = scnnData(N, p);
  const base = gatedAttentionProblem(X, sampleGates(X, P, { seed: 7 }), squaredLoss(y), 1);
  return withLambda(base, 0.1 * lambdaMax(base));
}

const cases: [string, () => CompositeProblem][] = [];
for (const N of sizes)
  for (const name of Object.keys(e3Programs(8)))
    cases.push([`${name} N=${N}`, () => e3Programs(N)[name] as CompositeProblem]);
cases.push(["scnn N=2000 p=50 P=100", () => scnnProgram(2000, 50, 100)]);
if (large) cases.push(["scnn N=10000 p=100 P=500", () => scnnProgram(10000, 100, 500)]);

const t0 = performance.now();
const results = [];
for (const [instance, make] of cases) {
  const problem = make();
  const runs = [];
  for (const name of solvers) {
    const t = performance.now();
    try {
      const r = getSolver(name).solve(problem, { tolerance: 1e-6, timeLimitMs: 300_000 });
      const seconds = (performance.now() - t) / 1000;
      runs.push({
        solver: name,
        status: r.status,
        seconds,
        iterations: r.iterations,
        relativeGap: r.relativeGap,
        objective: r.objective,
      });
      log(
        instance.padEnd(28),
        name.padEnd(6),
        r.status,
        `${seconds.toFixed(2)} s`,
        `${r.iterations} it`,
      );
    } catch (error) {
      runs.push({ solver: name, error: String(error) });
      log(instance.padEnd(28), name.padEnd(6), "not applicable:", String(error).slice(0, 80));
    }
  }
  results.push({ instance, rows: problem.operator.rows, cols: problem.dim, runs });
}
console.log(
  JSON.stringify(
    {
      bench: "solver-choice",
      node: process.version,
      tolerance: 1e-6,
      results,
      totalSeconds: (performance.now() - t0) / 1000,
    },
    null,
    2,
  ),
);
