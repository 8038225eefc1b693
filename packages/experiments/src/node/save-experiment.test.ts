import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileCheckpointStore, RESULT_MANIFEST, softwareVersions } from "@convexformer/io/node";
import { describe, expect, it } from "vitest";
import { saveExperiment } from "./save-experiment.js";

describe("saveExperiment, fileCheckpointStore, softwareVersions", () => {
  it("writes result.json, command.txt and the figures a maker returns", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "cf-save-")), "e");
    const result = {
      experiment: "e3" as const,
      status: "complete" as const,
      config: {},
      seed: 0,
      software: softwareVersions(import.meta.url),
      startedAt: "now",
      timings: { total: 1 },
      metrics: { rows: [] },
      curves: {},
    };
    await saveExperiment(dir, result, {
      command: "pnpm e3",
      figures: () => ({ "table.svg": "<svg/>" }),
    });
    expect(readdirSync(dir).sort()).toEqual(
      [RESULT_MANIFEST, "command.txt", "result.json", "table.svg"].sort(),
    );
    const saved = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    expect(saved.software.packages["@convexformer/experiments"]).toBe("0.1.0");
    expect(saved.software.runtime).toMatch(/^node v/);
  });
  it("draws the registered experiment's figures when no maker is given", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "cf-save-")), "e2");
    await saveExperiment(dir, {
      experiment: "e2",
      status: "complete",
      config: { attention: "simplex" },
      seed: 0,
      software: softwareVersions(),
      startedAt: "now",
      timings: {},
      metrics: {},
      curves: { accuracy: { step: [0, 10], trainAccuracy: [0.5, 1], validationAccuracy: [0, 1] } },
    });
    expect(readdirSync(dir).sort()).toEqual(
      [RESULT_MANIFEST, "grokking.json", "grokking.svg", "result.json"].sort(),
    );
  });
  it("stores and loads checkpoints atomically", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "cf-ck-")), "sub", "checkpoint.bin");
    const store = fileCheckpointStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save({ meta: { step: 1 }, arrays: { w: new Float64Array([0.1]) } });
    await store.save({ meta: { step: 2 }, arrays: { w: new Float64Array([0.2]) } });
    const c = await store.load();
    expect(c?.meta).toEqual({ step: 2 });
    expect(c?.arrays.w?.[0]).toBe(0.2);
    expect(existsSync(path)).toBe(true);
    writeFileSync(path, "garbage");
    await expect(store.load()).rejects.toThrow(/checkpoint\.bin: not a Convexformer checkpoint/);
  });
});
