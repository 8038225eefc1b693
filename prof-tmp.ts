import { configureKernels, createRng, gemm } from "./packages/tensors/src/index.js";
const n = 512; const rng = createRng(1);
const A = rng.fillUniform(new Float64Array(n * n), -1, 1), B = rng.fillUniform(new Float64Array(n * n), -1, 1), C = new Float64Array(n * n);
const W = new Float64Array(4 * n * n);
const best: Record<string, number> = {};
const t = (k: string, f: () => void) => { const s = performance.now(); f(); best[k] = Math.min(best[k] ?? 1e9, performance.now() - s); };
for (const threads of [1, 2]) {
  await configureKernels({ engine: "wasm-simd", threads });
  for (let r = 0; r < 10; r++) {
    t(`gemm${threads}`, () => gemm("no-transpose", "no-transpose", n, n, n, 1, A, n, 1, 0, B, n, 1, 0, 0, C, n, 1, 0));
    t("copies3", () => { W.set(A, 0); W.set(B, n * n); C.set(W.subarray(2 * n * n, 3 * n * n)); });
  }
}
for (const k in best) console.log(k, best[k]!.toFixed(2), "ms", k.startsWith("gemm") ? (2 * n ** 3 / best[k]! / 1e6).toFixed(2) + " GFLOP/s" : "");
process.exit(0);
