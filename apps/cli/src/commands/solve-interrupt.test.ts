import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, writeNpy } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { runSolve } from "./solve.js";

// the real binary from source, as in bin.test.ts, started asynchronously so signals can be sent
const tsx = createRequire(import.meta.url).resolve("tsx");
const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));

function start(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--conditions=@convexformer/source", "--import", tsx, bin, ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

/** An ill-conditioned group lasso (columns near 8 shared directions): FISTA needs thousands of iterations. */
function slowProblem(): string {
  const N = 1500;
  const p = 400;
  const rng = createRng(9);
  const base = rng.fillNormal(new Float64Array(N * 8));
  const X = new Float64Array(N * p);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < p; j++) X[i * p + j] = base[i * 8 + (j % 8)]! + 0.05 * rng.normal();
  const y = rng.fillNormal(new Float64Array(N));
  const dir = mkdtempSync(join(tmpdir(), "convexformer-interrupt-"));
  writeFileSync(
    join(dir, "problem.json"),
    JSON.stringify({
      kind: "group-lasso",
      loss: "squared",
      lambda: 1.4,
      groups: Array(p / 4).fill(4),
    }),
  );
  writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [N, p], data: X }));
  writeFileSync(join(dir, "y.npy"), writeNpy({ dtype: "float64", shape: [N], data: y }));
  return dir;
}

describe("interrupting convexformer solve", () => {
  const problem = slowProblem();
  const common = ["--tolerance", "1e-10", "--max-iterations", "3000", "--json"];

  it("SIGINT keeps the best iterate (status aborted, exit 130, saved with a checkpoint); --resume reaches the uninterrupted answer", {
    timeout: 180_000,
  }, async () => {
    const save = join(mkdtempSync(join(tmpdir(), "convexformer-save-")), "run");
    const run = start(["solve", problem, ...common, "--save", save, "--checkpoint-every", "0.2"]);
    // a checkpoint on disk means the solve is under way
    await until(() => existsSync(join(save, "checkpoint.json")), 120_000);
    const sentAt = Date.now();
    run.child.kill("SIGINT");
    const interrupted = await run.done;
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain("SIGINT: stopping after this iteration");
    const line = JSON.parse(interrupted.stdout.trim());
    expect(line.status).toBe("aborted");
    expect(line.iterations).toBeGreaterThan(0);
    expect(line.iterations).toBeLessThan(3000);
    expect(line.relativeGap).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(join(save, "result.json"), "utf8"));
    expect(saved.status).toBe("aborted");
    expect(saved.objective).toBe(line.objective);
    expect(existsSync(join(save, "checkpoint.json"))).toBe(true);

    // continue where it stopped: same options from the checkpoint, written back to `save`
    const io = captureIo();
    expect(await runSolve(undefined, { solver: "fista", resume: save, json: true }, io)).toBe(1);
    const resumed = JSON.parse(io.out.join(""));
    const whole = captureIo();
    expect(
      await runSolve(
        problem,
        { solver: "fista", tolerance: 1e-10, maxIterations: 3000, json: true },
        whole,
      ),
    ).toBe(1);
    const uninterrupted = JSON.parse(whole.out.join(""));
    expect(uninterrupted.status).toBe("max-iterations");
    expect(resumed.status).toBe(uninterrupted.status);
    expect(resumed.iterations).toBe(uninterrupted.iterations);
    expect(resumed.objective).toBe(uninterrupted.objective);
    expect(resumed.relativeGap).toBe(uninterrupted.relativeGap);
    const after = JSON.parse(readFileSync(join(save, "result.json"), "utf8"));
    expect(after.iterations).toBe(3000);
  });

  it("SIGTERM stops the solve the same way with exit code 143", { timeout: 120_000 }, async () => {
    const save = join(mkdtempSync(join(tmpdir(), "convexformer-save-")), "run");
    const run = start(["solve", problem, ...common, "--save", save, "--checkpoint-every", "0.2"]);
    await until(() => existsSync(join(save, "checkpoint.json")), 100_000);
    run.child.kill("SIGTERM");
    const r = await run.done;
    expect(r.code).toBe(143);
    const line = JSON.parse(r.stdout.trim());
    expect(line.status).toBe("aborted");
    expect(JSON.parse(readFileSync(join(save, "result.json"), "utf8")).status).toBe("aborted");
  });
});
