/**
 * gemm benchmark: GFLOP/s on n × n float64 products of the plain JS `gemm`, the WebAssembly
 * SIMD128 kernels on 1 and 2 threads, tfjs-wasm float32 `matMul` and ml-matrix `mmul`, and
 * numpy/OpenBLAS float64 (Debian python3-numpy, spawned in the same run with
 * `OPENBLAS_CORETYPE`/`OPENBLAS_L2_SIZE` removed from its environment only), all measured in
 * one run (same machine state), with the ratio of each float64 engine to OpenBLAS. Also the
 * JS/WebAssembly crossover on small products (the sizes behind `gemm`'s `"auto"` dispatch).
 *
 *     pnpm bench:tensors [--quick]
 *
 * Prints one JSON document on stdout. `--quick` measures n = 256 and 512 only (for CI).
 * Each measurement: one warm-up call, then the median of several timed repetitions.
 * Environment: BENCH_PYTHON (default /usr/bin/python3).
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Matrix as MlMatrix } from "ml-matrix";
import { configureKernels, createRng, gemm, type KernelOptions, Matrix } from "../src/index.js";
import { getBackend as getTfjsBackend, initTfjs } from "../src/tfjs/index.js";

const quick = process.argv.includes("--quick");
const sizes = quick ? [256, 512] : [256, 512, 1024];
/** Time budget per measurement (ms) used to choose the number of repetitions. */
const BUDGET_MS = quick ? 1000 : 2000;
const MIN_REPS = 3;
const MAX_REPS = 15;

interface Measurement {
  /** Billions of floating-point operations (2n³) per second, from the median time. */
  readonly gflops: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function measure(n: number, run: () => void): Measurement {
  const t0 = performance.now();
  run(); // warm-up (JIT, caches, wasm memory growth)
  const warm = performance.now() - t0;
  const reps = Math.max(MIN_REPS, Math.min(MAX_REPS, Math.ceil(BUDGET_MS / Math.max(warm, 1e-3))));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  const med = median(times);
  const flops = 2 * n * n * n;
  return {
    gflops: round(flops / (med * 1e6)),
    medianMs: round(med),
    minMs: round(Math.min(...times)),
    reps,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const here = dirname(fileURLToPath(import.meta.url));

interface NumpyRun {
  readonly numpy: string;
  readonly blas: string;
  readonly results: { n: number; gflops: number; medianMs: number; minMs: number; reps: number }[];
}

/** numpy/OpenBLAS float64 matmul, with the OpenBLAS overrides of this machine unset. */
function runNumpy(ns: number[], threads?: number): NumpyRun | { readonly error: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_BUDGET_MS: String(BUDGET_MS) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads === undefined) delete env.OPENBLAS_NUM_THREADS;
  else env.OPENBLAS_NUM_THREADS = String(threads);
  const run = spawnSync(PYTHON, [join(here, "gemm_numpy.py"), ...ns.map(String)], {
    encoding: "utf8",
    env,
    timeout: 300_000,
  });
  if (run.status !== 0) {
    return { error: `${PYTHON} gemm_numpy.py: ${run.error?.message ?? run.stderr.trim()}` };
  }
  return JSON.parse(run.stdout) as NumpyRun;
}

/** C = A·B through the public `gemm` under the given kernel configuration. */
async function measureGemm(n: number, options: KernelOptions, a: Matrix, b: Matrix, c: Matrix) {
  await configureKernels(options);
  // small products: time batches of calls (about 2²¹ multiply-adds each), report one call
  const batch = Math.max(1, Math.ceil(2 ** 21 / n ** 3));
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const m = measure(n, () => {
    for (let r = 0; r < batch; r++) {
      gemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, B, n, 1, 0, 0, C, n, 1, 0);
    }
  });
  if (batch === 1) return m;
  // from the batch's median time (its GFLOP/s figure is rounded for one call's flops)
  return {
    gflops: round((2 * n ** 3 * batch) / (m.medianMs * 1e6)),
    medianMs: round(m.medianMs / batch),
    minMs: round(m.minMs / batch),
    reps: m.reps * batch,
  };
}

/** Small products: JS vs one-thread WebAssembly, to place the crossover of `"auto"`. */
async function crossover(): Promise<
  { n: number; jsGflops: number; wasmGflops: number; wasmOverJs: number }[]
> {
  const out = [];
  for (const n of [4, 8, 12, 16, 24, 32, 48, 64]) {
    const a = randomMatrix(n, n);
    const b = randomMatrix(n, n + 1);
    const c = new Matrix(n, n);
    const js = await measureGemm(n, { engine: "js" }, a, b, c);
    const wasm = await measureGemm(n, { engine: "wasm-simd", threads: 1 }, a, b, c);
    out.push({
      n,
      jsGflops: js.gflops,
      wasmGflops: wasm.gflops,
      wasmOverJs: round(wasm.gflops / js.gflops),
    });
  }
  return out;
}

function randomMatrix(n: number, seed: number): Matrix {
  return new Matrix(n, n, createRng(seed).fillUniform(new Float64Array(n * n), -1, 1));
}

async function main(): Promise<void> {
  const handle = await initTfjs();
  const wasmBackend = handle.backend === "wasm" ? await getTfjsBackend("tfjs-wasm") : undefined;
  const { tf } = handle;
  const loadBefore = loadavg()[0] as number;
  const numpy = runNumpy(sizes);
  // OpenBLAS on one thread: how much a second core gives on this machine right now
  const numpy1 = runNumpy(sizes, 1);
  const results = [];
  for (const n of sizes) {
    const a = randomMatrix(n, 2 * n);
    const b = randomMatrix(n, 2 * n + 1);
    const c = new Matrix(n, n);
    const cw = new Matrix(n, n);

    const wasm1 = await measureGemm(n, { engine: "wasm-simd", threads: 1 }, a, b, cw);
    const wasm2 = await measureGemm(n, { engine: "wasm-simd", threads: 2 }, a, b, cw);
    let maxAbsDiffWasm = 0;
    await configureKernels({ engine: "js" });
    const js = measure(n, () =>
      gemm(
        "no-transpose",
        "no-transpose",
        n,
        n,
        n,
        1,
        a.data,
        n,
        1,
        0,
        b.data,
        n,
        1,
        0,
        0,
        c.data,
        n,
        1,
        0,
      ),
    );

    for (let i = 0; i < n * n; i++) {
      maxAbsDiffWasm = Math.max(maxAbsDiffWasm, Math.abs(cw.data[i]! - c.data[i]!));
    }

    const mlA = new MlMatrix(a.toRows());
    const mlB = new MlMatrix(b.toRows());
    let mlC = mlA.mmul(mlB);
    const mlMatrix = measure(n, () => {
      mlC = mlA.mmul(mlB);
    });

    // tfjs-wasm, tensors resident in wasm memory: the kernel itself (dataSync forces the result)
    let tfjsWasm: Measurement | null = null;
    // tfjs-wasm through the KernelBackend seam: float64 → float32 upload, product, widening
    let tfjsWasmBackend: Measurement | null = null;
    let maxAbsDiffFloat32 = Number.NaN;
    if (wasmBackend !== undefined) {
      const ta = tf.tensor2d(Float32Array.from(a.data), [n, n]);
      const tb = tf.tensor2d(Float32Array.from(b.data), [n, n]);
      tfjsWasm = measure(n, () => {
        const tc = tf.matMul(ta, tb);
        tc.dataSync();
        tc.dispose();
      });
      ta.dispose();
      tb.dispose();
      let out = wasmBackend.matmul(a, b).value;
      tfjsWasmBackend = measure(n, () => {
        out = wasmBackend.matmul(a, b).value;
      });
      maxAbsDiffFloat32 = 0;
      for (let i = 0; i < n * n; i++) {
        maxAbsDiffFloat32 = Math.max(maxAbsDiffFloat32, Math.abs(out.data[i]! - c.data[i]!));
      }
    }

    // the three compute the same product
    let maxAbsDiffMlMatrix = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        maxAbsDiffMlMatrix = Math.max(maxAbsDiffMlMatrix, Math.abs(mlC.get(i, j) - c.get(i, j)));
      }
    }

    const blas = "results" in numpy ? numpy.results.find((r) => r.n === n) : undefined;
    const blas1 = "results" in numpy1 ? numpy1.results.find((r) => r.n === n) : undefined;
    const overBlas = (g: number): number | null =>
      blas === undefined ? null : round(g / blas.gflops);
    results.push({
      n,
      js,
      wasm1Thread: wasm1,
      wasm2Threads: wasm2,
      tfjsWasm,
      tfjsWasmBackend,
      mlMatrix,
      numpyOpenBlas: blas ?? null,
      numpyOpenBlas1Thread: blas1 ?? null,
      openBlasAllOver1Thread:
        blas === undefined || blas1 === undefined ? null : round(blas.gflops / blas1.gflops),
      ratioToOpenBlas: {
        js: overBlas(js.gflops),
        wasm1Thread: overBlas(wasm1.gflops),
        wasm2Threads: overBlas(wasm2.gflops),
      },
      wasm2OverJs: round(wasm2.gflops / js.gflops),
      wasm2OverWasm1: round(wasm2.gflops / wasm1.gflops),
      jsOverMlMatrix: round(js.gflops / mlMatrix.gflops),
      check: { maxAbsDiffWasm, maxAbsDiffMlMatrix, maxAbsDiffFloat32 },
    });
  }
  const small = await crossover();
  await configureKernels({});
  const at512 = results.find((r) => r.n === 512);
  const wasm2At512 = at512 === undefined ? Number.NaN : at512.wasm2Threads.gflops;
  const target = 12;
  const report = {
    benchmark: "gemm",
    description:
      "C = A·B for random n×n matrices; GFLOP/s = 2n³ / median time. js: float64 blocked JS gemm; wasm1Thread / wasm2Threads: float64 WebAssembly SIMD128 gemm (copies in and out of wasm memory included) on 1 / 2 threads; tfjsWasm: float32 tf.matMul on resident tensors; tfjsWasmBackend: getBackend('tfjs-wasm').matmul incl. float64↔float32 conversion; mlMatrix: ml-matrix mmul (float64); numpyOpenBlas / numpyOpenBlas1Thread: numpy float64 a @ b on OpenBLAS (all cores / OPENBLAS_NUM_THREADS=1), spawned in the same run; crossover: small products, JS vs 1-thread wasm.",
    quick,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      loadAverage1mBefore: round(loadBefore),
      loadAverage1mAfter: round(loadavg()[0] as number),
      tfjsBackend: handle.backend,
      ...(handle.fallbackReason === undefined ? {} : { tfjsFallbackReason: handle.fallbackReason }),
      numpy: "results" in numpy ? { version: numpy.numpy, blas: numpy.blas } : numpy,
    },
    results,
    crossover: small,
    wasm2ThreadsGflopsAt512: wasm2At512,
    target: { wasm2ThreadsGflopsAt512: target },
    pass: wasm2At512 >= target,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
