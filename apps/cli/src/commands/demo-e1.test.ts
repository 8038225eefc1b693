import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { registerDemoE1Command, runDemoE1 } from "./demo-e1.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

describe("convexformer demo (E1 version)", () => {
  it("compares the three models in a table, maps them in the terminal and writes the report", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "cf-demo-")), "demo");
    const io = captureIo();
    expect(await runDemoE1({ out, config: { scale: 0.25, steps: 20 } }, io)).toBe(0);
    const text = io.out.join("");
    for (const model of ["convex", "simplex", "standard"]) expect(text).toContain(model);
    expect(text).toMatch(/token map/);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    expect(result.experiment).toBe("e1");
    expect(result.status).toBe("complete");
    expect(result.metrics.convex.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(readFileSync(join(out, "command.txt"), "utf8")).toBe("convexformer demo\n");
    expect(readFileSync(join(out, "token-maps.svg"), "utf8").startsWith("<svg")).toBe(true);
  }, 240_000);

  it("registers demo with --out and --json", () => {
    const program = new Command("convexformer");
    registerDemoE1Command(program, captureIo());
    const demo = program.commands.find((c) => c.name() === "demo");
    expect(demo?.options.map((o) => o.long)).toEqual(["--out", "--json"]);
  });
});
