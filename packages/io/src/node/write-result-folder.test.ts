import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RESULT_MANIFEST, recoverResultFolder, writeResultFolder } from "./write-result-folder.js";

/** Files of generation `g`: result.json names g, x.bin is 256 kB of g (so the pair must agree). */
function generation(g: number): Record<string, string | Uint8Array> {
  return {
    "result.json": `${JSON.stringify({ generation: g })}\n`,
    "x.bin": new Uint8Array(256 * 1024).fill(g % 251),
  };
}

/** Checks that `dir` holds one complete, self-consistent generation; returns it. */
function checkComplete(dir: string): number {
  const names = readdirSync(dir).sort();
  expect(names).toEqual([RESULT_MANIFEST, "result.json", "x.bin"].sort());
  const manifest = JSON.parse(readFileSync(join(dir, RESULT_MANIFEST), "utf8"));
  expect(manifest.files.sort()).toEqual(["result.json", "x.bin"]);
  const g = JSON.parse(readFileSync(join(dir, "result.json"), "utf8")).generation as number;
  const x = readFileSync(join(dir, "x.bin"));
  expect(x.length).toBe(256 * 1024);
  expect(x.every((b) => b === g % 251)).toBe(true);
  return g;
}

describe("writeResultFolder", () => {
  it("replaces a folder as a whole and leaves no debris", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-result-"));
    const dir = join(parent, "run");
    await writeResultFolder(dir, generation(1));
    expect(checkComplete(dir)).toBe(1);
    await writeResultFolder(dir, generation(2));
    expect(checkComplete(dir)).toBe(2);
    expect(readdirSync(parent)).toEqual(["run"]);
    // the files the new result does not name are gone with the old one
    await writeResultFolder(dir, { "result.json": "{}" });
    expect(readdirSync(dir).sort()).toEqual([RESULT_MANIFEST, "result.json"]);
  });

  it("creates missing parents, and refuses a parent that cannot be created, naming dir", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-result-"));
    const deep = join(parent, "a", "b", "run");
    await writeResultFolder(deep, generation(3));
    expect(checkComplete(deep)).toBe(3);
    writeFileSync(join(parent, "file"), "x");
    await expect(writeResultFolder(join(parent, "file", "run"), generation(1))).rejects.toThrow(
      /^dir = ".*file\/run": its parent cannot be created/,
    );
  });

  it("a failed write keeps the old result and removes its temporary folder", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-result-"));
    const dir = join(parent, "run");
    await writeResultFolder(dir, generation(1));
    for (const name of ["a/b", "..", "", "a\\b", "a\0b", RESULT_MANIFEST])
      await expect(writeResultFolder(dir, { [name]: "x" })).rejects.toMatchObject({
        name: "InvalidOptionError",
        code: "invalid-option",
        argument: "files",
      });
    await expect(writeResultFolder(dir, { "../evil": "" })).rejects.toThrow(
      /^files = "\.\.\/evil": must be a plain file name/,
    );
    // a file that cannot be written (its name is too long) after one that was: ENAMETOOLONG
    const bad = { ...generation(2), ["n".repeat(300)]: "x" };
    await expect(writeResultFolder(dir, bad)).rejects.toThrow(/ENAMETOOLONG/);
    expect(checkComplete(dir)).toBe(1);
    expect(readdirSync(parent)).toEqual(["run"]);
    expect(readdirSync(parent).some((n) => n.includes(".partial"))).toBe(false);
  });

  it("recovery restores the old result after a crash between the two renames, and clears debris", async () => {
    const parent = mkdtempSync(join(tmpdir(), "cf-result-"));
    const dir = join(parent, "run");
    await writeResultFolder(dir, generation(5));
    // what a crash between `dir → dir.old-<pid>` and `dir.tmp-<pid> → dir` leaves (a dead pid)
    const dead = 2 ** 22 + 17;
    const { renameSync } = await import("node:fs");
    renameSync(dir, `${dir}.old-${dead}`);
    mkdirSync(`${dir}.tmp-${dead}`);
    writeFileSync(join(`${dir}.tmp-${dead}`, "result.json"), "{");
    expect((await recoverResultFolder(dir)).sort()).toEqual([`run.old-${dead}`, `run.tmp-${dead}`]);
    expect(checkComplete(dir)).toBe(5);
    expect(readdirSync(parent)).toEqual(["run"]);
    // debris of a live process (this one's parent) is left alone
    mkdirSync(`${dir}.tmp-${process.ppid}`);
    expect(await recoverResultFolder(dir)).toEqual([]);
  });

  it("a SIGKILL at random instants of a save loop always leaves one complete result (50 trials)", {
    timeout: 240_000,
  }, async () => {
    // bundle this source file with its one import (the error class) once, run it in plain node
    const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
    const work = mkdtempSync(join(tmpdir(), "cf-kill-"));
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL("./write-result-folder.ts", import.meta.url))],
      outfile: join(work, "write-result-folder.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      conditions: ["@convexformer/source"],
      logLevel: "error",
    });
    writeFileSync(
      join(work, "save-loop.mjs"),
      `import { writeResultFolder } from "./write-result-folder.mjs";
const dir = process.argv[2];
const block = (g) => ({ "result.json": JSON.stringify({ generation: g }) + "\\n", "x.bin": new Uint8Array(256 * 1024).fill(g % 251) });
process.stdout.write("ready\\n");
for (let g = 1; ; g++) await writeResultFolder(dir, block(g));
`,
    );
    let debrisSeen = 0;
    let advanced = 0;
    const trials = 50;
    const batch = 5;
    const trial = async (t: number) => {
      const parent = join(work, `t${t}`);
      mkdirSync(parent);
      const dir = join(parent, "run");
      await writeResultFolder(dir, generation(0));
      const child: ChildProcess = spawn(process.execPath, [join(work, "save-loop.mjs"), dir], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 80));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      const before = readdirSync(parent);
      if (before.some((n) => n !== "run")) debrisSeen++;
      // start-up recovery, as every writer runs it; then exactly one complete result
      await recoverResultFolder(dir);
      expect(readdirSync(parent)).toEqual(["run"]);
      if (checkComplete(dir) > 0) advanced++;
    };
    for (let t = 0; t < trials; t += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, trials - t) }, (_, k) => trial(t + k)),
      );
    }
    // the kills landed both mid-save (debris) and after saves completed
    expect(debrisSeen).toBeGreaterThan(0);
    expect(advanced).toBeGreaterThan(0);
    expect(existsSync(work)).toBe(true);
  });
});
