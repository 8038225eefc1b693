import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { findRepositoryRoot } from "../repository-root.js";
import { runBench } from "./bench.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

describe("convexformer bench", () => {
  it("says clearly that the benchmarks need a clone when run outside one (exit 2)", async () => {
    const io = captureIo();
    expect(await runBench("tensors", [], io, tmpdir())).toBe(2);
    expect(io.err.join("")).toMatch(
      /^convexformer bench: the benchmark scripts \(packages\/\*\/bench\/\*\.bench\.ts\) are not shipped with the package; run convexformer bench from a clone/,
    );
    expect(io.out).toEqual([]);
  });

  it("finds this repository and passes the GEMM benchmark's JSON through", async () => {
    const root = findRepositoryRoot();
    const io = captureIo();
    expect(await runBench("tensors", ["--quick"], io, root)).toBe(0);
    const report = JSON.parse(io.out.join(""));
    expect(report.benchmark).toBe("gemm");
    expect(report.quick).toBe(true);
    expect(report.results.map((r: { n: number }) => r.n)).toEqual([256, 512]);
    expect(report.results[0].js.gflops).toBeGreaterThan(0);
  }, 240_000);
});
