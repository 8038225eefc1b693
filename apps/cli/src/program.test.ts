import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createProgram, programDescription } from "./program.js";

const silent = { stdout: () => {}, stderr: () => {}, interactive: false };

describe("the convexformer description", () => {
  it("lists exactly the registered commands, in order", () => {
    const program = createProgram(silent);
    const names = program.commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(0);
    const description = program.description();
    const listed = /:\s*([\w-]+(?:,\s*[\w-]+)*)\.$/.exec(description)?.[1]?.split(/,\s*/);
    expect(listed).toEqual(names);
    expect(description).toBe(programDescription(program));
  });

  it("appears in --help", async () => {
    const out: string[] = [];
    const program = createProgram({ ...silent, stdout: (t) => out.push(t) });
    await expect(program.parseAsync(["node", "convexformer", "--help"])).rejects.toThrow();
    const help = out.join("");
    for (const command of program.commands) expect(help).toContain(`  ${command.name()}`);
    // commander wraps the description to the terminal width
    const flat = (text: string) => text.replace(/\s+/g, " ");
    expect(flat(help)).toContain(flat(program.description()));
  });

  it("the package.json description names no command that does not exist", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { description: string };
    const names = new Set(createProgram(silent).commands.map((c) => c.name()));
    const listed = /:\s*([\w-]+(?:,\s*[\w-]+)+)\.?$/.exec(manifest.description)?.[1]?.split(/,\s*/);
    for (const name of listed ?? []) expect(names).toContain(name);
  });
});
