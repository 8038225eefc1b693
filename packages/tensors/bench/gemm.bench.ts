/**
 * gemm benchmark: GFLOP/s of the float64 js `gemm`, tfjs-wasm float32 `matMul` and ml-matrix
 * `mmul` on n × n products, all measured in one run (one process, same machine state).
 *
 *     node --import tsx packages/tensors/bench/gemm.bench.ts [--quick]
 *
 * Prints one JSON document on stdout. `--quick` measures n = 256 and 512 only (for CI).
 * Each measurement: one warm-up call, then the median of several timed repetitions.
 */
import { cpus } from "node:os";
import { Matrix as MlMatrix } from "ml-matrix";
import { createRng, gemm, Matrix } from "../src/index.js";
import { getBackend, initTfjs } from "../src/tfjs/index.js";

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

function randomMatrix(n: number, seed: number): Matrix {
  return new Matrix(n, n, createRng(seed).fillUniform(new Float64Array(n * n), -1, 1));
}

async function main(): Promise<void> {
  const handle = await initTfjs();
  const wasmBackend = handle.backend === "wasm" ? await getBackend("tfjs-wasm") : undefined;
  const { tf } = handle;
  const results = [];
  for (const n of sizes) {
    const a = randomMatrix(n, 2 * n);
    const b = randomMatrix(n, 2 * n + 1);
    const c = new Matrix(n, n);

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

    results.push({
      n,
      js,
      tfjsWasm,
      tfjsWasmBackend,
      mlMatrix,
      jsOverMlMatrix: round(js.gflops / mlMatrix.gflops),
      check: { maxAbsDiffMlMatrix, maxAbsDiffFloat32 },
    });
  }
  const at512 = results.find((r) => r.n === 512);
  const ratio = at512 === undefined ? Number.NaN : at512.jsOverMlMatrix;
  const target = 3;
  const report = {
    benchmark: "gemm",
    description:
      "C = A·B for random n×n matrices; GFLOP/s = 2n³ / median time. js: float64 blocked gemm; tfjsWasm: float32 tf.matMul on resident tensors; tfjsWasmBackend: getBackend('tfjs-wasm').matmul incl. float64↔float32 conversion; mlMatrix: ml-matrix mmul (float64).",
    quick,
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      tfjsBackend: handle.backend,
      ...(handle.fallbackReason === undefined ? {} : { tfjsFallbackReason: handle.fallbackReason }),
    },
    results,
    ratioJsOverMlMatrixAt512: ratio,
    target,
    pass: ratio >= target,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
