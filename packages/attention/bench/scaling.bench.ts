/**
 * Scaling benchmark (issue 13, item 4): seconds to a certified relative duality gap 1e-6 for
 * the gated program (14) and the vector program (12) as the number of samples N grows at a
 * fixed shape, the fitted log-log slope of time against N (goal ≈ 1: linear in N), and peak
 * memory. One JSON document on stdout; progress on stderr.
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/scaling.bench.ts
 *         [--sizes 1000,3000,10000,30000,100000] [--solvers fista,bcd] [--programs gated,vector]
 *         [--time-limit-s 120] [--threads 1,2]
 *
 * Shape: n = 4 tokens of d = 8 features; gated: P = 16 gates, squared loss on a planted
 * target; vector: c = 3 classes, cross-entropy on planted labels; λ = 0.1 λ_max. Every point
 * runs in its own child process, so its memory is its own: `peakRssMiB` is the child's
 * `process.resourceUsage().maxRSS` (data, operator scratch, solver buffers and Node itself;
 * `baselineRssMiB` is a child that builds nothing). Threads: every point runs once per entry
 * of `--threads` (`configureKernels({ threads })` in the child: the WebAssembly float64
 * kernels' worker threads); `speedupOneToTwoThreads` is seconds on 1 thread ÷ seconds on 2 for
 * every point that converged with both.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type CompositeProblem,
  crossEntropyLoss,
  getSolver,
  lambdaMax,
  squaredLoss,
  withLambda,
} from "@convexformer/solvers";
import { configureKernels, createRng } from "@convexformer/tensors";
import { gatedAttentionProblem, sampleGates, vectorAttentionProblem } from "../src/index.js";
import { arg } from "./bench-args.js";
import { gaussianBatch } from "./scnn-instance.js";

const sizes = (arg("--sizes") ?? "1000,3000,10000,30000,100000").split(",").map(Number);
const solvers = (arg("--solvers") ?? "fista,bcd").split(",");
const programs = (arg("--programs") ?? "gated,vector").split(",");
const timeLimitMs = 1000 * Number(arg("--time-limit-s") ?? 120);
const threadCounts = (arg("--threads") ?? "1,2").split(",").map(Number);
const log = (...a: unknown[]): void => {
  console.error("[bench:scaling]", ...a);
};
const n = 4;
const d = 8;

function build(program: string, N: number): CompositeProblem {
  const rng = createRng(17);
  const X = gaussianBatch(rng, N, n, d);
  if (program === "gated") {
    const y = new Float64Array(N);
    for (let i = 0; i < N; i++)
      y[i] =
        Math.max(0, X.get(i, 1, 0) + X.get(i, 2, 3)) - 0.5 * X.get(i, 3, 5) + 0.1 * rng.normal();
    const p = gatedAttentionProblem(X, sampleGates(X, 16, { seed: 5 }), squaredLoss(y), 1);
    return withLambda(p, 0.1 * lambdaMax(p));
  }
  const labels = Int32Array.from({ length: N }, (_, i) =>
    X.get(i, 2, 1) > 0.5 ? 2 : X.get(i, 0, 2) > 0 ? 1 : 0,
  );
  const p = vectorAttentionProblem(X, crossEntropyLoss(labels, { classes: 3 }), 1);
  return withLambda(p, 0.1 * lambdaMax(p));
}

/** Least-squares slope of log(seconds) against log(N). */
function slope(points: readonly { N: number; seconds: number }[]): number | null {
  const ok = points.filter((p) => p.seconds > 0);
  if (ok.length < 2) return null;
  const xs = ok.map((p) => Math.log(p.N));
  const ys = ok.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    sxx += ((xs[i] as number) - mx) ** 2;
  }
  return sxy / sxx;
}

const pointArg = arg("--point");
if (pointArg !== undefined) {
  // child: one (program, solver, N) point, one JSON line on stdout
  const [program, solver, NText, threadText = "1"] = pointArg.split(",") as [
    string,
    string,
    string,
    string?,
  ];
  const N = Number(NText);
  const kernels = await configureKernels({ threads: Number(threadText) });
  if (program === "none") {
    console.log(JSON.stringify({ peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
  } else {
    const problem = build(program, N);
    const t = performance.now();
    const r = getSolver(solver).solve(problem, { tolerance: 1e-6, timeLimitMs });
    const seconds = (performance.now() - t) / 1000;
    console.log(
      JSON.stringify({
        N,
        threads: kernels.threads,
        engine: kernels.engine,
        rows: problem.operator.rows,
        cols: problem.dim,
        status: r.status,
        seconds,
        iterations: r.iterations,
        relativeGap: r.relativeGap,
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
      }),
    );
  }
  process.exit(0);
}

/** Runs one point in a child process (same loader flags) and parses its JSON line. */
function runPoint(
  program: string,
  solver: string,
  N: number,
  threads: number,
): Record<string, unknown> {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      "--point",
      `${program},${solver},${N},${threads}`,
      "--time-limit-s",
      String(timeLimitMs / 1000),
    ],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || line === "") {
    return {
      N,
      threads,
      status: "failed",
      exitCode: child.status,
      stderr: child.stderr.slice(-2000),
    };
  }
  return JSON.parse(line) as Record<string, unknown>;
}

const t0 = performance.now();
const baseline = runPoint("none", "none", 0, 1);
interface Series {
  program: string;
  solver: string;
  threads: number;
  points: Record<string, unknown>[];
  logLogSlope: number | null;
}
const results: Series[] = [];
for (const program of programs) {
  for (const solver of solvers) {
    for (const threads of threadCounts) {
      const points: Record<string, unknown>[] = [];
      for (const N of sizes) {
        const point = runPoint(program, solver, N, threads);
        points.push(point);
        log(
          program,
          solver,
          `threads=${threads}`,
          `N=${N}`,
          point.status,
          `${Number(point.seconds).toFixed(2)} s`,
          `${point.iterations} it`,
          `${Number(point.peakRssMiB).toFixed(0)} MiB`,
        );
      }
      const converged = points
        .filter((p) => p.status === "converged")
        .map((p) => ({ N: p.N as number, seconds: p.seconds as number }));
      results.push({ program, solver, threads, points, logLogSlope: slope(converged) });
    }
  }
}

/** Seconds on 1 thread ÷ seconds on 2, per (program, solver, N) converged with both. */
function speedups(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const one of results.filter((r) => r.threads === 1)) {
    const two = results.find(
      (r) => r.threads === 2 && r.program === one.program && r.solver === one.solver,
    );
    if (two === undefined) continue;
    for (const p1 of one.points) {
      const p2 = two.points.find((p) => p.N === p1.N);
      if (p1.status !== "converged" || p2?.status !== "converged") continue;
      out.push({
        program: one.program,
        solver: one.solver,
        N: p1.N,
        speedup: (p1.seconds as number) / (p2.seconds as number),
      });
    }
  }
  return out;
}

console.log(
  JSON.stringify(
    {
      bench: "scaling",
      node: process.version,
      tolerance: 1e-6,
      shape: { n, d, gates: 16, classes: 3 },
      threadCounts,
      baselineRssMiB: baseline.peakRssMiB,
      speedupOneToTwoThreads: speedups(),
      results,
      totalSeconds: (performance.now() - t0) / 1000,
    },
    null,
    2,
  ),
);
