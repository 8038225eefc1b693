import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProblemDirectory, parseSpec } from "@convexformer/io/node";
import { writeNpy } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./cli-io.js";
import { runDemo } from "./commands/demo.js";
import { runSolve } from "./commands/solve.js";
import { solveJob } from "./commands/solve-job.js";
import { decimalOption, integerOption } from "./numeric-options.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

type Arrays = Record<string, { shape: number[]; data: Float64Array }>;

function problemDir(spec: object | string, arrays: Arrays): string {
  const dir = mkdtempSync(join(tmpdir(), "convexformer-bad-"));
  writeFileSync(join(dir, "problem.json"), typeof spec === "string" ? spec : JSON.stringify(spec));
  for (const [name, a] of Object.entries(arrays))
    writeFileSync(join(dir, name), writeNpy({ dtype: "float64", shape: a.shape, data: a.data }));
  return dir;
}

const seq = (n: number, f: (i: number) => number = (i) => Math.sin(i + 1)) =>
  Float64Array.from({ length: n }, (_, i) => f(i));
const lasso = { kind: "group-lasso", loss: "squared", lambda: 0.5 };
const lassoArrays = (): Arrays => ({
  "X.npy": { shape: [4, 3], data: seq(12) },
  "y.npy": { shape: [4], data: seq(4) },
});
const tokens = (N: number, n: number, d: number): Arrays => ({
  "X.npy": { shape: [N, n, d], data: seq(N * n * d) },
  "y.npy": { shape: [N], data: seq(N) },
});

async function loadError(dir: string, memoryLimitBytes?: number): Promise<string> {
  try {
    await loadProblemDirectory(dir, memoryLimitBytes === undefined ? {} : { memoryLimitBytes });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the problem to be refused");
}

describe("outputs are checked before any work", () => {
  const root = mkdtempSync(join(tmpdir(), "convexformer-out-"));
  const file = join(root, "a-file");
  writeFileSync(file, "x");

  it("solve and demo exit 2 with one line naming the option, before loading or fitting", async () => {
    const dir = problemDir(lasso, lassoArrays());
    const io = captureIo();
    const t0 = Date.now();
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-6, save: file }, io)).toBe(2);
    expect(io.err.join("")).toMatch(
      /^convexformer solve: --save .*a-file: exists and is not a directory\n$/,
    );
    const demo = captureIo();
    const code = await runDemo({ out: file }, demo);
    expect(code).toBe(2);
    expect(demo.err.join("")).toMatch(
      /^convexformer demo: --out .*a-file: exists and is not a directory\n$/,
    );
    // no worker was started (that alone takes far longer)
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(demo.out).toEqual([]);
  });
});

describe("sizes from the input are bounded before allocation", () => {
  it("refuses gates.count 1e12 and 5e7 in problem.json, naming gates.count as written", () => {
    for (const count of ["1e12", "5e7"]) {
      expect(() =>
        parseSpec(
          `{"kind":"attention-gated","loss":"squared","lambda":1,"gates":{"count":${count}}}`,
          "p/problem.json",
        ),
      ).toThrow(`p/problem.json: gates.count must be an integer in [1, 10000000]; got ${count}`);
    }
  });

  it("refuses a gate count whose memory exceeds the limit, naming gates.count and the bytes", async () => {
    const dir = problemDir(
      { kind: "attention-gated", loss: "squared", lambda: 1, gates: { count: 1_000_000 } },
      tokens(50, 4, 4),
    );
    expect(await loadError(dir, 2 ** 30)).toMatch(
      /problem\.json: gates\.count = 1000000 needs about [0-9.]+ GB .*; the memory limit is 1\.07 GB/,
    );
  });

  it("requires classes when the largest label implies an unreasonable count", async () => {
    for (const label of [1e9, 2e7]) {
      const dir = problemDir(
        { kind: "attention-vector", loss: "cross-entropy", lambda: 1 },
        { ...tokens(4, 2, 2), "y.npy": { shape: [4], data: new Float64Array([0, 1, label, 1]) } },
      );
      expect(await loadError(dir)).toContain(
        `y.npy: the largest label, ${label} (sample 2), would mean ${label + 1} classes; set "classes"`,
      );
    }
    const many = problemDir(
      { kind: "attention-vector", loss: "cross-entropy", lambda: 1, classes: 9_000_000 },
      { ...tokens(4, 2, 2), "y.npy": { shape: [4], data: new Float64Array([0, 1, 2, 1]) } },
    );
    expect(await loadError(many, 2 ** 28)).toMatch(/9000000 classes × 4 rows need about .* MB/);
    const above = problemDir(
      { kind: "attention-vector", loss: "cross-entropy", lambda: 1, classes: 3 },
      { ...tokens(4, 2, 2), "y.npy": { shape: [4], data: new Float64Array([0, 1, 7, 1]) } },
    );
    expect(await loadError(above)).toContain(
      "y.npy: sample 2 is 7; with classes = 3 labels must be < 3",
    );
  });

  it("refuses a file larger than the memory limit before reading it", async () => {
    const dir = problemDir(lasso, lassoArrays());
    expect(await loadError(dir, 100)).toMatch(
      /X\.npy: 224 bytes exceeds the memory limit of 100 bytes/,
    );
  });
});

describe("data errors name the file and the entry", () => {
  it("NaN in G.npy is rejected (it would silently close a gate), by feature and gate", async () => {
    const G = seq(6);
    G[4] = Number.NaN;
    const dir = problemDir(
      { kind: "gated-relu", loss: "squared", lambda: 1 },
      { ...lassoArrays(), "G.npy": { shape: [3, 2], data: G } },
    );
    expect(await loadError(dir)).toMatch(
      /G\.npy: feature 2, gate 0 is NaN; entries must be finite/,
    );
  });

  it("non-finite X and y entries are named by sample, token and feature", async () => {
    const arrays = tokens(3, 2, 2);
    arrays["X.npy"]!.data[6] = Number.POSITIVE_INFINITY;
    const dir = problemDir({ kind: "attention-scalar", loss: "squared", lambda: 1 }, arrays);
    expect(await loadError(dir)).toMatch(/X\.npy: sample 1, token 1, feature 0 is Infinity/);
    const y = lassoArrays();
    y["y.npy"]!.data[3] = Number.NaN;
    expect(await loadError(problemDir(lasso, y))).toMatch(/y\.npy: sample 3 is NaN/);
    const labels = problemDir(
      { kind: "attention-vector", loss: "cross-entropy", lambda: 1 },
      { ...tokens(3, 2, 2), "y.npy": { shape: [3], data: new Float64Array([0, 2.5, 1]) } },
    );
    expect(await loadError(labels)).toContain(
      "y.npy: sample 1 is 2.5; cross-entropy labels must be integers",
    );
  });

  it("prints numbers as written in problem.json (1e400, not null)", () => {
    expect(() =>
      parseSpec('{"kind":"group-lasso","loss":"squared","lambda": 1e400}', "problem.json"),
    ).toThrow("lambda must be a finite number > 0; got 1e400");
  });

  it("reports a symbolic link loop at X.npy as such", async () => {
    const dir = mkdtempSync(join(tmpdir(), "convexformer-loop-"));
    writeFileSync(join(dir, "problem.json"), JSON.stringify(lasso));
    symlinkSync(join(dir, "X.npy"), join(dir, "X.npy"));
    expect(await loadError(dir)).toMatch(/X\.npy: symbolic link loop/);
  });

  it("rejects group-lasso with cross-entropy with the reason, not the label file", () => {
    expect(() =>
      parseSpec('{"kind":"group-lasso","loss":"cross-entropy","lambda":1}', "problem.json"),
    ).toThrow(/predicts one number per sample, and the cross-entropy loss needs one per class/);
  });

  it("keeps gate files inside the problem folder", async () => {
    for (const path of ["../U1.npy", "/etc/U1.npy", "a/../../U1.npy"]) {
      expect(() =>
        parseSpec(
          JSON.stringify({
            kind: "attention-gated",
            loss: "squared",
            lambda: 1,
            gates: { u1: path, u2: "U2.npy" },
          }),
          "problem.json",
        ),
      ).toThrow("gates.u1 must be a file inside the problem folder");
    }
    const outside = mkdtempSync(join(tmpdir(), "convexformer-outside-"));
    writeFileSync(
      join(outside, "U1.npy"),
      writeNpy({ dtype: "float64", shape: [1, 2], data: seq(2) }),
    );
    const dir = problemDir(
      {
        kind: "attention-gated",
        loss: "squared",
        lambda: 1,
        gates: { u1: "U1.npy", u2: "U2.npy" },
      },
      { ...tokens(3, 2, 2), "U2.npy": { shape: [1, 2], data: seq(2) } },
    );
    symlinkSync(join(outside, "U1.npy"), join(dir, "U1.npy"));
    expect(await loadError(dir)).toMatch(/gates\.u1 "U1\.npy" leads outside the problem folder/);
  });
});

describe("options", () => {
  it("--tol must lie in (0, 1) and numbers must be decimal", () => {
    const tol = decimalOption("--tol", { min: 0, max: 1 });
    expect(tol("1e-8")).toBe(1e-8);
    for (const bad of ["2", "1", "0", "-1e-3", "0x10", "Infinity", "", " 0.5", "1e-3s"])
      expect(() => tol(bad)).toThrow(/--tol must be a (decimal|finite) number > 0 and < 1/);
    const iters = integerOption("--max-iter");
    expect(iters("250")).toBe(250);
    for (const bad of ["0x10", "1e3", "2.5", "0", "-4"])
      expect(() => iters(bad)).toThrow(
        `--max-iter must be a whole number >= 1 in decimal digits; got "${bad}"`,
      );
  });

  it("the interior point on a problem too large for its dense system says so and names fista", async () => {
    const dir = problemDir(lasso, {
      "X.npy": { shape: [20, 400], data: seq(8000) },
      "y.npy": { shape: [20], data: seq(20) },
    });
    const previous = process.env.CONVEXFORMER_MEMORY_LIMIT;
    process.env.CONVEXFORMER_MEMORY_LIMIT = String(200_000);
    try {
      const context = { signal: new AbortController().signal, report: () => {} };
      await expect(
        solveJob({ dir, solver: "ipm", tolerance: 1e-6, startedAt: Date.now() }, context),
      ).rejects.toThrow(
        /--solver ipm: the problem has 400 variables.*needs about 259 kB.*use --solver fista/,
      );
    } finally {
      if (previous === undefined) delete process.env.CONVEXFORMER_MEMORY_LIMIT;
      else process.env.CONVEXFORMER_MEMORY_LIMIT = previous;
    }
  });
});

describe("--time-limit covers loading and set-up", () => {
  it("a limit shorter than the gate sampling ends within 10% or 50 ms of it", async () => {
    const N = 2000;
    const dir = problemDir(
      { kind: "attention-gated", loss: "squared", lambda: 1, gates: { count: 40_000, seed: 1 } },
      tokens(N, 4, 4),
    );
    const context = { signal: new AbortController().signal, report: () => {} };
    // the set-up alone (40,000 gates on 2,000 samples) takes far longer than the limit
    const limitMs = 500;
    const t0 = Date.now();
    const out = await solveJob(
      { dir, solver: "fista", tolerance: 1e-6, timeLimitMs: limitMs, startedAt: t0 },
      context,
    );
    const spent = Date.now() - t0;
    expect(out).toEqual({ setupInterrupted: "the time limit passed while loading the problem" });
    expect(spent).toBeLessThanOrEqual(Math.max(1.1 * limitMs, limitMs + 50));
  });
});
