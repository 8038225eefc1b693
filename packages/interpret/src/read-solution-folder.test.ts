import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitConvexAttention } from "@convexformer/attention";
import { createRng, Matrix, TokenBatch } from "@convexformer/tensors";
import { writeNpyFile } from "@convexformer/tensors/node";
import { describe, expect, it } from "vitest";
import { readSolutionFolder } from "./read-solution-folder.js";
import { tokenMap } from "./token-map.js";
import { tokenMapOf } from "./token-map-of.js";

async function folder(result: unknown, z?: Matrix): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "interpret-run-"));
  await writeFile(
    join(dir, "result.json"),
    typeof result === "string" ? result : JSON.stringify(result),
  );
  if (z !== undefined) await writeNpyFile(join(dir, "z.npy"), z);
  return dir;
}

describe("readSolutionFolder (node entry)", () => {
  it("reads a demo-style folder into the same token map as the fit it came from", async () => {
    const rng = createRng(5);
    const X = new TokenBatch(30, 6, 3, rng.fillNormal(new Float64Array(540)));
    const y = Float64Array.from({ length: 30 }, (_, i) => X.get(i, 1, 0) - X.get(i, 4, 2));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: y,
      lambdaRatio: 0.05,
      tolerance: 1e-10,
    });
    const dir = await folder(
      {
        program: "(9) scalar convex attention, squared loss ½Σ(ŷ−y)²",
        shape: { samples: 40, tokens: 6, features: 3, train: 30 },
      },
      new Matrix(6, 3, fit.solution),
    );
    const s = await readSolutionFolder(dir);
    const m = tokenMap(s);
    const direct = tokenMapOf(fit);
    expect(direct.kind === "token" && direct.support).toEqual(m.support);
    expect(m.support.bound).toBe(31);
    expect(Array.from(m.perToken)).toEqual(Array.from(direct.perToken));
  });

  it("rejects missing, corrupt, oversized-shape and foreign folders, naming the file", async () => {
    await expect(readSolutionFolder(join(tmpdir(), "no-such-run-folder"))).rejects.toThrow(
      /result\.json: cannot read/,
    );
    await expect(readSolutionFolder(await folder("{not json"))).rejects.toThrow(
      expect.objectContaining({ code: "corrupt-file" }),
    );
    await expect(readSolutionFolder(await folder({ program: "(12) vector" }))).rejects.toThrow(
      expect.objectContaining({ code: "unsupported-format" }),
    );
    await expect(
      readSolutionFolder(
        await folder({ program: "(9)", shape: { tokens: 0, features: 1, samples: 1 } }),
      ),
    ).rejects.toThrow(/shape\.tokens: must be an integer >= 1, got 0/);
    await expect(
      readSolutionFolder(
        await folder(
          { program: "(9)", shape: { tokens: 3, features: 1, samples: 1 } },
          Matrix.fromRows([[1], [2]]),
        ),
      ),
    ).rejects.toThrow(/z\.npy: expected 3 × 1 \(result\.json shape\), got 2 × 1/);
  });
});
