/**
 * Benchmarks of @convexformer/attention. Run: `node --import tsx packages/attention/bench/attention.bench.ts`
 * (add `--quick` for a smoke run). Prints one JSON document on stdout; progress goes to stderr.
 */
import {
  crossEntropyLoss,
  fista,
  getSolver,
  lambdaMax,
  listSolvers,
  type SolveResult,
  squaredLoss,
} from "@convexformer/solvers";
import { createRng, gemv, type TokenBatch } from "@convexformer/tensors";
import {
  type AttentionProblem,
  attentionOperator,
  gatedAttentionProblem,
  sampleGates,
  scalarAttentionProblem,
  vectorAttentionProblem,
} from "../src/index.js";
import { gaussianBatch, scnnData } from "./scnn-instance.js";

const quick = process.argv.includes("--quick");
const log = (...a: unknown[]) => console.error("[bench]", ...a);
const rng = createRng(2026);

/** The materialized design `[(i,l), (j,l',k,q)] = D_ij [l = l'] X_i[k,q]`, built independently. */
function denseDesign(
  X: TokenBatch,
  c: number,
  mask: Uint8Array | undefined,
  P: number,
): { data: Float64Array } {
  const { samples: N, tokens: n, features: d } = X;
  const nd = n * d;
  const cols = P * c * nd;
  const data = new Float64Array(N * c * cols);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < P; j++) {
      if (mask !== undefined && mask[i * P + j] === 0) continue;
      for (let l = 0; l < c; l++)
        data.set(X.data.subarray(i * nd, (i + 1) * nd), (i * c + l) * cols + (j * c + l) * nd);
    }
  return { data };
}

function timeIt(f: () => void, minMs = 300, maxReps = 50): number {
  f(); // warm-up
  let reps = 0;
  const t0 = performance.now();
  while (reps < maxReps && (reps === 0 || performance.now() - t0 < minMs)) {
    f();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

// 1. operator apply + adjoint vs a dense reference (sizes where the dense design fits)
function operatorTimings() {
  const cases = [
    { name: "scalar (9)", N: 2000, n: 8, d: 32, c: 1, P: 0 },
    { name: "vector (12)", N: 500, n: 8, d: 32, c: 10, P: 0 },
    { name: "gated (14)", N: 500, n: 8, d: 32, c: 4, P: 8 },
    { name: "gated (14), one token (scnn)", N: 2000, n: 1, d: 50, c: 1, P: 100 },
  ];
  const out = [];
  for (const { name, N, n, d, c, P } of quick ? cases.slice(0, 1) : cases) {
    const X = gaussianBatch(rng, N, n, d);
    const mask = P > 0 ? sampleGates(X, P, { seed: 1, keepDuplicates: true }).mask : undefined;
    const A = attentionOperator(X, c, mask);
    const x = rng.fillNormal(new Float64Array(A.cols));
    const r = rng.fillNormal(new Float64Array(A.rows));
    const y = new Float64Array(A.rows);
    const g = new Float64Array(A.cols);
    const ours = timeIt(() => {
      A.apply(x, y);
      A.adjoint(r, g);
    });
    // dense reference: the materialized design and two gemv calls
    const dense = denseDesign(X, c, mask, Math.max(P, 1));
    const yd = new Float64Array(A.rows);
    const gd = new Float64Array(A.cols);
    const ref = timeIt(() => {
      gemv("no-transpose", A.rows, A.cols, 1, dense.data, A.cols, 1, 0, x, 1, 0, 0, yd, 1, 0);
      gemv("transpose", A.rows, A.cols, 1, dense.data, A.cols, 1, 0, r, 1, 0, 0, gd, 1, 0);
    });
    let err = 0;
    for (let i = 0; i < y.length; i++)
      err = Math.max(err, Math.abs((y[i] as number) - (yd[i] as number)));
    out.push({
      program: name,
      N,
      n,
      d,
      c,
      P,
      rows: A.rows,
      cols: A.cols,
      denseMiB: (A.rows * A.cols * 8) / 2 ** 20,
      oursMs: ours,
      denseMs: ref,
      speedup: ref / ours,
      maxAbsDiff: err,
    });
    log(name, ours.toFixed(2), "ms vs dense", ref.toFixed(2), "ms");
  }
  return out;
}

// 2. peak memory of program (14) at N = 10,000, n = 8, d = 32, P = 64, c = 10
function gatedMemory() {
  const [N, n, d, P, c] = quick ? [1000, 8, 32, 16, 10] : [10000, 8, 32, 64, 10];
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const X = gaussianBatch(rng, N, n, d);
  const gates = sampleGates(X, P, { seed: 3 });
  sample();
  const labels = Int32Array.from({ length: N }, () => rng.integer(0, c));
  const problem = gatedAttentionProblem(X, gates, crossEntropyLoss(labels, { classes: c }), 1);
  sample();
  const x = rng.fillNormal(new Float64Array(problem.dim), 0, 0.01);
  const y = new Float64Array(problem.operator.rows);
  const g = new Float64Array(problem.dim);
  const t0 = performance.now();
  const reps = quick ? 1 : 3;
  for (let k = 0; k < reps; k++) {
    problem.operator.apply(x, y);
    sample();
    problem.loss.gradient(y, y);
    problem.operator.adjoint(y, g);
    sample();
  }
  const ms = (performance.now() - t0) / reps;
  const top = lambdaMax(problem);
  sample();
  const after = process.memoryUsage();
  const nd = n * d;
  return {
    program: "gated (14), cross-entropy",
    N,
    n,
    d,
    P: gates.count,
    c,
    variables: problem.dim,
    denseDesignGB: (N * P * c * nd * 8) / 1e9,
    denseDesignNote:
      "N × (P·c·n·d) float64, the block design; the full (N·c) × (P·c·n·d) one is c times larger",
    applyPlusAdjointMs: ms,
    lambdaMax: top,
    rssBeforeMiB: base.rss / 2 ** 20,
    peakRssMiB: peakRss / 2 ** 20,
    rssDeltaMiB: (peakRss - base.rss) / 2 ** 20,
    heapUsedDeltaMiB: (after.heapUsed - base.heapUsed) / 2 ** 20,
    arrayBuffersDeltaMiB: (after.arrayBuffers - base.arrayBuffers) / 2 ** 20,
  };
}

function solveRecord(
  name: string,
  problem: AttentionProblem,
  solver: string,
  options: Record<string, unknown>,
) {
  const t0 = performance.now();
  const result: SolveResult = getSolver(solver).solve(problem, {
    tolerance: 1e-6,
    timeLimitMs: quick ? 20_000 : 180_000,
    ...options,
  });
  const seconds = (performance.now() - t0) / 1000;
  let active = 0;
  const d = problem.layout.features;
  for (let gi = 0; gi * d < result.x.length; gi++) {
    let any = false;
    for (let q = 0; q < d && !any; q++) any = result.x[gi * d + q] !== 0;
    if (any) active++;
  }
  const rec = {
    program: name,
    solver,
    options,
    status: result.status,
    seconds,
    iterations: result.iterations,
    relativeGap: result.relativeGap,
    objective: result.objective,
    activeGroups: active,
    groups: result.x.length / d,
  };
  log(
    name,
    solver,
    JSON.stringify(options),
    result.status,
    seconds.toFixed(2),
    "s",
    result.iterations,
    "it gap",
    result.relativeGap.toExponential(2),
  );
  return rec;
}

// 3. time to relative gap 1e-6 at a medium size
function mediumSolves() {
  const N = quick ? 300 : 2000;
  const n = 8;
  const d = 16;
  const X = gaussianBatch(rng, N, n, d);
  // targets from a planted sparse convex model plus noise
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = X.get(i, 1, 0) - 0.5 * X.get(i, 5, 3) + 0.1 * rng.normal();
  const labels = Int32Array.from({ length: N }, (_, i) =>
    X.get(i, 2, 1) > 0.5 ? 2 : X.get(i, 6, 2) > 0 ? 1 : 0,
  );
  const programs: [string, AttentionProblem][] = [];
  const scalar = scalarAttentionProblem(X, squaredLoss(y), 1);
  programs.push(["scalar (9), squared", { ...scalar, lambda: 0.1 * lambdaMax(scalar) }]);
  const vector = vectorAttentionProblem(X, crossEntropyLoss(labels, { classes: 3 }), 1);
  programs.push([
    "vector (12), cross-entropy, c = 3",
    { ...vector, lambda: 0.1 * lambdaMax(vector) },
  ]);
  const gated = gatedAttentionProblem(X, sampleGates(X, 32, { seed: 5 }), squaredLoss(y), 1);
  programs.push(["gated (14), squared, P = 32", { ...gated, lambda: 0.1 * lambdaMax(gated) }]);
  const out = [];
  for (const [name, problem] of programs) {
    for (const options of [{}, { workingSet: false }, { workingSet: false, screening: false }]) {
      out.push({ N, n, d, ...solveRecord(name, problem, "fista", options) });
    }
  }
  return out;
}

// 4. the scnn target: one-token gated program, planted width-5 ReLU teacher, λ = 0.1 λ_max
function scnnTarget() {
  const sizes = quick
    ? [{ N: 500, p: 20, P: 50, scnnSeconds: Number.NaN }]
    : [
        { N: 2000, p: 50, P: 100, scnnSeconds: 0.26 },
        { N: 10000, p: 100, P: 500, scnnSeconds: 13.8 },
      ];
  const out = [];
  for (const { N, p, P, scnnSeconds } of sizes) {
    const { X, y } = scnnData(N, p);
    const t0 = performance.now();
    const gates = sampleGates(X, P, { seed: 7 });
    const base = gatedAttentionProblem(X, gates, squaredLoss(y), 1);
    const top = lambdaMax(base);
    const setupSeconds = (performance.now() - t0) / 1000;
    const problem = { ...base, lambda: 0.1 * top };
    const runs = [];
    // FISTA's defaults (working set on, screening off) against plain FISTA; the large instance
    // (≈ 2.5 min a run here) skips the middle variant
    const variants: Record<string, unknown>[] =
      N * p * P > 2e7
        ? [{}, { workingSet: false, screening: false }]
        : [{}, { workingSet: false }, { workingSet: false, screening: false }];
    for (const options of variants) {
      runs.push(solveRecord(`scnn N=${N} p=${p} P=${P}`, problem, "fista", options));
    }
    out.push({ N, p, P: gates.count, lambda: problem.lambda, setupSeconds, scnnSeconds, runs });
  }
  return out;
}

const t0 = performance.now();
const report = {
  bench: "@convexformer/attention",
  node: process.version,
  quick,
  solvers: listSolvers(),
  operators: operatorTimings(),
  gatedMemory: gatedMemory(),
  solves: mediumSolves(),
  scnn: scnnTarget(),
  totalSeconds: 0,
};
report.totalSeconds = (performance.now() - t0) / 1000;
void fista;
console.log(JSON.stringify(report, null, 2));
