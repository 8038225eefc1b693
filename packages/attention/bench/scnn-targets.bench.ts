/**
 * Issue 20's scnn targets, measured against scnn itself in the same run: seconds for
 * `convexformer solve` (run as a user runs it, one fresh process per solve, loading included,
 * default solver) to a certified relative duality gap 1e-6, against scnn's R-FISTA to its own
 * default stop, on the same gated-ReLU problem (one-token form of (14)): planted-teacher data
 * (`scnn-instance.ts`) from a fresh seed per run, P Gaussian gates from the same seed,
 * λ = 0.1 λ_max. The two alternate run by run, each in a fresh process.
 *
 *     pnpm bench:scnn [-- --instances "2000,50,100;10000,100,500"] [--runs 5] [--seed S]
 *         [--python /usr/bin/python3]
 *
 * scnn is imported by `scnn-reference.py` from wherever Python finds it: `pip install pyscnn`,
 * or its source (and that of its dependencies `lab` and `opt_einsum`) on `PYTHONPATH`. Where it
 * is absent the scnn side is skipped with the printed reason and only our times are reported.
 * The target: median(ours) ≤ 0.5 × median(scnn) per instance. `scnnExcess` is how far scnn's
 * answer (evaluated in float64 in our scaling) lies above our certified dual bound, relative:
 * an upper bound on the suboptimality of scnn's default stop. One JSON document on stdout;
 * progress on stderr. Needs the built CLI (`pnpm build`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, writeNpy } from "@convexformer/tensors";
import { arg } from "./bench-args.js";
import { scnnData } from "./scnn-instance.js";

const TARGET_RATIO = 0.5;
const cli = fileURLToPath(new URL("../../../apps/cli/dist/bin.js", import.meta.url));
const reference = fileURLToPath(new URL("./scnn-reference.py", import.meta.url));
const python = arg("--python") ?? "python3";
const runs = Number(arg("--runs") ?? 5);
const seedBase = Number(arg("--seed") ?? Math.floor(Math.random() * 1e6));
const instances = (arg("--instances") ?? "2000,50,100;10000,100,500").split(";");

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Writes the problem folder the CLI and scnn-reference.py both read; returns λ. */
function writeProblem(dir: string, N: number, p: number, P: number, seed: number): number {
  const { X, y } = scnnData(N, p, seed);
  const G = createRng(seed + 1).fillNormal(new Float64Array(p * P));
  // λ_max = max over gates of ‖(D_j X)ᵀ y‖₂, D_j = diag(1[X g_j ≥ 0]) (the gradient at 0)
  let lambdaMax = 0;
  const v = new Float64Array(p);
  for (let j = 0; j < P; j++) {
    v.fill(0);
    for (let i = 0; i < N; i++) {
      let score = 0;
      for (let q = 0; q < p; q++) score += X.get(i, 0, q) * (G[q * P + j] as number);
      if (score < 0) continue;
      for (let q = 0; q < p; q++) v[q] = (v[q] as number) + (y[i] as number) * X.get(i, 0, q);
    }
    let norm = 0;
    for (const e of v) norm += e * e;
    lambdaMax = Math.max(lambdaMax, Math.sqrt(norm));
  }
  const lambda = 0.1 * lambdaMax;
  const npy = (shape: number[], data: Float64Array) => writeNpy({ dtype: "float64", shape, data });
  writeFileSync(join(dir, "X.npy"), npy([N, p], X.data));
  writeFileSync(join(dir, "y.npy"), npy([N], y));
  writeFileSync(join(dir, "G.npy"), npy([p, P], G));
  const spec = { kind: "gated-relu", loss: "squared", lambda };
  writeFileSync(join(dir, "problem.json"), JSON.stringify(spec));
  return lambda;
}

/** Runs a command in a fresh process; its last stdout line parsed as JSON, and its wall time. */
function runJson(command: string, args: string[], env?: NodeJS.ProcessEnv) {
  const t = performance.now();
  const out = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 24, env });
  const wallSeconds = (performance.now() - t) / 1000;
  const line = (out.stdout ?? "").trim().split("\n").pop() ?? "";
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(line) as Record<string, unknown>;
  } catch {}
  return { exitCode: out.status, wallSeconds, json, stderr: (out.stderr ?? "").slice(-1500) };
}

let scnnReason: string | null = null;
const results = [];
for (const shape of instances) {
  const [N, p, P] = shape.split(",").map(Number) as [number, number, number];
  const rows = [];
  for (let k = 0; k < runs; k++) {
    const seed = seedBase + k;
    const dir = mkdtempSync(join(tmpdir(), "bench-scnn-"));
    try {
      const lambda = writeProblem(dir, N, p, P, seed);
      const row: Record<string, unknown> = { seed, lambda, load: loadavg()[0] };
      // alternate which side goes first, so drift in the machine's load hits both alike
      const sides = k % 2 === 0 ? ["scnn", "ours"] : ["ours", "scnn"];
      for (const side of sides) {
        if (side === "ours") {
          const r = runJson(process.execPath, [cli, "solve", dir, "--json"]);
          row.ours =
            r.json === null
              ? { failed: true, exitCode: r.exitCode, stderr: r.stderr }
              : { ...r.json, wallSeconds: r.wallSeconds };
        } else if (scnnReason === null) {
          const r = runJson(python, [reference, dir]);
          if (r.json?.available === false || r.json === null) {
            scnnReason = String(r.json?.reason ?? `exit ${r.exitCode}: ${r.stderr}`);
          } else row.scnn = { ...r.json, wallSeconds: r.wallSeconds };
        }
      }
      const ours = row.ours as { dualObjective?: number; seconds?: number } | undefined;
      const scnn = row.scnn as { objective?: number; seconds?: number } | undefined;
      if (ours?.dualObjective !== undefined && scnn?.objective !== undefined)
        row.scnnExcess = (scnn.objective - ours.dualObjective) / Math.abs(ours.dualObjective);
      const fmt = (s: { seconds?: number } | undefined) => s?.seconds?.toFixed(3) ?? "–";
      console.error(
        `[bench:scnn] ${shape} seed ${seed}: ours ${fmt(ours)} s (${(row.ours as { status?: string }).status ?? "failed"}), scnn ${fmt(scnn)} s`,
      );
      rows.push(row);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  type Side = { seconds?: number; status?: string };
  const oursSeconds = rows.flatMap((r) =>
    (r.ours as Side).seconds === undefined ? [] : [(r.ours as Side).seconds as number],
  );
  const scnnSeconds = rows.flatMap((r) =>
    r.scnn === undefined ? [] : [(r.scnn as Side).seconds as number],
  );
  const oursMedian = median(oursSeconds);
  const scnnMedian = median(scnnSeconds);
  const allCertified = rows.every((r) => (r.ours as Side).status === "converged");
  const ratio = oursMedian !== null && scnnMedian !== null ? oursMedian / scnnMedian : null;
  results.push({
    instance: { N, p, P },
    oursMedianSeconds: oursMedian,
    scnnMedianSeconds: scnnMedian,
    ratio,
    targetRatio: TARGET_RATIO,
    allCertified,
    pass: ratio === null ? null : allCertified && ratio <= TARGET_RATIO,
    runs: rows,
  });
}
console.log(
  JSON.stringify(
    {
      bench: "scnn-targets",
      node: process.version,
      seedBase,
      scnn: scnnReason === null ? "run in the same script" : `skipped: ${scnnReason}`,
      results,
    },
    null,
    2,
  ),
);
