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
  const { gemm, jsGemm } = await import("/dist/kernels/gemm.js");
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

describe("the WebAssembly kernels in a browser", () => {
  it.skipIf(reason !== "")(
    `run on one thread in headless Chromium${reason === "" ? "" : ` (skipped: ${reason})`}`,
    async () => {
      const server = createServer((req, res) => {
        const path = normalize((req.url ?? "/").split("?")[0] as string);
        if (path === "/test.html") {
          res.writeHead(200, { "content-type": "text/html" });
          res.end(PAGE);
          return;
        }
        const file = join(pkg, path);
        if (!path.startsWith("/dist/") || !existsSync(file)) {
          res.writeHead(404);
          res.end();
          return;
        }
        res.writeHead(200, { "content-type": "text/javascript" });
        res.end(readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      try {
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
            `http://127.0.0.1:${port}/test.html`,
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
        const result = JSON.parse((match as RegExpExecArray)[1] as string) as {
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
