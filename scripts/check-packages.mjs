#!/usr/bin/env node
// Release checks for every publishable workspace package, run by .ci/run after the build:
//   1. manifests: `repository` (with `directory`), `homepage` and `bugs` in every package.json;
//      no script (root or package) points at a file that does not exist; every README's
//      install line lists what its TypeScript examples import; the CLI's description lists
//      only commands the packed binary has;
//   2. `pnpm pack` each package (workspace: ranges become real versions), then publint
//      (strict) and @arethetypeswrong/cli (esm-only profile) on each tarball;
//   3. each package ALONE, as a user installs it, once with npm and once with pnpm, in an empty
//      folder outside the workspace (its workspace dependencies come from their tarballs, as
//      they would from the registry): every entry point imports in Node, the optional tfjs
//      peer is NOT installed (unless the package depends on tfjs itself), and a TypeScript
//      consumer compiles against the package with `skipLibCheck: false` under
//      module/moduleResolution `node16` and under `bundler`;
//   4. a smoke test of all tarballs together with npm: exact instance 1 through the
//      published packages, tfjs wasm from an installed layout, the CLI's demo (E1: its table,
//      token maps, report and figures).
// Usage: node scripts/check-packages.mjs [--keep] [--package <dir name>]... [--skip-alone]
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const argv = process.argv.slice(2);
const keep = argv.includes("--keep");
const skipAlone = argv.includes("--skip-alone");
const only = argv.flatMap((a, i) => (argv[i - 1] === "--package" ? [a] : []));
const work = mkdtempSync(join(tmpdir(), "convexformer-pack-"));
const tarballs = join(work, "tarballs");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const REPOSITORY = "https://github.com/convexformer/convexformer";
const TFJS = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"];

function run(cmd, args, cwd, options = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}   (in ${cwd})`);
  return execFileSync(cmd, args, {
    cwd,
    stdio: options.capture ? "pipe" : "inherit",
    encoding: "utf8",
    env: { ...process.env, ...(options.env ?? {}) },
  });
}

let failures = 0;
function fail(message) {
  failures++;
  console.error(`FAIL ${message}`);
}

const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const packages = [];
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const dir = join(root, group, name);
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    packages.push({ dir, short: name, path: `${group}/${name}`, manifest, name: manifest.name });
  }
}
const publishable = packages.filter((p) => !p.manifest.private);

// ---------------------------------------------------------------------------------------------
// 1. manifests

console.log("\n=== manifests");
for (const pkg of publishable) {
  const m = pkg.manifest;
  const repo = m.repository;
  if (
    typeof repo !== "object" ||
    repo === null ||
    repo.type !== "git" ||
    repo.url !== `git+${REPOSITORY}.git` ||
    repo.directory !== pkg.path
  ) {
    fail(
      `${pkg.path}/package.json: "repository" must be { "type": "git", "url": "git+${REPOSITORY}.git", "directory": "${pkg.path}" }, got ${JSON.stringify(repo)}`,
    );
  }
  const homepage = `${REPOSITORY}/tree/main/${pkg.path}#readme`;
  if (m.homepage !== homepage) {
    fail(
      `${pkg.path}/package.json: "homepage" must be "${homepage}", got ${JSON.stringify(m.homepage)}`,
    );
  }
  if (typeof m.bugs !== "object" || m.bugs === null || m.bugs.url !== `${REPOSITORY}/issues`) {
    fail(
      `${pkg.path}/package.json: "bugs" must be { "url": "${REPOSITORY}/issues" }, got ${JSON.stringify(m.bugs)}`,
    );
  }
}

// scripts: every token that names a file in the repository must exist
const SCRIPT_FILE = /^(?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.(?:mjs|cjs|js|ts|mts|json|sh|py)$/;
for (const owner of [{ dir: root, path: ".", manifest: rootManifest }, ...packages]) {
  for (const [name, command] of Object.entries(owner.manifest.scripts ?? {})) {
    for (const token of command.split(/[\s;&|()]+/)) {
      const file = token.replace(/^--[\w-]+=/, "");
      if (!SCRIPT_FILE.test(file) || file.startsWith("@")) continue;
      if (!existsSync(join(owner.dir, file))) {
        fail(
          `${owner.path}/package.json: script "${name}" points at ${file}, which does not exist`,
        );
      }
    }
  }
}

// README install lines list what the examples import
for (const pkg of publishable) {
  const readme = join(pkg.dir, "README.md");
  if (!existsSync(readme)) {
    fail(`${pkg.path}: no README.md`);
    continue;
  }
  const text = readFileSync(readme, "utf8");
  const installed = new Set([pkg.name]);
  for (const line of text.split("\n")) {
    const install = /^\s*(?:npm (?:install|i)|pnpm add|yarn add)\s+(.*)$/.exec(line);
    if (!install) continue;
    for (const word of install[1].split(/\s+/)) {
      if (word === "" || word.startsWith("-") || word.startsWith("#")) break;
      installed.add(word.replace(/(.)@[^/]*$/, "$1"));
    }
  }
  const fences = [...text.matchAll(/```(?:ts|typescript|js|javascript)\b[^\n]*\n([\s\S]*?)```/g)];
  for (const [, code] of fences) {
    for (const [, specifier] of code.matchAll(/\bfrom\s+["']([^"']+)["']/g)) {
      if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
      if (!installed.has(name)) {
        fail(
          `${pkg.path}/README.md: an example imports ${JSON.stringify(specifier)} but the install line does not install ${name} (it installs: ${[...installed].join(", ")})`,
        );
        installed.add(name); // once per package
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. pack, publint, attw

console.log("\n=== pack, publint, arethetypeswrong");
for (const pkg of publishable) {
  run("pnpm", ["pack", "--pack-destination", tarballs], pkg.dir, { capture: true });
  const file = readdirSync(tarballs).find(
    (f) => f === `${pkg.name.replace("@", "").replace("/", "-")}-${pkg.manifest.version}.tgz`,
  );
  if (!file) throw new Error(`no tarball found for ${pkg.name}`);
  pkg.tarball = join(tarballs, file);
  try {
    run("pnpm", ["exec", "publint", "run", pkg.tarball, "--strict"], root);
  } catch {
    fail(`publint failed for ${pkg.name}`);
  }
  try {
    run("pnpm", ["exec", "attw", pkg.tarball, "--profile", "esm-only"], root);
  } catch {
    fail(`attw failed for ${pkg.name}`);
  }
}
const tarballOf = new Map(publishable.map((p) => [p.name, p.tarball]));

// the CLI describes only commands that exist (checked on the packed binary below)
function checkCliHelp(pkg, binPath, cwd) {
  const help = spawnSync(binPath, ["--help"], { cwd, encoding: "utf8" });
  if (help.status !== 0) {
    fail(`${pkg.name}: --help exited ${help.status}: ${help.stderr}`);
    return;
  }
  const commands = new Set();
  const section = help.stdout.split(/^Commands:\s*$/m)[1] ?? "";
  for (const line of section.split("\n")) {
    const command = /^\s{2}(\S+)/.exec(line);
    if (command && command[1] !== "help") commands.add(command[1].split("|")[0]);
  }
  // the paragraph after the usage line (commander wraps it to the terminal width)
  const paragraphs = help.stdout.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, " ").trim());
  const description = paragraphs.find((p) => p !== "" && !p.startsWith("Usage:"));
  const listed = /:\s*([\w-]+(?:,\s*[\w-]+)*)\.?\s*$/.exec(description ?? "");
  const named = listed ? listed[1].split(/,\s*/) : [];
  const before = failures;
  for (const name of named) {
    if (!commands.has(name)) {
      fail(
        `${pkg.name}: the description advertises "${name}", which is not a command (commands: ${[...commands].join(", ")})`,
      );
    }
  }
  for (const name of commands) {
    if (!named.includes(name))
      fail(`${pkg.name}: the description does not list the command "${name}"`);
  }
  const manifestList = /:\s*([\w-]+(?:,\s*[\w-]+)+)\.?\s*$/.exec(pkg.manifest.description ?? "");
  for (const name of manifestList ? manifestList[1].split(/,\s*/) : []) {
    if (!commands.has(name)) {
      fail(
        `${pkg.path}/package.json: the description advertises "${name}", which is not a command`,
      );
    }
  }
  if (failures === before) {
    console.log(`${pkg.name}: --help lists ${[...commands].join(", ")}; the description agrees`);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. each package alone, with npm and with pnpm

/** The workspace packages `pkg` depends on, transitively (by name). */
function workspaceClosure(pkg) {
  const names = new Set();
  const visit = (p) => {
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const inner = publishable.find((q) => q.name === dep);
      if (inner !== undefined && !names.has(dep)) {
        names.add(dep);
        visit(inner);
      }
    }
  };
  visit(pkg);
  return [...names];
}

function dependsOnTfjs(pkg) {
  const names = [pkg.name, ...workspaceClosure(pkg)];
  return names.some((n) => {
    const p = publishable.find((q) => q.name === n);
    return TFJS.some((t) => t in (p.manifest.dependencies ?? {}));
  });
}

/** Entry points a consumer can import: subpath → specifier (package.json itself excluded). */
function entryPoints(pkg) {
  return Object.keys(pkg.manifest.exports ?? { ".": {} })
    .filter((s) => s !== "./package.json")
    .map((s) => ({ subpath: s, specifier: s === "." ? pkg.name : `${pkg.name}${s.slice(1)}` }));
}

function installAlone(pkg, manager) {
  const dir = join(work, "alone", `${pkg.short}-${manager}`);
  mkdirSync(dir, { recursive: true });
  const overrides = Object.fromEntries(
    workspaceClosure(pkg).map((n) => [n, `file:${tarballOf.get(n)}`]),
  );
  const manifest = {
    name: `consumer-of-${pkg.short}`,
    private: true,
    type: "module",
    dependencies: { [pkg.name]: `file:${pkg.tarball}` },
    devDependencies: { "@types/node": rootManifest.devDependencies["@types/node"] },
    ...(manager === "npm" ? { overrides } : {}),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  if (manager === "npm") {
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
  } else {
    const workspace = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
    const allowBuilds = /^allowBuilds:\n((?:[ \t]+.*\n?)*)/m.exec(workspace)?.[0] ?? "";
    const yaml = [
      "engineStrict: true",
      allowBuilds.trimEnd(),
      "overrides:",
      ...Object.entries(overrides).map(([n, v]) => `  "${n}": "${v}"`),
      "",
    ].join("\n");
    writeFileSync(
      join(dir, "pnpm-workspace.yaml"),
      Object.keys(overrides).length > 0 ? yaml : yaml.replace(/overrides:\n/, ""),
    );
    run("pnpm", ["install", "--prefer-offline", "--reporter=append-only"], dir, {
      env: { npm_config_workspace_dir: dir },
    });
  }
  return dir;
}

function checkAlone(pkg, manager) {
  const label = `${pkg.name} alone with ${manager}`;
  let dir;
  try {
    dir = installAlone(pkg, manager);
  } catch {
    fail(`${label}: the install failed`);
    return;
  }
  const withTfjs = dependsOnTfjs(pkg);
  for (const t of TFJS) {
    const present = existsSync(join(dir, "node_modules", t));
    if (!withTfjs && present) fail(`${label}: ${t} was installed, but it is an optional peer`);
  }
  const entries = entryPoints(pkg);
  // runtime: every entry point imports (the tfjs entry point loads tfjs only when called)
  const imports = entries
    .map((e, i) => `import * as e${i} from ${JSON.stringify(e.specifier)};`)
    .join("\n");
  writeFileSync(
    join(dir, "imports.mjs"),
    `${imports}\nconst counts = [${entries.map((_, i) => `Object.keys(e${i}).length`).join(", ")}];\nif (counts.some((c) => c === 0)) throw new Error("an entry point exports nothing");\nconsole.log(${JSON.stringify(`${label}: `)} + counts.join(" + ") + " exports from ${entries.map((e) => e.specifier).join(", ")}");\n`,
  );
  try {
    run("node", ["imports.mjs"], dir);
  } catch {
    fail(`${label}: importing the entry points failed`);
  }
  // types: every entry point but the tfjs one (which needs the optional peer) when tfjs is absent
  const typed = entries.filter((e) => withTfjs || !e.subpath.endsWith("/tfjs"));
  writeFileSync(
    join(dir, "consumer.ts"),
    `${typed.map((e, i) => `import * as t${i} from ${JSON.stringify(e.specifier)};`).join("\n")}\nexport const entryPoints: readonly object[] = [${typed.map((_, i) => `t${i}`).join(", ")}];\n`,
  );
  // Every consumer compiles with skipLibCheck off. The umbrella @tensorflow/tfjs 4.22's
  // declarations do not compile that way under strict (tfjs-layers' LayersModel vs
  // InferenceModel, `EmscriptenModule`, WebGL types of tfjs-backend-webgl), so no published
  // declaration may refer to it: baselines refers to @tensorflow/tfjs-core's types only (and
  // references @types/long for tfjs-core's undeclared `Long`), and experiments and the CLI
  // expose no tfjs type at all. tfjs-core's declarations name browser types (HTMLImageElement,
  // WebGLTexture, @webgpu/types), so a consumer of a tfjs package needs the DOM lib, as every
  // TypeScript user of tfjs does.
  const skipLibCheck = false;
  const lib = withTfjs ? ["ES2023", "DOM"] : ["ES2023"];
  for (const [module, moduleResolution] of [
    ["node16", "node16"],
    ["esnext", "bundler"],
  ]) {
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        lib,
        module,
        moduleResolution,
        types: ["node"],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck,
        noEmit: true,
      },
      files: ["consumer.ts"],
    };
    const config = `tsconfig.${moduleResolution}.json`;
    writeFileSync(join(dir, config), `${JSON.stringify(tsconfig, null, 2)}\n`);
    try {
      run(process.execPath, [tsc, "-p", config], dir);
      console.log(
        `${label}: TypeScript (${moduleResolution}, skipLibCheck ${skipLibCheck}) compiles ${typed.map((e) => e.specifier).join(", ")}`,
      );
    } catch {
      fail(
        `${label}: a TypeScript consumer (${moduleResolution}, skipLibCheck: ${skipLibCheck}) does not compile`,
      );
    }
  }
  if (pkg.manifest.bin !== undefined) {
    for (const bin of Object.keys(pkg.manifest.bin)) {
      checkCliHelp(pkg, join(dir, "node_modules", ".bin", bin), dir);
    }
  }
}

if (!skipAlone) {
  for (const pkg of publishable.filter((p) => only.length === 0 || only.includes(p.short))) {
    for (const manager of ["npm", "pnpm"]) {
      console.log(`\n=== ${pkg.name} alone with ${manager}`);
      checkAlone(pkg, manager);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. all tarballs together: the consumer smoke test

console.log("\n=== consumer smoke test: all packages with npm");
const consumer = join(work, "consumer");
mkdirSync(consumer, { recursive: true });
writeFileSync(
  join(consumer, "package.json"),
  JSON.stringify({ name: "convexformer-consumer-smoke", private: true, type: "module" }, null, 2),
);
run(
  "npm",
  ["install", "--no-audit", "--no-fund", "--prefer-offline", ...publishable.map((p) => p.tarball)],
  consumer,
);
const smoke = `
import * as tensors from "@convexformer/tensors";
import * as solvers from "@convexformer/solvers";
import * as attention from "@convexformer/attention";
import * as baselines from "@convexformer/baselines";
import * as interpret from "@convexformer/interpret";
import { writeFigure } from "@convexformer/interpret/node";
import { readModelFolder, writeModelFolder } from "@convexformer/io/node";
const a = tensors.Matrix.fromRows([[1, 2], [3, 4]]);
if (tensors.matmul(a, a).get(1, 1) !== 22) throw new Error("tensors: wrong product");
// exact instance 1 through the published packages: optimum 15/64, certified
const X = new tensors.TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
const fit = attention.fitConvexAttention(X, { model: "scalar", loss: "squared", targets: new Float64Array([1, -1]), lambda: 1 / 8, tolerance: 1e-10 });
if (fit.solve.status !== "converged" || Math.abs(fit.certificate.objective - 15 / 64) > 1e-9) throw new Error("attention: wrong optimum " + fit.certificate.objective);
for (const name of ["fista", "admm", "ipm"]) {
  const r = solvers.getSolver(name).solve(fit.problem, { tolerance: 1e-9 });
  if (r.status !== "converged" || Math.abs(r.objective - 15 / 64) > 1e-8) throw new Error(name + ": " + r.status + " " + r.objective);
}
// interpret: the token map, head table and an SVG figure (vega) of the same fit
const map = interpret.tokenMapOf(fit);
if (map.kind !== "token" || map.support.headsNeeded !== 2 || interpret.headTableOf(fit).length !== 2) throw new Error("interpret: wrong token map");
const figure = await interpret.tokenMapFigure(map);
const written = await writeFigure(figure, process.cwd(), "token-map");
if (!figure.svg.startsWith("<svg") || !written.json.endsWith("token-map.json")) throw new Error("interpret: no figure");
// io: the fit as a model folder, read back with the same codec
await writeModelFolder("model", { fit, record: { loss: "squared" }, metrics: {}, trainSamples: 2, samples: 2, predictions: fit.predict(X) });
const saved = await readModelFolder("model");
if (saved.loss !== "squared" || saved.model.predict(X)[0] !== fit.predict(X)[0]) throw new Error("io: the model folder does not round-trip");
// tfjs wasm must load from an installed node_modules layout
const { tf, backend } = await baselines.setupTfjs();
const s = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0]);
if (s !== 12) throw new Error("tfjs: wrong sum " + s);
console.log("consumer smoke test ok: tensors, solvers (fista, admm, ipm), attention, interpret (svg), io (model folder), baselines (tfjs " + backend + ")");
`;
writeFileSync(join(consumer, "smoke.mjs"), smoke);
try {
  run("node", ["smoke.mjs"], consumer);
} catch {
  fail("the consumer smoke test failed");
}
for (const pkg of publishable.filter((p) => p.manifest.bin)) {
  for (const bin of Object.keys(pkg.manifest.bin)) {
    try {
      run(join(consumer, "node_modules", ".bin", bin), ["--version"], consumer);
      if (bin !== "convexformer") continue;
      // the demo (E1 on generated data: no data file ships) from the installed tarballs, with
      // tfjs wasm from node_modules: the table, a token map of each model, the report and figures
      const out = join(work, "demo");
      const printed = run(
        join(consumer, "node_modules", ".bin", bin),
        ["demo", "--out", out],
        consumer,
        {
          capture: true,
        },
      );
      process.stdout.write(printed);
      const problems = [];
      for (const column of [
        "reg. objective",
        "test error",
        "time",
        "rel. gap",
        "heads",
        "entropy",
        "eff. tokens",
        "top-1 mass",
      ])
        if (!printed.includes(column)) problems.push(`no "${column}" column`);
      for (const model of ["convex", "simplex", "standard"])
        if (!printed.includes(`${model}: token map`)) problems.push(`no token map of ${model}`);
      for (const file of [
        "result.json",
        "command.txt",
        "objective.svg",
        "objective.json",
        "token-maps.svg",
        "token-maps.json",
      ])
        if (!existsSync(join(out, file))) problems.push(`no ${file}`);
      if (problems.length === 0) {
        const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
        if (result.experiment !== "e1" || result.status !== "complete")
          problems.push(`result ${result.experiment} ${result.status}`);
        if (!(result.metrics?.convex?.relativeGap <= 1e-6))
          problems.push(`convex gap ${result.metrics?.convex?.relativeGap}`);
        for (const svg of ["objective.svg", "token-maps.svg"])
          if (!readFileSync(join(out, svg), "utf8").startsWith("<svg"))
            problems.push(`${svg} is not an SVG`);
      }
      if (problems.length > 0) fail(`${pkg.name}: the packed demo: ${problems.join("; ")}`);
    } catch {
      fail(`${pkg.name}: the packed binary ${bin} failed`);
    }
  }
}

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${relative(process.cwd(), work) || work}`);
if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
console.log(`package checks passed for ${publishable.length} packages`);
