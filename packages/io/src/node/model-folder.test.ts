import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitConvexAttention } from "@convexformer/attention";
import { TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { UsageError } from "../usage-error.js";
import {
  type ModelFolderContents,
  readModelFolder,
  readModelSolution,
  writeModelFolder,
} from "./model-folder.js";
import { RESULT_MANIFEST } from "./write-result-folder.js";

const X = new TokenBatch(
  4,
  2,
  2,
  Float64Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)),
);

describe("writeModelFolder / readModelFolder", () => {
  it("round-trips a gated fit: the model predicts the same, the solution is the fit's", async () => {
    const fit = fitConvexAttention(X, {
      model: "gated",
      targets: new Float64Array([1, -1, 0.5, 2]),
      lambdaRatio: 0.1,
      gates: 3,
      gateSeed: 1,
    });
    const dir = join(mkdtempSync(join(tmpdir(), "cf-model-")), "model");
    const contents: ModelFolderContents = {
      fit,
      record: { loss: "squared", seed: 0 },
      metrics: { loss: "squared" },
      trainSamples: 4,
      samples: 4,
      predictions: fit.predict(X),
      files: { "command.txt": "fit\n" },
    };
    await writeModelFolder(dir, contents);
    expect(readdirSync(dir).sort()).toEqual(
      [
        RESULT_MANIFEST,
        "certificate.json",
        "command.txt",
        "fit.json",
        "metrics.json",
        "model.json",
        "predictions.npy",
        "solution.json",
      ].sort(),
    );
    const saved = await readModelFolder(dir);
    expect(saved.loss).toBe("squared");
    expect(saved.model.model).toBe("gated");
    expect(saved.text).toBeUndefined();
    expect(Array.from(saved.model.predict(X))).toEqual(Array.from(fit.predict(X)));
    const solution = await readModelSolution(dir);
    expect(solution.kind).toBe("token");
    expect(solution.samples).toBe(4);
    // JSON has no -0: the entries are equal as numbers
    expect(Array.from(solution.x)).toEqual(Array.from(fit.solution, (v) => v + 0));
    if (solution.kind !== "token" || fit.problem.gates === undefined) throw new Error("gated");
    expect(Array.from(solution.gates?.u1 ?? [])).toEqual(Array.from(fit.problem.gates.u1));
  });

  it("names the folder, the file and the field of what it cannot read", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-model-"));
    await expect(readModelFolder(join(parent, "none"))).rejects.toThrow(
      `<model> ${join(parent, "none")}: no such folder`,
    );
    await expect(readModelFolder(parent, "<result>")).rejects.toBeInstanceOf(UsageError);
    writeFileSync(join(parent, "solution.json"), '{"layout": {}, "samples": 1, "x": [1, "a"]}');
    await expect(readModelSolution(parent)).rejects.toThrow(/x\[1\] must be a finite number/);
  });
});

describe("writeModelFolder's further files", () => {
  it("refuses one that would replace a file of the model", async () => {
    const Y = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const fit = fitConvexAttention(Y, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 1 / 8,
    });
    const dir = join(mkdtempSync(join(tmpdir(), "cf-model-")), "model");
    await expect(
      writeModelFolder(dir, {
        fit,
        record: { loss: "squared" },
        metrics: {},
        trainSamples: 2,
        samples: 2,
        predictions: fit.predict(Y),
        files: { "model.json": "{}" },
      }),
    ).rejects.toThrow(/model\.json/);
  });
});
