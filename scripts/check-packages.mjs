#!/usr/bin/env node
// Release checks for every publishable workspace package, run by .ci/run after the build:
//   1. `pnpm pack` each package (workspace: ranges become real versions),
//   2. publint (strict) and @arethetypeswrong/cli (esm-only profile) on each tarball,
//   3. a consumer smoke test: install all tarballs with npm into an empty folder outside the
//      workspace and import every package from a plain Node ESM script.
// Usage: node scripts/check-packages.mjs [--keep]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const keep = process.argv.includes("--keep");
const work = mkdtempSync(join(tmpdir(), "convexformer-pack-"));
const tarballs = join(work, "tarballs");

function run(cmd, args, cwd, options = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}   (in ${cwd})`);
  return execFileSync(cmd, args, {
    cwd,
    stdio: options.capture ? "pipe" : "inherit",
    encoding: "utf8",
  });
}

const packages = [];
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name);
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (manifest.private) continue;
    packages.push({ dir, name: manifest.name, version: manifest.version, bin: manifest.bin });
  }
}

let failures = 0;
for (const pkg of packages) {
  run("pnpm", ["pack", "--pack-destination", tarballs], pkg.dir, { capture: true });
  const file = readdirSync(tarballs).find(
    (f) => f === `${pkg.name.replace("@", "").replace("/", "-")}-${pkg.version}.tgz`,
  );
  if (!file) throw new Error(`no tarball found for ${pkg.name}`);
  pkg.tarball = join(tarballs, file);
  try {
    run("pnpm", ["exec", "publint", "run", pkg.tarball, "--strict"], root);
  } catch {
    failures++;
    console.error(`publint failed for ${pkg.name}`);
  }
  try {
    run("pnpm", ["exec", "attw", pkg.tarball, "--profile", "esm-only"], root);
  } catch {
    failures++;
    console.error(`attw failed for ${pkg.name}`);
  }
}

// consumer smoke test: a fresh npm project outside the workspace
const consumer = join(work, "consumer");
run("mkdir", ["-p", consumer], work);
writeFileSync(
  join(consumer, "package.json"),
  JSON.stringify({ name: "convexformer-consumer-smoke", private: true, type: "module" }, null, 2),
);
run(
  "npm",
  ["install", "--no-audit", "--no-fund", "--prefer-offline", ...packages.map((p) => p.tarball)],
  consumer,
);
const smoke = `
import * as tensors from "@convexformer/tensors";
import * as solvers from "@convexformer/solvers";
import * as attention from "@convexformer/attention";
import * as baselines from "@convexformer/baselines";
import * as interpret from "@convexformer/interpret";
import { writeFigure } from "@convexformer/interpret/node";
const a = tensors.Matrix.fromRows([[1, 2], [3, 4]]);
if (tensors.matmul(a, a).get(1, 1) !== 22) throw new Error("tensors: wrong product");
// spec §7 instance 1 through the published packages: optimum 15/64, certified
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
// tfjs wasm must load from an installed node_modules layout
const { tf, backend } = await baselines.setupTfjs();
const s = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0]);
if (s !== 12) throw new Error("tfjs: wrong sum " + s);
console.log("consumer smoke test ok: tensors, solvers (fista, admm, ipm), attention, interpret (svg), baselines (tfjs " + backend + ")");
`;
writeFileSync(join(consumer, "smoke.mjs"), smoke);
run("node", ["smoke.mjs"], consumer);
for (const pkg of packages.filter((p) => p.bin)) {
  for (const bin of Object.keys(pkg.bin)) {
    run(join(consumer, "node_modules", ".bin", bin), ["--version"], consumer);
    // the demo's embedded dataset must ship in the tarball
    run(
      join(consumer, "node_modules", ".bin", bin),
      ["demo", "--out", join(work, "demo")],
      consumer,
    );
  }
}

if (!keep) rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
console.log(`package checks passed for ${packages.length} packages`);
