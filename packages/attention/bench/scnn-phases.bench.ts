/**
 * Where `convexformer solve` spends its time on a scnn problem folder (issue 20's profile): the
 * same problem `bench:scnn` writes, timed in one process phase by phase — building the problem
 * from the arrays (`problemFromArrays`, what the CLI's folder reader calls), then FISTA to 1e-6 with the
 * kernels as the CLI leaves them (engine and threads "auto", started lazily), then the same
 * solve again after `configureKernels({ threads })` has resolved (worker threads up) — and
 * the whole CLI command in a fresh process for comparison. One JSON document on stdout.
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/scnn-phases.bench.ts
 *         [--instance 10000,100,500] [--seed 737413] [--threads 2]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getSolver } from "@convexformer/solvers";
import { configureKernels, createRng, Matrix, writeNpy } from "@convexformer/tensors";
import { problemFromArrays } from "../src/index.js";
import { arg } from "./bench-args.js";
import { scnnData } from "./scnn-instance.js";

const [N, p, P] = (arg("--instance") ?? "10000,100,500").split(",").map(Number) as [
  number,
  number,
  number,
];
const seed = Number(arg("--seed") ?? 737413);
const threads = Number(arg("--threads") ?? 2);
const cli = fileURLToPath(new URL("../../../apps/cli/dist/bin.js", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "bench-scnn-phases-"));
try {
  // the folder bench:scnn writes (λ from the CLI's own λ_max is not needed: a fixed λ)
  const { X, y } = scnnData(N, p, seed);
  const G = createRng(seed + 1).fillNormal(new Float64Array(p * P));
  const npy = (shape: number[], data: Float64Array) => writeNpy({ dtype: "float64", shape, data });
  writeFileSync(join(dir, "X.npy"), npy([N, p], X.data));
  writeFileSync(join(dir, "y.npy"), npy([N], y));
  writeFileSync(join(dir, "G.npy"), npy([p, P], G));
  writeFileSync(
    join(dir, "problem.json"),
    JSON.stringify({ kind: "gated-relu", loss: "squared", lambda: 0.1 * N }),
  );
  const time = <T>(f: () => T): [T, number] => {
    const t = performance.now();
    const value = f();
    return [value, (performance.now() - t) / 1000];
  };
  const [loaded, loadSeconds] = time(() =>
    problemFromArrays({
      kind: "gated-relu",
      loss: "squared",
      lambda: 0.1 * N,
      data: new Matrix(N, p, X.data),
      labels: y,
      labelShape: [N],
      gateMatrix: new Matrix(p, P, G),
    }),
  );
  const fista = getSolver("fista");
  const [lazy, lazySeconds] = time(() => fista.solve(loaded.problem, { tolerance: 1e-6 }));
  const kernels = await configureKernels({ threads });
  const [ready, readySeconds] = time(() => fista.solve(loaded.problem, { tolerance: 1e-6 }));
  const t1 = performance.now();
  const run = spawnSync(process.execPath, [cli, "solve", dir, "--json"], { encoding: "utf8" });
  const cliWallSeconds = (performance.now() - t1) / 1000;
  const cliSummary = JSON.parse(run.stdout.trim().split("\n").pop() ?? "null");
  console.log(
    JSON.stringify(
      {
        bench: "scnn-phases",
        instance: { N, p, P, seed },
        buildSeconds: loadSeconds,
        solveKernelsAsTheCliLeavesThem: {
          seconds: lazySeconds,
          iterations: lazy.iterations,
          status: lazy.status,
        },
        solveAfterConfigureKernels: {
          kernels,
          seconds: readySeconds,
          iterations: ready.iterations,
          status: ready.status,
        },
        cli: { wallSeconds: cliWallSeconds, summary: cliSummary },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
