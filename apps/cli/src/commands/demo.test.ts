import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RESULT_MANIFEST } from "@convexformer/io/node";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { createProgram } from "../program.js";
import { DEMO_OUT, registerDemoCommand, runDemo } from "./demo.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

const COLUMNS = [
  "model",
  "reg. objective",
  "test error",
  "time",
  "rel. gap",
  "heads",
  "entropy",
  "eff. tokens",
  "top-1 mass",
];

describe("convexformer demo (E1)", () => {
  it("compares the three models in a table, maps each in the terminal and writes the report and figures", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-demo-"));
    const out = join(parent, "demo");
    const io = captureIo();
    expect(await runDemo({ out, config: { scale: 0.25, steps: 20 } }, io)).toBe(0);
    const lines = io.out.join("").split("\n");
    // the table: the header has every column, each model has a row with a value in each
    const header = lines.findIndex((l) => l.startsWith("model "));
    expect(header).toBeGreaterThan(-1);
    const columns = (lines[header] as string).split(/\s{2,}/).map((c) => c.trim());
    expect(columns).toEqual(COLUMNS);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    for (const [k, model] of (["convex", "simplex", "standard"] as const).entries()) {
      const cells = (lines[header + 2 + k] as string).trim().split(/\s{2,}/);
      expect(cells[0]).toBe(model);
      expect(cells).toHaveLength(COLUMNS.length);
      // the objective printed is the one in the report
      expect(Number(cells[1])).toBeCloseTo(result.metrics[model].objective, 3);
      // a terminal token map of each model, one cell a token
      expect(lines).toContain(`${model}: token map`);
      const map = lines.find((l) => l.startsWith(`${model} │`)) as string;
      expect(map.split("│")[1]?.length).toBe(2 * result.metrics.sizes.tokens);
    }
    const convexRow = (lines[header + 2] as string).trim().split(/\s{2,}/);
    expect(Number(convexRow[4])).toBeLessThanOrEqual(1e-6);
    expect(Number(convexRow[5])).toBe(result.metrics.convex.headsNeeded);
    // the Adam-trained models' heads are their fixed ones (E1's defaults: 16 simplex, 3 standard)
    expect(result.metrics.simplex.heads).toBe(16);
    expect(result.metrics.standard.heads).toBe(3);
    expect((lines[header + 3] as string).trim().split(/\s{2,}/)[5]).toBe("16");
    expect((lines[header + 4] as string).trim().split(/\s{2,}/)[5]).toBe("3");
    expect(result.experiment).toBe("e1");
    expect(result.status).toBe("complete");
    expect(result.metrics.convex.status).toBe("converged");
    expect(result.metrics.convex.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(readdirSync(out).sort()).toEqual(
      [
        RESULT_MANIFEST,
        "command.txt",
        "objective.json",
        "objective.svg",
        "result.json",
        "token-maps.json",
        "token-maps.svg",
      ].sort(),
    );
    expect(readFileSync(join(out, "command.txt"), "utf8")).toBe("convexformer demo\n");
    expect(readFileSync(join(out, "token-maps.svg"), "utf8").startsWith("<svg")).toBe(true);
    expect(readFileSync(join(out, "objective.svg"), "utf8").startsWith("<svg")).toBe(true);
    // the demo keeps no checkpoint beside its folder
    expect(readdirSync(parent)).toEqual(["demo"]);
    expect(existsSync(`${out}.checkpoint.json`)).toBe(false);
    expect(io.out.join("")).toContain(`wrote ${out}\n`);
  }, 240_000);

  it("prints one JSON line with --json", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cf-demo-")), "demo");
    const io = captureIo();
    expect(await runDemo({ out, json: true, config: { scale: 0.25, steps: 5 } }, io)).toBe(0);
    const lines = io.out.join("").trim().split("\n");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ experiment: "e1", status: "complete", out });
    expect(Object.keys(line.metrics)).toEqual(
      expect.arrayContaining(["convex", "simplex", "standard"]),
    );
  }, 240_000);

  it("registers demo with --out (default convexformer-out/demo) and --json, and no other options", () => {
    const program = new Command("convexformer");
    registerDemoCommand(program, captureIo());
    const demo = program.commands.find((c) => c.name() === "demo");
    expect(demo?.options.map((o) => o.long)).toEqual(["--out", "--json"]);
    expect(demo?.options[0]?.defaultValue).toBe(DEMO_OUT);
    expect(DEMO_OUT).toBe("convexformer-out/demo");
    // the program registers this demo, and only one
    const registered = createProgram(captureIo()).commands.filter((c) => c.name() === "demo");
    expect(registered).toHaveLength(1);
    expect(registered[0]?.description()).toBe(demo?.description());
    expect(registered[0]?.options.map((o) => o.long)).toEqual(["--out", "--json"]);
  });
});
