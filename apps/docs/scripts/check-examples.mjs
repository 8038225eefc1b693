#!/usr/bin/env node
// Runs every ```ts code block of the site's hand-written pages (docs/**/*.md except the
// generated docs/api and docs/cli.md) against the built workspace packages, so the guides'
// examples stay true. A block fails when it throws or exits non-zero.
// Usage: node scripts/check-examples.mjs [page-substring]
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const site = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const docs = resolve(site, "../../docs");
const work = join(site, "test-output", "examples");
const filter = process.argv[2];
// Pages whose code blocks are checked elsewhere: adding-a-solver.md's solver is extracted and run
// through the conformance kit by the solvers package's own test, adding-a-program.md's entry by
// the attention package's, adding-an-experiment.md's descriptor by the experiments package's
// (scripts/check-doc-guide.ts).
const checkedElsewhere = new Set([
  "adding-a-solver.md",
  "adding-a-program.md",
  "adding-an-experiment.md",
]);

function pages(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(docs, "api") && !entry.name.startsWith(".")) out.push(...pages(path));
    } else if (entry.name.endsWith(".md") && path !== join(docs, "cli.md")) out.push(path);
  }
  return out;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
let passed = 0;
let failed = 0;
for (const page of pages(docs)) {
  const name = relative(docs, page);
  if ((filter && !name.includes(filter)) || checkedElsewhere.has(name)) continue;
  const lines = readFileSync(page, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") end++;
    const code = lines.slice(start, end).join("\n");
    i = end;
    const file = join(work, `${name.replaceAll("/", "_").replace(/\.md$/, "")}-${start + 1}.mts`);
    writeFileSync(file, `${code}\n`);
    const result = spawnSync(process.execPath, ["--import", "tsx", file], {
      cwd: site,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (result.status === 0) {
      passed++;
    } else {
      failed++;
      console.error(`FAIL docs/${name}:${start + 1}\n${result.stdout}${result.stderr}`);
    }
  }
}
console.log(`site examples: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
