import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { runExperiment } from "./experiment.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

const tsx = createRequire(import.meta.url).resolve("tsx");
const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));
const node = [process.execPath, "--conditions=@convexformer/source", "--import", tsx, bin] as const;

function convexformer(...args: string[]) {
  return spawnSync(node[0], [...node.slice(1), ...args], { encoding: "utf8", timeout: 120_000 });
}

const E2_TINY = ["--prime", "11", "--width", "16", "--heads", "2", "--layers", "1"];

describe("convexformer experiment", () => {
  it("e2 at a tiny size writes the result, the command and the grokking figure", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cf-exp-")), "e2");
    const io = captureIo();
    const code = await runExperiment(
      {
        experiment: "e2",
        config: { prime: 11, width: 16, heads: 2, layers: 1, steps: 60, evaluateEvery: 20 },
        resume: false,
      },
      { out, command: "convexformer experiment e2 --prime 11" },
      io,
    );
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(result.experiment).toBe("e2");
    expect(result.status).toBe("complete");
    expect(result.curves.accuracy.step).toEqual([0, 20, 40, 60]);
    expect(readFileSync(join(out, "command.txt"), "utf8")).toBe(
      "convexformer experiment e2 --prime 11\n",
    );
    const svg = readFileSync(join(out, "grokking.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("validation");
    expect(
      JSON.parse(readFileSync(join(out, "grokking.json"), "utf8")).data.length,
    ).toBeGreaterThan(0);
    expect(io.out.join("")).toMatch(/fit step/);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  }, 120_000);

  it("e2-convex reports its certified train and validation accuracy", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cf-exp-")), "e2c");
    const io = captureIo();
    const code = await runExperiment(
      { experiment: "e2-convex", config: { prime: 7, gates: 4 }, resume: false },
      { out, command: "convexformer experiment e2-convex", json: true },
      io,
    );
    expect(code).toBe(0);
    const line = JSON.parse(io.out.join(""));
    expect(line.status).toBe("complete");
    expect(line.metrics.status).toBe("converged");
    expect(line.metrics.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(line.metrics.trainAccuracy).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it("refuses an --out that is a file before any work, naming the option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-exp-"));
    const file = join(dir, "taken");
    writeFileSync(file, "x");
    const io = captureIo();
    const code = await runExperiment(
      { experiment: "e2", config: { prime: 11 }, resume: false },
      { out: file, command: "" },
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join("")).toMatch(/--out .*taken: exists and is not a directory/);
  });

  it("rejects bad option values with exit 2 and one line naming the option", () => {
    const bad = convexformer("experiment", "e2", "--attention", "sparse");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--attention must be one of softmax, simplex; got "sparse"/);
    const prime = convexformer("experiment", "e2", "--prime", "0x10");
    expect(prime.status).toBe(2);
    expect(prime.stderr).toMatch(/--prime/);
    const unknown = convexformer("experiment", "e9");
    expect(unknown.status).toBe(2);
  }, 60_000);

  it("lists the registered experiments in experiment --help", () => {
    const help = convexformer("experiment", "--help");
    expect(help.status).toBe(0);
    for (const name of ["e1", "e2", "e2-convex", "e3", "text"])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${name} `));
  }, 60_000);

  it("names a missing records file of the text task", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cf-exp-")), "text");
    const r = convexformer(
      "experiment",
      "text",
      "/nonexistent/records.jsonl",
      "--embeddings",
      "/nonexistent/glove.txt",
      "--out",
      out,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/records\.jsonl/);
  }, 60_000);

  it("SIGINT keeps what was computed (exit 130), and --resume continues to the uninterrupted curves", async () => {
    const root = mkdtempSync(join(tmpdir(), "cf-exp-"));
    const args = [
      "experiment",
      "e2",
      ...E2_TINY,
      "--steps",
      "400",
      "--evaluate-every",
      "50",
      "--checkpoint-every",
      "25",
      "--no-stop",
    ];
    const reference = convexformer(...args, "--out", join(root, "reference"));
    expect(reference.status, reference.stderr).toBe(0);
    const out = join(root, "interrupted");
    const child = spawn(node[0], [...node.slice(1), ...args, "--out", out], { stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    // interrupt once the first checkpoint is on disk
    const started = Date.now();
    while (!existsSync(`${out}.checkpoint.json`) && Date.now() - started < 60_000)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    expect(await exit, stderr).toBe(130);
    const aborted = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(aborted.status).toBe("aborted");
    expect(existsSync(`${out}.checkpoint.json`)).toBe(true);
    const resumed = convexformer(...args, "--out", out, "--resume");
    expect(resumed.status, resumed.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(root, "reference", "result.json"), "utf8"));
    const b = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(b.status).toBe("complete");
    expect(b.curves.accuracy.step).toEqual(a.curves.accuracy.step);
    expect(b.curves.accuracy.trainAccuracy).toEqual(a.curves.accuracy.trainAccuracy);
    expect(b.curves.accuracy.validationAccuracy).toEqual(a.curves.accuracy.validationAccuracy);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
  }, 240_000);
});
