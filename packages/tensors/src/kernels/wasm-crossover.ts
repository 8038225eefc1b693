/**
 * From this many multiply-adds on, `gemm` runs on the WebAssembly SIMD kernels (engine
 * `"auto"`), provided each copied operand entry feeds enough multiply-adds (below): on square
 * products JS is as fast or faster up to n = 4–8 and wasm 2–30× faster from n = 12–16 on
 * (`pnpm bench:tensors`, crossover section).
 */
const WASM_MIN_MULADDS = 16 * 16 * 16;
/** Multiply-adds per entry copied into wasm memory (`M·K + K·N + M·N`) that pay for the copy. */
const WASM_MIN_INTENSITY = 4;

/** Whether an `M × N × K` product is above the JS/WebAssembly crossover. @internal */
export function wasmWorthIt(M: number, N: number, K: number): boolean {
  return wasmWorthCopying(M * N * K, M * K + K * N + M * N);
}

/**
 * Whether `muladds` multiply-adds are worth running in WebAssembly when `copied` entries move
 * into or out of wasm memory for them (operands kept there between calls do not count). @internal
 */
export function wasmWorthCopying(muladds: number, copied: number): boolean {
  return muladds >= WASM_MIN_MULADDS && muladds >= WASM_MIN_INTENSITY * copied;
}
