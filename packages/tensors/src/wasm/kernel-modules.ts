import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./kernel-bytes.js";
import { type WasmModule, wasmApi } from "./wasm-api.js";

/** The compiled kernel modules: `plain` (one thread), `shared` when threads are possible. @internal */
export interface KernelModules {
  readonly plain: WasmModule;
  /** `undefined` where shared memory (`SharedArrayBuffer`, wasm threads) is unavailable. */
  readonly shared: WasmModule | undefined;
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Whether this host can run the modules (WebAssembly with SIMD128). @internal */
export function wasmSimdSupported(): boolean {
  const api = wasmApi();
  if (api === undefined) return false;
  try {
    return api.validate(decode(KERNELS_WASM_BASE64));
  } catch {
    return false;
  }
}

function sharedMemorySupported(): boolean {
  const api = wasmApi();
  if (api === undefined || typeof SharedArrayBuffer === "undefined") return false;
  try {
    new api.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** `null`: a synchronous compile failed (the asynchronous one may still succeed). */
let syncModules: KernelModules | null | undefined;
/** The host has no WebAssembly SIMD128: never retry. */
let unsupported = false;

/**
 * Compiles the modules synchronously (Node; small modules in browsers). `undefined` when the
 * host has no WebAssembly SIMD or refuses synchronous compilation. Memoized.
 *
 * @internal
 */
export function compileKernelModulesSync(): KernelModules | undefined {
  if (syncModules !== undefined) return syncModules ?? undefined;
  syncModules = null;
  const api = wasmApi();
  if (api === undefined || !wasmSimdSupported()) {
    unsupported = true;
    return undefined;
  }
  try {
    const plain = new api.Module(decode(KERNELS_WASM_BASE64));
    const shared = sharedMemorySupported()
      ? new api.Module(decode(KERNELS_SHARED_WASM_BASE64))
      : undefined;
    syncModules = { plain, shared };
  } catch {
    syncModules = null;
  }
  return syncModules ?? undefined;
}

/**
 * Compiles the modules asynchronously (works on a browser's main thread too). `undefined`
 * when the host has no WebAssembly SIMD.
 *
 * @internal
 */
export async function compileKernelModules(): Promise<KernelModules | undefined> {
  const ready = syncModules ?? undefined;
  if (ready !== undefined) return ready;
  const api = wasmApi();
  if (unsupported || api === undefined || !wasmSimdSupported()) return undefined;
  const plain = await api.compile(decode(KERNELS_WASM_BASE64));
  const shared = sharedMemorySupported()
    ? await api.compile(decode(KERNELS_SHARED_WASM_BASE64))
    : undefined;
  syncModules = { plain, shared };
  return syncModules;
}
