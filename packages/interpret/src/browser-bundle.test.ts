import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const chromiumPath = "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) {
  console.warn(`browser run skipped: ${chromiumPath} not found (apt-get install -y chromium)`);
}

// A page script: a real fit of exact instance 1, its token map and figure, a softmax map.
const entry = `
import { fitConvexAttention } from "@convexformer/attention";
import { TokenBatch } from "@convexformer/tensors";
import { softmaxAttentionMaps, terminalHeatmap, tokenMapFigure, tokenMapOf } from "./index.ts";
const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8, tolerance: 1e-12 });
const map = tokenMapOf(fit);
const figure = await tokenMapFigure(map);
const soft = softmaxAttentionMaps({ heads: 1, features: 1, hidden: 1, outputs: 1, WQ: new Float64Array([1]),
  WK: new Float64Array([1]), WV: new Float64Array([1]), WO: new Float64Array([1]) }, new TokenBatch(1, 2, 1, new Float64Array([1, -1])));
document.body.innerHTML = figure.svg;
globalThis.result = {
  objective: fit.certificate.objective,
  heads: map.kind === "token" ? map.support.headsNeeded : -1,
  rects: document.querySelectorAll("g.mark-rect.role-mark path").length,
  svgStart: figure.svg.slice(0, 4),
  soft: soft.maps[0],
  terminal: terminalHeatmap(map.kind === "token" ? map.perOutput : soft.meanOverHeads).split("\\n").length,
};
`;

let built: Promise<{ code: string; metafile: Metafile }> | undefined;

/** The page script bundled once for both tests. */
function bundle(): Promise<{ code: string; metafile: Metafile }> {
  built ??= bundleOnce();
  return built;
}

async function bundleOnce(): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: here, loader: "ts", sourcefile: "page.ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    conditions: ["@convexformer/source"],
    // tensors loads node:fs / node:module lazily (npy files, tfjs); they must stay dynamic imports
    external: ["node:*"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]?.text ?? "", metafile: result.metafile };
}

describe("browser bundle", () => {
  it("bundles for the browser with no static node: import (only tensors' lazy loaders)", async () => {
    const { code, metafile } = await bundle();
    expect(code.length).toBeGreaterThan(10_000);
    const statics: string[] = [];
    for (const [file, input] of Object.entries(metafile.inputs)) {
      for (const imp of input.imports) {
        if (imp.path.startsWith("node:") && imp.kind !== "dynamic-import")
          statics.push(`${file} → ${imp.path}`);
        if (imp.path.startsWith("node:") && file.includes("interpret/src"))
          statics.push(`${file} → ${imp.path}`);
      }
    }
    expect(statics).toEqual([]);
    // tfjs is reachable only through tensors' lazy loader (dynamic imports), never from this
    // package; the node-only entry is not pulled in
    const tfjsEdges: string[] = [];
    for (const [file, input] of Object.entries(metafile.inputs)) {
      if (file.includes("node_modules")) continue;
      for (const imp of input.imports) {
        if (
          imp.path.includes("@tensorflow") &&
          (imp.kind !== "dynamic-import" || file.includes("interpret/src"))
        ) {
          tfjsEdges.push(`${file} → ${imp.path} (${imp.kind})`);
        }
      }
    }
    expect(tfjsEdges).toEqual([]);
    expect(Object.keys(metafile.inputs).some((f) => f.endsWith("write-figure.ts"))).toBe(false);
  }, 120_000);

  it.skipIf(!haveChromium)(
    "runs in headless chromium: fit, token map, SVG figure in the DOM",
    async () => {
      const { code } = await bundle();
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic",
        ],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.setContent("<!doctype html><html><body></body></html>");
        await page.addScriptTag({ type: "module", content: code });
        await page.waitForFunction(() => "result" in globalThis, undefined, { timeout: 60_000 });
        const result = (await page.evaluate(
          () => (globalThis as unknown as { result: unknown }).result,
        )) as Record<string, number | string>;
        expect(errors).toEqual([]);
        expect(result.objective).toBeCloseTo(15 / 64, 9);
        expect(result.heads).toBe(2);
        expect(result.rects).toBe(2);
        expect(result.svgStart).toBe("<svg");
        expect(result.soft).toBeCloseTo(Math.E / (Math.E + 1 / Math.E), 12);
        expect(result.terminal).toBe(3);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
