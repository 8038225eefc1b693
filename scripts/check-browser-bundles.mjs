#!/usr/bin/env node
// Browser bundles: each browser-ready package's main entry point is bundled for the browser
//   (a) with plain esbuild, `bundle: true, platform: "browser"` and nothing else (the same as
//       `esbuild --bundle --platform=browser`), and
//   (b) with Vite's defaults (no config file, no options but the root and the output folder),
// failing on ANY warning or error from either bundler. Each bundle is then loaded in Debian's
// chromium through playwright-core (served from 127.0.0.1) and calls a real function of the
// package in the page: tensors multiplies and round-trips an .npy buffer, solvers solves docs/concepts.md#exact-instances
// instance 1 with fista (optimum 15/64), attention fits the same instance as convex attention
// (optimum 15/64), io embeds two texts through a word table and round-trips a checkpoint,
// interpret fits it too and draws its token map and a given 2×3 matrix as SVG
// heatmaps (cells counted in the SVG, the figure laid out in the page's DOM). A console error or
// an uncaught page error fails the check.
//
//   node scripts/check-browser-bundles.mjs [--package <dir name>]... [--keep] [--no-browser]
//
// Run `pnpm build` first. Chromium: /usr/bin/chromium (`apt-get install -y chromium`).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { createLogger, build as viteBuild } from "vite";

const root = resolve(import.meta.dirname, "..");
const argv = process.argv.slice(2);
const keep = argv.includes("--keep");
const noBrowser = argv.includes("--no-browser");
const only = argv.flatMap((a, i) => (argv[i - 1] === "--package" ? [a] : []));
const chromiumPath = "/usr/bin/chromium";
// the launch arguments that work on these machines (see the toolchain notes)
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// What runs in the page, per package: it must set window.__result = { ok, detail }.
const PROBES = {
  tensors: `
import { Matrix, matmul, readNpy, writeNpy, createRng } from "@convexformer/tensors";
const a = Matrix.fromRows([[1, 2], [3, 4]]);
const p = matmul(a, a);
const back = readNpy(writeNpy(p), "p.npy");
const u = createRng(42).uniform();
const ok = p.get(1, 1) === 22 && back.data[3] === 22 && u >= 0 && u < 1;
window.__result = { ok, detail: "a·a = " + JSON.stringify(p.toRows()) + ", .npy round trip " + back.data.join(",") };
`,
  solvers: `
import { Matrix } from "@convexformer/tensors";
import { createProblem, denseOperator, fista, groupL2, squaredLoss } from "@convexformer/solvers";
// exact instance 1 as a group lasso: X_i = e_i, y = (1, -1), λ = 1/8 → z = (7/8, -7/8), 15/64
const problem = createProblem({
  operator: denseOperator(Matrix.identity(2)),
  loss: squaredLoss(new Float64Array([1, -1])),
  regularizer: groupL2({ sizes: [1, 1] }),
  lambda: 1 / 8,
});
const r = fista.solve(problem, { tolerance: 1e-10 });
const ok = r.status === "converged" && Math.abs(r.objective - 15 / 64) < 1e-9 &&
  Math.abs(r.x[0] - 7 / 8) < 1e-6 && Math.abs(r.x[1] + 7 / 8) < 1e-6;
window.__result = { ok, detail: "fista: " + r.status + ", objective " + r.objective + " (15/64 = " + 15 / 64 + ")" };
`,
  attention: `
import { TokenBatch } from "@convexformer/tensors";
import { fitConvexAttention } from "@convexformer/attention";
// exact instance 1: N = n = 2, d = 1, X_i = indicator of token i, y = (1, -1), β = 1/8
const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
const fit = fitConvexAttention(X, { model: "scalar", loss: "squared", targets: new Float64Array([1, -1]), lambda: 1 / 8, tolerance: 1e-10 });
const ok = fit.solve.status === "converged" && Math.abs(fit.certificate.objective - 15 / 64) < 1e-9;
window.__result = { ok, detail: "fitConvexAttention: " + fit.solve.status + ", objective " + fit.certificate.objective + " (15/64 = " + 15 / 64 + ")" };
`,
  io: `
import { decodeCheckpoint, encodeCheckpoint, textFeatures, tokenize } from "@convexformer/io";
// two texts through a 2-d word table: tokenized with a pad mask, embedded, and a checkpoint round trip
const vectors = new Map([["good", new Float64Array([1, 0])], ["bad", new Float64Array([0, 1])]]);
const f = textFeatures([{ text: "Good, good!", label: 1 }, { text: "bad", label: 0 }], { dimension: 2, vectors, source: "inline" }, { tokens: 3 });
const t = tokenize("Good movie", 3, (w) => vectors.has(w));
const back = decodeCheckpoint(encodeCheckpoint({ meta: { step: 2 }, arrays: { w: new Float64Array([0.5]) } }));
const ok = f.X.samples === 2 && f.X.tokens === 3 && f.X.features === 2 && Array.from(f.mask).join("") === "110100" &&
  t.words[0] === "good" && back.arrays.w[0] === 0.5;
window.__result = { ok, detail: "textFeatures " + f.X.samples + "×" + f.X.tokens + "×" + f.X.features + ", mask " + Array.from(f.mask).join("") + ", checkpoint step " + JSON.stringify(back.meta) };
`,
  interpret: `
import { Matrix, TokenBatch } from "@convexformer/tensors";
import { fitConvexAttention } from "@convexformer/attention";
import { headTableOf, heatmapFigure, terminalHeatmap, tokenMapFigure, tokenMapOf } from "@convexformer/interpret";
// the heatmap's cells: the paths of its rect marks (not the legend's gradient rect)
const cellsOf = (svg) => [...new DOMParser().parseFromString(svg, "image/svg+xml")
  .querySelectorAll("g.mark-rect.role-mark path")];
(async () => {
  // exact instance 1 (docs/concepts.md#exact-instances): both tokens carry ‖z_k‖ = 7/8, two heads
  const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
  const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8, tolerance: 1e-10 });
  const map = tokenMapOf(fit);
  const fitted = await tokenMapFigure(map);
  const fittedCells = cellsOf(fitted.svg);
  const heads = headTableOf(fit);
  // a given 2×3 matrix: one cell per entry, the zeros drawn in one colour, the ones in another
  const values = Matrix.fromRows([[0, 0.5, 1], [1, 0.25, 0]]);
  const given = await heatmapFigure({ values, rowLabels: ["head 1", "head 2"], columnLabels: ["a", "b", "c"] });
  const givenCells = cellsOf(given.svg);
  const fill = (i) => givenCells[i]?.getAttribute("fill");
  // the figure in the page's DOM: laid out with a nonzero size (the esbuild page runs its
  // classic script from <head>, before <body> exists)
  if (document.readyState === "loading") {
    await new Promise((done) => document.addEventListener("DOMContentLoaded", done, { once: true }));
  }
  document.body.innerHTML = given.svg;
  const box = document.querySelector("svg")?.getBoundingClientRect();
  const terminal = terminalHeatmap(values).split("\\n");
  const checks = {
    "fit converged at 15/64": fit.solve.status === "converged" && Math.abs(fit.certificate.objective - 15 / 64) < 1e-9,
    "token map 7/8 per token, 2 heads": map.kind === "token" && map.support.headsNeeded === 2 &&
      Math.abs(map.perToken[0] - 7 / 8) < 1e-6 && Math.abs(map.perToken[1] - 7 / 8) < 1e-6,
    "head table: one head on each token": heads.map((h) => h.token).join(",") === "1,2",
    "fitted figure: <svg>, 2 cells": fitted.svg.startsWith("<svg") && fittedCells.length === 2 && fitted.data.length === 2,
    "given figure: 6 cells": givenCells.length === 6 && given.data.length === 6,
    "cell labels name token and row": (givenCells[1]?.getAttribute("aria-label") ?? "").includes("token: b") &&
      (givenCells[1]?.getAttribute("aria-label") ?? "").includes("head 1"),
    "equal values, equal colours; 0 and 1 differ": fill(0) === fill(5) && fill(2) === fill(3) && fill(0) !== fill(2),
    "SVG laid out in the page": box !== undefined && box.width > 0 && box.height > 0,
    "terminal heatmap rows": terminal[0] === "1 │  ▒▒██│" && terminal[1] === "2 │██░░  │",
  };
  const failed = Object.keys(checks).filter((k) => !checks[k]);
  window.__result = {
    ok: failed.length === 0,
    detail: failed.length === 0
      ? "fit 15/64, token map [" + Array.from(map.perToken, (v) => v.toFixed(4)).join(", ") + "], " +
        fittedCells.length + " + " + givenCells.length + " heatmap cells in SVG (" + fitted.svg.length + " + " +
        given.svg.length + " chars), figure " + Math.round(box.width) + "x" + Math.round(box.height) + " px in the DOM"
      : "failed: " + failed.join("; "),
  };
})().catch((error) => {
  window.__result = { ok: false, detail: "threw: " + (error && error.stack ? error.stack : error) };
});
`,
};

function workspacePackages() {
  const found = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      if (!existsSync(join(dir, "package.json"))) continue;
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      found.push({ dir, short: name, name: manifest.name, manifest });
    }
  }
  return found;
}

const all = workspacePackages();
const targets = Object.keys(PROBES)
  .map((short) => all.find((p) => p.short === short))
  .filter((p) => p !== undefined && (only.length === 0 || only.includes(p.short)));
for (const want of only) {
  if (!targets.some((t) => t.short === want)) {
    throw new Error(
      `--package ${want}: not a browser-ready package (${Object.keys(PROBES).join(", ")})`,
    );
  }
}

const work = mkdtempSync(join(tmpdir(), "convexformer-browser-"));
let failures = 0;
const fail = (message) => {
  failures++;
  console.error(`FAIL ${message}`);
};

// a consumer folder: node_modules links every workspace package (their own dependencies resolve
// from their real locations)
for (const pkg of all) {
  const path = join(work, "node_modules", pkg.name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(pkg.dir, path, "dir");
  const types = pkg.manifest.types;
  if (types !== undefined && !existsSync(join(pkg.dir, types))) {
    throw new Error(`${pkg.name} is not built (${types} is missing): run pnpm build`);
  }
}
writeFileSync(join(work, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);

const pages = []; // { label, url }
for (const pkg of targets) {
  const dir = join(work, pkg.short);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.js"), PROBES[pkg.short]);

  // (a) esbuild, plain
  try {
    const result = await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ["main.js"],
      bundle: true,
      platform: "browser",
      outfile: join(dir, "esbuild", "bundle.js"),
      logLevel: "silent",
    });
    for (const w of result.warnings) fail(`${pkg.name}: esbuild warning: ${formatEsbuild(w)}`);
    const size = statSync(join(dir, "esbuild", "bundle.js")).size;
    writeFileSync(
      join(dir, "esbuild", "index.html"),
      `<!doctype html><meta charset="utf-8"><title>${pkg.name} (esbuild)</title><link rel="icon" href="data:,"><script src="bundle.js"></script>\n`,
    );
    pages.push({ label: `${pkg.name} (esbuild)`, dir: join(dir, "esbuild") });
    console.log(
      `${pkg.name}: esbuild --bundle --platform=browser: ${(size / 1024).toFixed(0)} KiB, 0 warnings`,
    );
  } catch (error) {
    for (const e of error.errors ?? [error])
      fail(`${pkg.name}: esbuild error: ${formatEsbuild(e)}`);
  }

  // (b) Vite, defaults
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>${pkg.name} (vite)</title><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>\n`,
  );
  const messages = [];
  const logger = createLogger("warn", { allowClearScreen: false });
  logger.warn = (msg) => messages.push(`warning: ${msg}`);
  logger.warnOnce = (msg) => messages.push(`warning: ${msg}`);
  logger.error = (msg) => messages.push(`error: ${msg}`);
  logger.info = () => {};
  try {
    await viteBuild({
      root: dir,
      configFile: false,
      logLevel: "warn",
      customLogger: logger,
      build: { outDir: join(dir, "vite") },
    });
    // Vite's chunk-size advisory (> 500 kB after minification) is about the size of the page,
    // not about how the package bundles: interpret carries vega (≈1.8 MB). Report it, don't fail.
    const isSizeAdvisory = (m) => /chunkSizeWarningLimit|larger than \d+ kB/.test(m);
    const problems = messages.filter((m) => !isSizeAdvisory(m));
    for (const m of problems) fail(`${pkg.name}: vite ${m}`);
    if (problems.length === 0) {
      const note = problems.length < messages.length ? " (size advisory: a chunk over 500 kB)" : "";
      console.log(`${pkg.name}: vite build (defaults): 0 warnings${note}`);
    }
    pages.push({ label: `${pkg.name} (vite)`, dir: join(dir, "vite") });
  } catch (error) {
    for (const m of messages) fail(`${pkg.name}: vite ${m}`);
    fail(`${pkg.name}: vite build failed: ${error instanceof Error ? error.message : error}`);
  }
}

// load every bundle in chromium
if (!noBrowser && pages.length > 0) {
  if (!existsSync(chromiumPath)) {
    throw new Error(`chromium not found at ${chromiumPath}: apt-get install -y chromium`);
  }
  // each page is served from its own folder as the site root (Vite's default base is "/")
  let siteRoot = work;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = normalize(join(siteRoot, decodeURIComponent(url.pathname)));
    if (!file.startsWith(siteRoot) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    const type =
      {
        ".html": "text/html",
        ".js": "text/javascript",
        ".css": "text/css",
        ".wasm": "application/wasm",
      }[extname(file)] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const port = server.address().port;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    for (const page of pages) {
      const tab = await browser.newPage();
      const problems = [];
      tab.on("console", (m) => {
        if (m.type() === "error") problems.push(`console error: ${m.text()}`);
      });
      tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      tab.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      try {
        siteRoot = page.dir;
        await tab.goto(`http://127.0.0.1:${port}/index.html`);
        await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
        const result = await tab.evaluate(() => window.__result);
        if (!result.ok) fail(`${page.label} in chromium: ${result.detail}`);
        else console.log(`${page.label} in chromium: ${result.detail}`);
      } catch (error) {
        fail(
          `${page.label} in chromium: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
        );
      }
      for (const p of problems) fail(`${page.label} in chromium: ${p}`);
      await tab.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
if (failures > 0) {
  console.error(`browser bundles: ${failures} problem(s)`);
  process.exit(1);
}
console.log(
  `browser bundles: ${targets.map((t) => t.short).join(", ")} bundle with esbuild and Vite without warnings${noBrowser ? "" : " and run in chromium"}`,
);

function formatEsbuild(message) {
  const at = message.location ? ` (${message.location.file}:${message.location.line})` : "";
  return `${message.text ?? message}${at}`;
}
