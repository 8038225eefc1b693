/**
 * FISTA's gap-safe screening and working-set options, with and without (issue 3, item 6): plain
 * FISTA vs screening vs working set vs both vs the defaults, seconds and iterations to relative
 * duality gap 1e-6, one run each, on the solvers' own dense instances and on the convex
 * attention programs (which is why it lives here: `@convexformer/solvers` must not depend on
 * this package).
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/fista-options.bench.ts [--quick] [--large]
 *         [--cases dense-small,dense-medium,dense-sparse,scalar,vector,gated,scnn,scnn-large]
 *         [--variants plain,screening,working-set,both,defaults]
 *
 * `--quick` shrinks every instance (smoke run); `--large` adds the scnn target at N = 10,000,
 * p = 100, P = 500. One JSON document on stdout; progress on stderr.
 */
import {
  type CompositeProblem,
  createProblem,
  crossEntropyLoss,
  denseOperator,
  type FistaOptions,
  fista,
  groupL2,
  lambdaMax,
  squaredLoss,
  withLambda,
} from "@convexformer/solvers";
import { createRng, Matrix } from "@convexformer/tensors";
import {
  gatedAttentionProblem,
  sampleGates,
  scalarAttentionProblem,
  vectorAttentionProblem,
} from "../src/index.js";
import { gaussianBatch, scnnData } from "./scnn-instance.js";

const quick = process.argv.includes("--quick");
const large = process.argv.includes("--large");
const casesArg = (() => {
  const i = process.argv.indexOf("--cases");
  return i >= 0 ? process.argv[i + 1]?.split(",") : undefined;
})();
const variantsArg = (() => {
  const i = process.argv.indexOf("--variants");
  return i >= 0 ? process.argv[i + 1]?.split(",") : undefined;
})();
const log = (...a: unknown[]): void => {
  console.error("[bench:fista-options]", ...a);
};

const ALL_VARIANTS: readonly { label: string; options: FistaOptions }[] = [
  { label: "plain", options: { screening: false, workingSet: false } },
  { label: "screening", options: { screening: true, workingSet: false } },
  { label: "working-set", options: { screening: false, workingSet: true } },
  { label: "both", options: { screening: true, workingSet: true } },
  { label: "defaults", options: {} },
];
const VARIANTS = ALL_VARIANTS.filter(
  (v) => variantsArg === undefined || variantsArg.includes(v.label),
);

/** Dense Gaussian design, equal groups, 10% of the groups planted, squared loss, λ = ratio·λ_max. */
function denseInstance(
  rows: number,
  cols: number,
  groups: number,
  ratio: number,
  seed: number,
): CompositeProblem {
  const rng = createRng(seed);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const size = cols / groups;
  const truth = new Float64Array(cols);
  for (const g of rng.permutation(groups).slice(0, Math.max(1, Math.round(groups / 10))))
    for (let j = g * size; j < (g + 1) * size; j++) truth[j] = rng.normal();
  const operator = denseOperator(matrix);
  const y = new Float64Array(rows);
  operator.apply(truth, y);
  for (let i = 0; i < rows; i++) y[i] = (y[i] as number) + 0.5 * rng.normal();
  const base = createProblem({
    operator,
    loss: squaredLoss(y),
    regularizer: groupL2({ sizes: new Array<number>(groups).fill(size) }),
    lambda: 1,
  });
  return withLambda(base, ratio * lambdaMax(base));
}

/** The attention bench's medium programs (planted sparse targets), λ = 0.1 λ_max. */
function attentionPrograms(N: number): Record<string, CompositeProblem> {
  const rng = createRng(2026);
  const n = 8;
  const d = 16;
  const X = gaussianBatch(rng, N, n, d);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = X.get(i, 1, 0) - 0.5 * X.get(i, 5, 3) + 0.1 * rng.normal();
  const labels = Int32Array.from({ length: N }, (_, i) =>
    X.get(i, 2, 1) > 0.5 ? 2 : X.get(i, 6, 2) > 0 ? 1 : 0,
  );
  const scalar = scalarAttentionProblem(X, squaredLoss(y), 1);
  const vector = vectorAttentionProblem(X, crossEntropyLoss(labels, { classes: 3 }), 1);
  const gated = gatedAttentionProblem(X, sampleGates(X, 32, { seed: 5 }), squaredLoss(y), 1);
  return {
    scalar: withLambda(scalar, 0.1 * lambdaMax(scalar)),
    vector: withLambda(vector, 0.1 * lambdaMax(vector)),
    gated: withLambda(gated, 0.1 * lambdaMax(gated)),
  };
}

/** The scnn target: one-token gated program, planted width-5 ReLU teacher, λ = 0.1 λ_max. */
function scnnProgram(N: number, p: number, P: number): CompositeProblem {
  const { X, y } = scnnData(N, p);
  const base = gatedAttentionProblem(X, sampleGates(X, P, { seed: 7 }), squaredLoss(y), 1);
  return withLambda(base, 0.1 * lambdaMax(base));
}

function describeProblem(problem: CompositeProblem) {
  const groups = problem.regularizer.groups;
  return {
    rows: problem.operator.rows,
    cols: problem.dim,
    groups: groups?.count ?? 0,
    dense: problem.operator.toDense !== undefined,
  };
}

function solveAll(name: string, make: () => CompositeProblem) {
  const t0 = performance.now();
  const problem = make();
  const buildSeconds = (performance.now() - t0) / 1000;
  const groups = problem.regularizer.groups;
  const runs = [];
  for (const { label, options } of VARIANTS) {
    const t = performance.now();
    const result = fista.solve(problem, {
      tolerance: 1e-6,
      timeLimitMs: quick ? 30_000 : 300_000,
      ...options,
    });
    const seconds = (performance.now() - t) / 1000;
    let active = 0;
    if (groups !== undefined) {
      for (let g = 0; g < groups.count; g++) {
        let any = false;
        for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number) && !any; i++)
          any = result.x[i] !== 0;
        if (any) active++;
      }
    }
    runs.push({
      variant: label,
      options,
      status: result.status,
      seconds,
      iterations: result.iterations,
      relativeGap: result.relativeGap,
      objective: result.objective,
      activeGroups: active,
      setupSeconds: result.timings.setupMs / 1000,
      certificateSeconds: result.timings.certificateMs / 1000,
    });
    log(
      name.padEnd(14),
      label.padEnd(12),
      result.status,
      `${seconds.toFixed(2)} s`,
      `${result.iterations} it`,
      `gap ${result.relativeGap.toExponential(2)}`,
      `active ${active}/${groups?.count ?? 0}`,
    );
  }
  const plain = runs.find((r) => r.variant === "plain");
  return {
    instance: name,
    ...describeProblem(problem),
    buildSeconds,
    runs: runs.map((r) => ({
      ...r,
      speedupVsPlain: plain === undefined ? 1 : plain.seconds / r.seconds,
      objectiveDiffVsPlain: plain === undefined ? 0 : r.objective - plain.objective,
    })),
  };
}

const s = quick ? 0.25 : 1;
const CASES: Record<string, () => CompositeProblem> = {
  "dense-small": () => denseInstance(200, 200, 40, 0.1, 2024),
  "dense-medium": () => denseInstance(Math.round(2000 * s), Math.round(5000 * s), 100, 0.1, 2024),
  "dense-sparse": () => denseInstance(Math.round(500 * s), Math.round(8000 * s), 400, 0.5, 2025),
  scalar: () => attentionPrograms(quick ? 300 : 2000).scalar as CompositeProblem,
  vector: () => attentionPrograms(quick ? 300 : 2000).vector as CompositeProblem,
  gated: () => attentionPrograms(quick ? 300 : 2000).gated as CompositeProblem,
  scnn: () => (quick ? scnnProgram(500, 20, 50) : scnnProgram(2000, 50, 100)),
  "scnn-large": () => scnnProgram(10000, 100, 500),
};
const selected =
  casesArg ?? Object.keys(CASES).filter((k) => k !== "scnn-large" || (large && !quick));
const t0 = performance.now();
const results = [];
for (const name of selected) {
  const make = CASES[name];
  if (make === undefined)
    throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(", ")}`);
  results.push(solveAll(name, make));
}
console.log(
  JSON.stringify(
    {
      bench: "fista-options",
      node: process.version,
      quick,
      tolerance: 1e-6,
      variants: VARIANTS,
      results,
      totalSeconds: (performance.now() - t0) / 1000,
    },
    null,
    2,
  ),
);
