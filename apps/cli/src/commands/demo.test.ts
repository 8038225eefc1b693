import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNpyFile } from "@convexformer/tensors/node";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { runDemo } from "./demo.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

describe("convexformer demo", () => {
  it("certifies the optimum on the embedded dataset, recovers the planted tokens 2 and 5 exactly", async () => {
    const out = mkdtempSync(join(tmpdir(), "convexformer-demo-"));
    const io = captureIo();
    const code = await runDemo(
      { out, lambdaRatio: 0.01, trainFraction: 0.75, solver: "fista", tol: 1e-8 },
      io,
    );
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(result.status).toBe("converged");
    expect(result.relativeGap).toBeLessThanOrEqual(1e-8);
    expect(result.activeTokens).toEqual([2, 5]);
    expect(result.headsNeeded).toBe(2);
    expect(result.recoveryRelativeDifference).toBeLessThanOrEqual(1e-10);
    // noise variance is 0.01; the held-out error must be close to it
    expect(result.test.mse).toBeLessThan(0.05);
    const z = await readNpyFile(join(out, "z.npy"));
    expect(z.shape).toEqual([8, 6]);
    const svg = readFileSync(join(out, "token-importance.svg"), "utf8");
    expect(svg).toMatch(/^<svg /);
    expect(svg.match(/<rect x=/g)).toHaveLength(8);
    expect(io.out.join("")).toContain("certified global optimum");
  });

  it("exits 2 naming the file when --data points at a folder without X.npy", async () => {
    const io = captureIo();
    const empty = mkdtempSync(join(tmpdir(), "convexformer-demo-empty-"));
    const code = await runDemo(
      {
        data: empty,
        out: join(empty, "out"),
        lambdaRatio: 0.01,
        trainFraction: 0.75,
        solver: "fista",
        tol: 1e-8,
      },
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join("")).toContain("X.npy");
  });
});
