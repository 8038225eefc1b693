import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "@convexformer/tensors";
import { readNpyFile, writeNpyFile } from "@convexformer/tensors/node";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { runSolve } from "./solve.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

function problemDir(
  spec: object,
  arrays: Record<string, { shape: number[]; data: Float64Array }>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "convexformer-solve-"));
  writeFileSync(join(dir, "problem.json"), JSON.stringify(spec));
  return Promise.all(
    Object.entries(arrays).map(([name, a]) =>
      writeNpyFile(join(dir, name), { dtype: "float64", shape: a.shape, data: a.data }),
    ),
  ).then(() => dir);
}

describe("convexformer solve", () => {
  it("solves exact instance 1 as attention-scalar to its exact optimum 15/64", async () => {
    // N = n = 2, d = 1, X_i = indicator of token i, y = (1, −1), β = 1/8
    const dir = await problemDir(
      { kind: "attention-scalar", loss: "squared", lambda: 1 / 8 },
      {
        "X.npy": { shape: [2, 2, 1], data: new Float64Array([1, 0, 0, 1]) },
        "y.npy": { shape: [2], data: new Float64Array([1, -1]) },
      },
    );
    const io = captureIo();
    const code = await runSolve(
      dir,
      { solver: "fista", tolerance: 1e-10, json: true, save: join(dir, "out") },
      io,
    );
    expect(code).toBe(0);
    const line = JSON.parse(io.out.join(""));
    expect(line.status).toBe("converged");
    expect(line.objective).toBeCloseTo(15 / 64, 9);
    expect(line.relativeGap).toBeLessThanOrEqual(1e-10);
    expect(line.activeGroups).toBe(2);
    const x = await readNpyFile(join(dir, "out", "x.npy"));
    expect(x.shape).toEqual([2, 1]);
    expect(Array.from(x.data as Float64Array).map((v) => Number(v.toFixed(8)))).toEqual([
      0.875, -0.875,
    ]);
  });

  it("solves a group lasso from .npy files and agrees with a second solve at a tighter tolerance", async () => {
    const rng = createRng(7);
    const N = 40;
    const p = 12;
    const X = rng.fillNormal(new Float64Array(N * p));
    const y = rng.fillNormal(new Float64Array(N));
    const dir = await problemDir(
      { kind: "group-lasso", loss: "squared", lambda: 2, groups: [4, 4, 4] },
      { "X.npy": { shape: [N, p], data: X }, "y.npy": { shape: [N], data: y } },
    );
    const loose = captureIo();
    const tight = captureIo();
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-6, json: true }, loose)).toBe(0);
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-11, json: true }, tight)).toBe(0);
    const a = JSON.parse(loose.out.join(""));
    const b = JSON.parse(tight.out.join(""));
    expect(Math.abs(a.objective - b.objective) / b.objective).toBeLessThanOrEqual(2e-6);
    expect(a.dualObjective).toBeLessThanOrEqual(b.objective + 1e-9);
  });

  it("solves the scnn-form gated ReLU program with patterns 1[X g_j > 0]", async () => {
    const rng = createRng(3);
    const N = 30;
    const p = 5;
    const P = 6;
    const X = rng.fillNormal(new Float64Array(N * p));
    const G = rng.fillNormal(new Float64Array(p * P));
    const y = rng.fillNormal(new Float64Array(N));
    const dir = await problemDir(
      { kind: "gated-relu", loss: "squared", lambda: 0.5 },
      {
        "X.npy": { shape: [N, p], data: X },
        "y.npy": { shape: [N], data: y },
        "G.npy": { shape: [p, P], data: G },
      },
    );
    const io = captureIo();
    expect(
      await runSolve(
        dir,
        { solver: "fista", tolerance: 1e-9, json: true, save: join(dir, "out") },
        io,
      ),
    ).toBe(0);
    const line = JSON.parse(io.out.join(""));
    // recompute the scnn objective ½‖Σ_j D_j X w_j − y‖² + λ Σ_j ‖w_j‖₂ from the saved solution
    const W = (await readNpyFile(join(dir, "out", "x.npy"))).data as Float64Array; // P × p
    let loss = 0;
    for (let i = 0; i < N; i++) {
      let pred = 0;
      for (let j = 0; j < P; j++) {
        let gate = 0;
        let xw = 0;
        for (let k = 0; k < p; k++) {
          gate += X[i * p + k]! * G[k * P + j]!;
          xw += X[i * p + k]! * W[j * p + k]!;
        }
        if (gate > 0) pred += xw;
      }
      loss += 0.5 * (pred - y[i]!) ** 2;
    }
    let penalty = 0;
    for (let j = 0; j < P; j++) penalty += Math.hypot(...W.subarray(j * p, (j + 1) * p));
    expect(line.objective).toBeCloseTo(loss + 0.5 * penalty, 9);
  });

  it("reports a solve that stops early with exit code 1 and an honest status", async () => {
    const rng = createRng(11);
    const dir = await problemDir(
      { kind: "group-lasso", loss: "logistic", lambda: 0.05 },
      {
        "X.npy": { shape: [60, 30], data: rng.fillNormal(new Float64Array(60 * 30)) },
        "y.npy": {
          shape: [60],
          data: Float64Array.from({ length: 60 }, (_, i) => (i % 2 ? 1 : -1)),
        },
      },
    );
    const io = captureIo();
    expect(
      await runSolve(dir, { solver: "fista", tolerance: 1e-12, maxIterations: 2, json: true }, io),
    ).toBe(1);
    const line = JSON.parse(io.out.join(""));
    expect(line.status).toBe("max-iterations");
    expect(line.relativeGap).toBeGreaterThan(1e-12);
  });

  it.each([
    [{ kind: "lasso", loss: "squared", lambda: 1 }, "kind must be one of"],
    [{ kind: "group-lasso", loss: "squared", lambda: 0 }, "lambda must be a finite number > 0"],
    [{ kind: "group-lasso", loss: "squared", lambda: 1, tol: 3 }, 'unknown field "tol"'],
    [
      { kind: "group-lasso", loss: "squared", lambda: 1, groups: [2, 2] },
      "groups sum to 4, X.npy has 3 columns",
    ],
  ])("exits 2 with a one-line error naming problem.json for %j", async (spec, message) => {
    const dir = await problemDir(spec, {
      "X.npy": { shape: [2, 3], data: new Float64Array(6).fill(1) },
      "y.npy": { shape: [2], data: new Float64Array([1, 2]) },
    });
    const io = captureIo();
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-6 }, io)).toBe(2);
    const err = io.err.join("");
    expect(err).toContain("problem.json");
    expect(err).toContain(message);
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 naming the file for a truncated .npy and for targets of the wrong length", async () => {
    const dir = await problemDir(
      { kind: "group-lasso", loss: "squared", lambda: 1 },
      {
        "X.npy": { shape: [2, 3], data: new Float64Array(6).fill(1) },
        "y.npy": { shape: [3], data: new Float64Array([1, 2, 3]) },
      },
    );
    const io = captureIo();
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-6 }, io)).toBe(2);
    expect(io.err.join("")).toMatch(/y\.npy: has 3 target rows, X\.npy implies 2/);

    const bytes = (await import("node:fs")).readFileSync(join(dir, "X.npy"));
    writeFileSync(join(dir, "X.npy"), bytes.subarray(0, bytes.length - 8));
    const io2 = captureIo();
    expect(await runSolve(dir, { solver: "fista", tolerance: 1e-6 }, io2)).toBe(2);
    expect(io2.err.join("")).toContain("X.npy");
  });

  it("exits 2 for an unknown solver, listing the registered ones", async () => {
    const io = captureIo();
    expect(await runSolve("/nonexistent", { solver: "newton", tolerance: 1e-6 }, io)).toBe(2);
    expect(io.err.join("")).toContain('unknown solver "newton"');
  });
});
