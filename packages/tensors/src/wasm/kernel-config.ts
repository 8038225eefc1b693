import { InvalidOptionError } from "../errors.js";
import { validateKnownOptions } from "../validate.js";
import { compileKernelModules, compileKernelModulesSync } from "./kernel-modules.js";
import { WasmEngine } from "./wasm-engine.js";

/**
 * Which engine runs the float64 products of `gemm`, `gemv`, `maskedGemm`,
 * `maskedGemmAdjoint`, `gatedProduct`, `gatedProductAdjoint` and `matmul`: `"auto"` (WebAssembly SIMD above the measured crossover
 * sizes when the host has it, the JS kernels otherwise), `"wasm-simd"` (WebAssembly whenever
 * it is available, at every size) or `"js"` (the plain JS kernels only).
 *
 * @example
 * ```ts
 * import { configureKernels, type KernelEngine } from "@convexformer/tensors";
 * const engine: KernelEngine = "js";
 * const info = await configureKernels({ engine });
 * info.engine; // "js"
 * await configureKernels({ engine: "auto" });
 * ```
 */
export type KernelEngine = "auto" | "wasm-simd" | "js";

/**
 * Options of {@link configureKernels}.
 *
 * @example
 * ```ts
 * import { configureKernels, type KernelOptions } from "@convexformer/tensors";
 * const options: KernelOptions = { engine: "auto", threads: 1 };
 * (await configureKernels(options)).threads; // 1
 * ```
 */
export interface KernelOptions {
  /** The engine (default `"auto"`). */
  readonly engine?: KernelEngine;
  /**
   * Threads the WebAssembly kernels may use: a positive integer, or `"auto"` (the default: the
   * available parallelism, capped at 8). More than one thread needs shared WebAssembly memory
   * and a calling thread that may block: Node (`worker_threads`), or a Web Worker of a
   * cross-origin isolated page (nested Web Workers); a page's main thread, or a page that is
   * not isolated, runs one thread.
   */
  readonly threads?: number | "auto";
}

/**
 * What runs the float64 products now (see {@link kernelInfo}).
 *
 * @example
 * ```ts
 * import { kernelInfo, type KernelInfo } from "@convexformer/tensors";
 * const info: KernelInfo = kernelInfo();
 * info.threads >= 1; // true
 * ```
 */
export interface KernelInfo {
  /** `"wasm-simd"` when large products run in WebAssembly, `"js"` otherwise. */
  readonly engine: "wasm-simd" | "js";
  /** The configured engine. */
  readonly configured: KernelEngine;
  /** Whether this host runs the WebAssembly SIMD128 kernels. */
  readonly wasmSimd: boolean;
  /** Threads large products use now (1 until worker threads are ready). */
  readonly threads: number;
}

const MAX_AUTO_THREADS = 8;
const OPTIONS = ["engine", "threads"] as const;

let configured: KernelEngine = "auto";
let threadSetting: number | "auto" = "auto";
/** `null`: WebAssembly SIMD unavailable on this host. */
let engine: WasmEngine | null | undefined;
let starting: Promise<void> | undefined;
let startedFor: number | undefined;

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

/**
 * Whether this thread may run kernel threads: Node, or a dedicated Web Worker of a
 * cross-origin isolated page (shared memory, and a thread allowed to block in `Atomics.wait`;
 * a page's main thread is not).
 */
function canRunThreads(): boolean {
  if (isNode()) return true;
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    WorkerGlobalScope?: abstract new () => unknown;
    Worker?: unknown;
  };
  return (
    g.crossOriginIsolated === true &&
    typeof g.Worker === "function" &&
    typeof g.WorkerGlobalScope === "function" &&
    globalThis instanceof g.WorkerGlobalScope
  );
}

function getEngine(): WasmEngine | undefined {
  if (engine === undefined) {
    // undefined until compiled: synchronously here (Node), or by readyEngine's asynchronous
    // compile where the host refuses synchronous compiles (a browser's main thread)
    const modules = compileKernelModulesSync();
    if (modules === undefined) return undefined;
    try {
      engine = new WasmEngine(modules, canRunThreads() && modules.shared !== undefined);
    } catch {
      engine = null;
    }
  }
  return engine ?? undefined;
}

async function wantedThreads(): Promise<number> {
  if (threadSetting !== "auto") return threadSetting;
  if (!isNode()) {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
      ?.hardwareConcurrency;
    return Math.max(1, Math.min(MAX_AUTO_THREADS, cores ?? 1));
  }
  const specifier = "node:os";
  const os = (await import(
    /* @vite-ignore */ /* webpackIgnore: true */ specifier
  )) as typeof import("node:os");
  return Math.max(1, Math.min(MAX_AUTO_THREADS, os.availableParallelism()));
}

/** Starts (or resizes) the worker pool of the engine; never rejects (stays one-threaded). */
function ensureThreads(e: WasmEngine): Promise<void> {
  if (starting !== undefined) return starting;
  const attempt = (async () => {
    const n = e.shared ? await wantedThreads() : 1;
    if (startedFor === n) return;
    startedFor = n;
    try {
      await e.startThreads(n);
    } catch {
      // no worker threads on this host: products run on the calling thread
    }
  })();
  starting = attempt;
  void attempt.finally(() => {
    if (starting === attempt) starting = undefined;
  });
  return attempt;
}

/**
 * The engine a product runs on, or `undefined` for the JS kernels; `worth` says whether the
 * product is above the crossover where WebAssembly beats JS (engine `"auto"`). Starts the
 * worker threads in the background on first use (Node). @internal
 */
export function dispatchEngine(worth: boolean): WasmEngine | undefined {
  if (configured === "js" || (configured === "auto" && !worth)) return undefined;
  const e = getEngine();
  if (e !== undefined && startedFor === undefined) void ensureThreads(e);
  return e;
}

/**
 * Chooses the engine and the thread count of the float64 kernels (process-wide) and resolves
 * once it is in effect (WebAssembly compiled, worker threads started). Until worker threads
 * are ready, products run on the calling thread; products stay synchronous either way (the
 * calling thread runs its share and waits for the workers with `Atomics.wait`).
 *
 * The results of the WebAssembly kernels do not depend on the thread count (each output entry
 * is computed by one thread in the same order); they differ from the JS kernels' by rounding
 * only (about 1e-16 relative per multiply-add).
 *
 * @param options - `engine` (default `"auto"`), `threads` (default `"auto"`)
 * @throws {@link InvalidOptionError} for an unknown engine or a thread count that is not a
 *   positive integer
 *
 * @example
 * ```ts
 * import { configureKernels, gemm } from "@convexformer/tensors";
 * const info = await configureKernels({ engine: "auto", threads: 2 });
 * info.engine; // "wasm-simd" where WebAssembly SIMD runs (Node 20, current browsers)
 * const A = new Float64Array([1, 2, 3, 4]);
 * const C = new Float64Array(4);
 * gemm("no-transpose", "no-transpose", 2, 2, 2, 1, A, 2, 1, 0, A, 2, 1, 0, 0, C, 2, 1, 0);
 * // C = [7, 10, 15, 22]
 * ```
 */
export async function configureKernels(options: KernelOptions = {}): Promise<KernelInfo> {
  validateKnownOptions("options", options, OPTIONS);
  const { engine: wanted = "auto", threads = "auto" } = options;
  if (wanted !== "auto" && wanted !== "wasm-simd" && wanted !== "js") {
    throw new InvalidOptionError("options.engine", wanted, 'must be "auto", "wasm-simd" or "js"');
  }
  if (threads !== "auto" && !(Number.isSafeInteger(threads) && threads >= 1)) {
    throw new InvalidOptionError(
      "options.threads",
      threads,
      'must be a positive integer or "auto"',
    );
  }
  configured = wanted;
  const changed = threadSetting !== threads;
  threadSetting = threads;
  if (wanted !== "js") await readyEngine(changed);
  return kernelInfo();
}

/**
 * The process-wide WebAssembly engine once compiled (asynchronously: a browser's main thread
 * may refuse synchronous compiles) with its worker threads started as configured;
 * `undefined` where WebAssembly SIMD cannot run. @internal
 */
export async function readyEngine(restartThreads = false): Promise<WasmEngine | undefined> {
  if (getEngine() === undefined) await compileKernelModules().catch(() => undefined);
  const e = getEngine();
  if (e === undefined) return undefined;
  if (starting !== undefined) await starting;
  if (restartThreads) startedFor = undefined;
  await ensureThreads(e);
  return e;
}

/**
 * What runs the float64 products now: the engine, whether WebAssembly SIMD is available and
 * how many threads large products use.
 *
 * @example
 * ```ts
 * import { configureKernels, kernelInfo } from "@convexformer/tensors";
 * await configureKernels({ engine: "js" });
 * kernelInfo().engine; // "js"
 * await configureKernels({ engine: "auto" });
 * ```
 */
export function kernelInfo(): KernelInfo {
  const e = configured === "js" ? undefined : getEngine();
  return {
    engine: e === undefined ? "js" : "wasm-simd",
    configured,
    wasmSimd: getEngine() !== undefined,
    threads: e === undefined ? 1 : e.threads,
  };
}
