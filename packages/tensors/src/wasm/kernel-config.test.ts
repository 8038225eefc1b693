import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidOptionError } from "../errors.js";
import { gemm } from "../kernels/gemm.js";
import { wasmWorthIt } from "../kernels/wasm-crossover.js";
import { configureKernels, kernelInfo } from "./kernel-config.js";

describe("the default engine", () => {
  it("starts its worker threads in the background on the first large product (Node)", async () => {
    // nothing configured yet in this file: engine "auto", threads "auto"
    expect(kernelInfo().configured).toBe("auto");
    const n = 128;
    const A = new Float64Array(n * n).fill(0.5);
    const C = new Float64Array(n * n);
    gemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, A, n, 1, 0, 0, C, n, 1, 0);
    expect(C[0]).toBe(32); // 128 · 0.25, exact
    const want = Math.min(8, availableParallelism());
    const deadline = Date.now() + 20_000;
    while (kernelInfo().threads !== want && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(kernelInfo()).toEqual({
      engine: "wasm-simd",
      configured: "auto",
      wasmSimd: true,
      threads: want,
    });
    C.fill(0);
    gemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, A, n, 1, 0, 0, C, n, 1, 0);
    expect(C.every((v) => v === 32)).toBe(true);
  }, 30_000);
});

describe("configureKernels", () => {
  afterAll(async () => {
    await configureKernels({});
  });

  it("switches between the WebAssembly and the JS kernels", async () => {
    const wasm = await configureKernels({ engine: "wasm-simd", threads: 1 });
    expect(wasm).toEqual({
      engine: "wasm-simd",
      configured: "wasm-simd",
      wasmSimd: true,
      threads: 1,
    });
    const js = await configureKernels({ engine: "js" });
    expect(js.engine).toBe("js");
    expect(js.threads).toBe(1);
    expect(kernelInfo().configured).toBe("js");
    // the JS kernels answer exactly on integers
    const A = new Float64Array([1, 2, 3, 4]);
    const C = new Float64Array(4);
    gemm("no-transpose", "transpose", 2, 2, 2, 1, A, 2, 1, 0, A, 2, 1, 0, 0, C, 2, 1, 0);
    expect([...C]).toEqual([5, 11, 11, 25]);
  });

  it('"auto" uses WebAssembly above the measured crossover only', async () => {
    const info = await configureKernels({ engine: "auto", threads: 1 });
    expect(info.engine).toBe("wasm-simd");
    expect(wasmWorthIt(8, 8, 8)).toBe(false);
    expect(wasmWorthIt(16, 16, 16)).toBe(true);
    // a matrix–vector shaped product reads each copied entry once: JS
    expect(wasmWorthIt(1000, 1, 1000)).toBe(false);
  });

  it("names a bad option and its value", async () => {
    await expect(configureKernels({ engine: "gpu" as "js" })).rejects.toThrow(InvalidOptionError);
    await expect(configureKernels({ threads: 0 })).rejects.toThrow(/options\.threads/);
    await expect(configureKernels({ threads: 1.5 })).rejects.toThrow(/1\.5/);
    await expect(configureKernels({ thread: 2 } as never)).rejects.toThrow(/thread/);
  });
});

describe("the committed kernel bytes", () => {
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../scripts/build-wasm.mjs");
  const clang = spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0;
  const lld = spawnSync("wasm-ld", ["--version"], { stdio: "ignore" }).status === 0;
  const reason = "clang/wasm-ld not installed (apt-get install -y clang lld): bytes not rebuilt";
  it.skipIf(!(clang && lld))(
    `are what build-wasm.mjs builds from kernels.c${clang && lld ? "" : ` (skipped: ${reason})`}`,
    () => {
      const run = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    },
    60_000,
  );
});
