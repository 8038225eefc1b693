/**
 * `docs/adding-an-experiment.md` works as written: its code blocks marked `file=<name>` are
 * extracted verbatim into `packages/experiments/.doc-check/` (git-ignored; inside the package,
 * so `@convexformer/experiments` resolves to this package's source by self-reference),
 * type-checked under the workspace's strict settings (the `@ts-expect-error` lines must be
 * errors), linted with Biome, and the doc's own test block runs here (its `it`s register in
 * this file).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(packageRoot, "../..");
const docPath = join(repoRoot, "docs/adding-an-experiment.md");
const outDir = join(packageRoot, ".doc-check");

/** The fenced blocks (of three or more backticks) whose info string is `ts file=<name>`. */
function extractFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const fence = /^(`{3,})ts file=([\w.-]+)[ \t]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const [, , name, body] = match;
    if (name === undefined || body === undefined) continue;
    if (files.has(name))
      throw new Error(`docs/adding-an-experiment.md: two blocks for file=${name}`);
    files.set(name, body);
  }
  return files;
}

const files = extractFiles(readFileSync(docPath, "utf8"));
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
for (const [name, body] of files) writeFileSync(join(outDir, name), body);
writeFileSync(
  join(outDir, "tsconfig.json"),
  JSON.stringify({
    extends: "../../../tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      incremental: false,
      declaration: false,
      declarationMap: false,
      types: ["node"],
    },
    include: ["*.ts"],
  }),
);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("docs/adding-an-experiment.md", () => {
  it("has the descriptor, its registration and its test as file blocks", () => {
    expect([...files.keys()].sort()).toEqual([
      "mean-experiment.test.ts",
      "mean-experiment.ts",
      "register.ts",
    ]);
  });

  it("type-checks as printed (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)", () => {
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], {
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(`${run.stdout}${run.stderr}`).toBe("");
    expect(run.status).toBe(0);
  }, 300_000);

  it("passes Biome as printed (import order, formatting, lint)", () => {
    const biome = join(repoRoot, "node_modules/.bin/biome");
    const names = [...files.keys()].map((name) => join(outDir, name));
    // the folder is git-ignored, so Biome must be told not to skip it
    const run = spawnSync(biome, ["check", "--vcs-use-ignore-file=false", ...names], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  });
});

// the doc's own test block: its tests register here
await import(pathToFileURL(join(outDir, "mean-experiment.test.ts")).href);
