/**
 * One check for the contributor guides (docs/adding-a-solver.md, adding-a-program.md,
 * adding-an-experiment.md): the guide works as written. Its code blocks marked `file=<name>` are
 * extracted verbatim into `<package>/.doc-check/` (git-ignored; inside the package, so the
 * package's own name resolves to its source by self-reference), type-checked under the
 * workspace's strict settings, linted with Biome, the TSDoc example of the guide's main export
 * is run, and the guide's own test block is imported so its `it`s register in the calling test
 * file. Called at the top level of one `*-doc.test.ts` per guide.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/** What {@link checkDocGuide} checks. */
export interface DocGuide {
  /** The guide, relative to the repository root (`docs/adding-a-solver.md`). */
  readonly doc: string;
  /** The package the guide's blocks are checked in (`packages/solvers`), from the repository root. */
  readonly packageDir: string;
  /** Every `file=` block the guide must have, sorted. */
  readonly files: readonly string[];
  /** The block and exported name whose TSDoc `@example` is run, if the guide has one. */
  readonly example?: { readonly file: string; readonly exportName: string };
  /** The block holding the guide's own tests, imported after the checks. */
  readonly testFile: string;
}

const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The fenced blocks (of three or more backticks) whose info string is `ts file=<name>`. */
function extractFiles(doc: string, markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const fence = /^(`{3,})ts file=([\w.-]+)[ \t]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const [, , name, body] = match;
    if (name === undefined || body === undefined) continue;
    if (files.has(name)) throw new Error(`${doc}: two blocks for file=${name}`);
    files.set(name, body);
  }
  return files;
}

/** The code of the first TSDoc `@example` of the declaration exported as `name`. */
function exampleOf(source: string, name: string): string {
  const at = source.indexOf(`export const ${name}`);
  const doc = source.slice(source.lastIndexOf("/**", at), at);
  const match = /@example\n \* ```ts\n([\s\S]*?) \* ```/.exec(doc);
  if (match?.[1] === undefined) throw new Error(`no @example in the TSDoc of ${name}`);
  return match[1].replace(/^ \* ?/gm, "");
}

/**
 * Registers the guide's checks in the calling test file and imports its test block.
 *
 * @param guide - the guide, its package, its blocks and its example
 */
export async function checkDocGuide(guide: DocGuide): Promise<void> {
  const outDir = join(repoRoot, guide.packageDir, ".doc-check");
  const files = extractFiles(guide.doc, readFileSync(join(repoRoot, guide.doc), "utf8"));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, body] of files) writeFileSync(join(outDir, name), body);
  const example = guide.example;
  if (example !== undefined && files.has(example.file)) {
    const source = files.get(example.file) ?? "";
    writeFileSync(join(outDir, "example.ts"), exampleOf(source, example.exportName));
  }
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

  describe(guide.doc, () => {
    it("has its file blocks", () => {
      expect([...files.keys()].sort()).toEqual([...guide.files]);
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

    if (example !== undefined) {
      it(`runs the example in the TSDoc of ${example.exportName}`, async () => {
        await expect(import(pathToFileURL(join(outDir, "example.ts")).href)).resolves.toBeDefined();
      });
    }
  });

  // the guide's own test block: its tests register in the calling file
  await import(pathToFileURL(join(outDir, guide.testFile)).href);
}
