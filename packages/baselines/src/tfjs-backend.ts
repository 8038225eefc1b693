import { initTfjs, type TfjsHandle } from "@convexformer/tensors/tfjs";

/** The tfjs backends this package runs on. */
export type BaselineBackend = "wasm" | "cpu";

/**
 * Selects the tfjs backend explicitly before any model is built: the wasm backend (SIMD,
 * single-threaded in Node; ~40× faster than `cpu` for matrix products) by default, the pure
 * JavaScript `cpu` backend as the fallback (the handle's `fallbackReason` says why). Delegates
 * to `initTfjs` of `@convexformer/tensors`, so every package shares one tfjs instance and one
 * backend; calling it again returns the same handle.
 *
 * Models and trainers run on whatever backend is active; call this once, first.
 *
 * @param options - `backend`: `"wasm"` (default) or `"cpu"`
 * @returns the tfjs namespace and the backend now active
 *
 * @example
 * ```ts
 * import { setupTfjs } from "@convexformer/baselines";
 * const { backend } = await setupTfjs();
 * backend; // "wasm"
 * ```
 */
export function setupTfjs(options?: { backend?: BaselineBackend }): Promise<TfjsHandle> {
  return initTfjs(options?.backend === undefined ? {} : { backend: options.backend });
}
