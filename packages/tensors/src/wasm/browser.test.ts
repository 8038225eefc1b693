import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const pkg = join(dirname(fileURLToPath(import.meta.url)), "../..");
const built = existsSync(join(pkg, "dist/wasm/kernel-config.js"));
const reason = !existsSync(CHROMIUM)
  ? `${CHROMIUM} not installed (apt-get install -y chromium)`
  : !built
    ? "dist/ not built (pnpm build)"
    : "";

/** A page that runs the built kernels (one thread: the page is not cross-origin isolated). */
const PAGE = `<!doctype html><html><body><pre id="out">pending</pre><script type="module">
const out = document.getElementById("out");
try {
  const { configureKernels } = await import("/dist/wasm/kernel-config.js");
  const { gemm } = await import("/dist/kernels/gemm.js");
  const { jsGemm } = await import("/dist/kernels/js-gemm.js");
  const info = await configureKernels({ engine: "wasm-simd" });
  const n = 67, K = 301;
  const A = new Float64Array(n * K).map((_, i) => Math.sin(i));
  const B = new Float64Array(K * n).map((_, i) => Math.cos(i));
  const C = new Float64Array(n * n), R = new Float64Array(n * n);
  gemm("transpose", "no-transpose", n, n, K, 0.5, A, n, 1, 0, B, n, 1, 0, 0, C, n, 1, 0);
  jsGemm("transpose", "no-transpose", n, n, K, 0.5, A, n, 1, 0, B, n, 1, 0, 0, R, n, 1, 0);
  let d = 0;
  for (let i = 0; i < C.length; i++) d = Math.max(d, Math.abs(C[i] - R[i]));
  out.textContent = "RESULT" + JSON.stringify({ info, maxDiff: d, isolated: self.crossOriginIsolated }) + "END";
} catch (e) { out.textContent = "RESULT" + JSON.stringify({ error: String(e && e.stack) }) + "END"; }
</script></body></html>`;

/**
 * A cross-origin isolated page whose module worker runs the built kernels on 2 threads (the
 * worker may block in `Atomics.wait`; its kernel threads are nested Web Workers).
 */
const ISOLATED_PAGE = `<!doctype html><html><body><script type="module">
const worker = new Worker("/isolated-worker.js", { type: "module" });
window.answer = new Promise((resolve) => {
  worker.onmessage = (e) => resolve(e.data);
  worker.onerror = (e) => resolve({ error: "worker: " + String(e.message) });
});
</script></body></html>`;

const ISOLATED_WORKER = `
try {
  const { configureKernels } = await import("/dist/wasm/kernel-config.js");
  const { gemm } = await import("/dist/kernels/gemm.js");
  const { jsGemm } = await import("/dist/kernels/js-gemm.js");
  const info = await configureKernels({ engine: "wasm-simd", threads: 2 });
  const n = 140;
  const A = new Float64Array(n * n).map((_, i) => Math.sin(i));
  const B = new Float64Array(n * n).map((_, i) => Math.cos(i));
  const C = new Float64Array(n * n), R = new Float64Array(n * n);
  gemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, B, n, 1, 0, 0, C, n, 1, 0);
  jsGemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, B, n, 1, 0, 0, R, n, 1, 0);
  let d = 0;
  for (let i = 0; i < C.length; i++) d = Math.max(d, Math.abs(C[i] - R[i]));
  self.postMessage({ info, maxDiff: d, isolated: self.crossOriginIsolated });
} catch (e) { self.postMessage({ error: String(e && e.stack) }); }
`;

/** Serves the pages above and the package's dist/ (with COOP/COEP headers when `isolated`). */
function serve(isolated: boolean) {
  const headers = isolated
    ? {
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
      }
    : {};
  return createServer((req, res) => {
    const path = normalize((req.url ?? "/").split("?")[0] as string);
    const pages: Record<string, [string, string]> = {
      "/test.html": ["text/html", PAGE],
      "/isolated.html": ["text/html", ISOLATED_PAGE],
      "/isolated-worker.js": ["text/javascript", ISOLATED_WORKER],
    };
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { "content-type": page[0], ...headers });
      res.end(page[1]);
      return;
    }
    const file = join(pkg, path);
    if (!path.startsWith("/dist/") || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/javascript", ...headers });
    res.end(readFileSync(file));
  });
}

/** Loads `url` in headless Chromium and returns the JSON between RESULT and END in its DOM. */
async function runPage(url: string): Promise<Record<string, unknown>> {
  const dom = await new Promise<string>((resolve, reject) => {
    const child = spawn(CHROMIUM, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--virtual-time-budget=20000",
      "--dump-dom",
      url,
    ]);
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
  const match = /RESULT(.*?)END/s.exec(dom.replace(/&quot;/g, '"'));
  expect(match, dom.slice(0, 500)).not.toBeNull();
  return JSON.parse((match as RegExpExecArray)[1] as string) as Record<string, unknown>;
}

describe("the WebAssembly kernels in a browser", () => {
  it.skipIf(reason !== "")(
    `run on 2 threads inside a worker of a cross-origin isolated page${reason === "" ? "" : ` (skipped: ${reason})`}`,
    async () => {
      const server = serve(true);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      // real time (Playwright), not --virtual-time-budget: virtual time does not run the
      // nested kernel workers
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${port}/isolated.html`);
        const result = (await page.evaluate(
          () => (globalThis as unknown as { answer: Promise<unknown> }).answer,
        )) as {
          info?: { engine: string; threads: number };
          maxDiff?: number;
          isolated?: boolean;
          error?: string;
        };
        expect(result.error, JSON.stringify(result)).toBeUndefined();
        expect(result.isolated, JSON.stringify(result)).toBe(true);
        expect(result.info?.engine).toBe("wasm-simd");
        expect(result.info?.threads).toBe(2);
        expect(result.maxDiff).toBeLessThanOrEqual(1e-12 * 140);
      } finally {
        await browser.close();
        server.close();
      }
    },
    90_000,
  );

  it.skipIf(reason !== "")(
    `run on one thread in headless Chromium${reason === "" ? "" : ` (skipped: ${reason})`}`,
    async () => {
      const server = serve(false);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const result = (await runPage(`http://127.0.0.1:${port}/test.html`)) as {
          info?: { engine: string; threads: number };
          maxDiff?: number;
          isolated?: boolean;
          error?: string;
        };
        expect(result.error).toBeUndefined();
        expect(result.info?.engine).toBe("wasm-simd");
        expect(result.info?.threads).toBe(1);
        expect(result.isolated).toBe(false);
        expect(result.maxDiff).toBeLessThanOrEqual(1e-12 * 0.5 * 301);
      } finally {
        server.close();
      }
    },
    90_000,
  );
});
