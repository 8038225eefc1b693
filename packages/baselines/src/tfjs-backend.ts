// tfjs-core's declarations (hash_util.d.ts) name the global \`Long\` of @types/long, a dependency
// of tfjs-core they do not reference; this directive (kept in our .d.ts) puts it in a consumer's
// program, so a consumer compiles with skipLibCheck: false.
/// <reference types="long" preserve="true" />
import { initTfjs, type TfjsHandle } from "@convexformer/tensors/tfjs";
import type * as TfjsCore from "@tensorflow/tfjs-core";

/**
 * The tfjs backends this package runs on.
 *
 * @example
 * ```ts
 * import { setupTfjs, type BaselineBackend } from "@convexformer/baselines";
 * const backend: BaselineBackend = "cpu";
 * (await setupTfjs({ backend })).backend; // "cpu"
 * ```
 */
export type BaselineBackend = "wasm" | "cpu";

/**
 * What {@link setupTfjs} resolves to: the tfjs namespace the models use and the backend that is
 * active. `tf` is the `@tensorflow/tfjs` instance every Convexformer package shares, typed as
 * the `@tensorflow/tfjs-core` namespace (tensors, ops, `tidy`, `variableGrads`, variables): this
 * package's declarations refer to tfjs-core's only, not to the umbrella's layers, data and
 * converter declarations, so a consumer compiles with `skipLibCheck: false`. Import
 * `@tensorflow/tfjs` yourself for its other parts.
 *
 * @example
 * ```ts
 * import { setupTfjs, type BaselineTfjs } from "@convexformer/baselines";
 * const setup: BaselineTfjs = await setupTfjs({ backend: "cpu" });
 * setup.backend; // "cpu"
 * Array.from(setup.tf.add(setup.tf.tensor([1, 2]), 1).dataSync()); // [2, 3]
 * ```
 */
export interface BaselineTfjs {
  /** The shared tfjs namespace, with {@link BaselineTfjs.backend} as its backend. */
  readonly tf: typeof TfjsCore;
  /** The backend that is active (`"cpu"` also when wasm was asked for but failed to load). */
  readonly backend: BaselineBackend;
  /** Why the wasm backend is not active although it was asked for; absent otherwise. */
  readonly fallbackReason?: string;
}

const setups = new WeakMap<TfjsHandle, BaselineTfjs>();

/**
 * Selects the tfjs backend explicitly before any model is built: the wasm backend (SIMD,
 * single-threaded in Node; ~40× faster than `cpu` for matrix products) by default, the pure
 * JavaScript `cpu` backend as the fallback (the result's `fallbackReason` says why). Delegates
 * to `initTfjs` of `@convexformer/tensors/tfjs`, so every package shares one tfjs instance and
 * one backend; calling it again returns the same setup.
 *
 * Models and trainers run on whatever backend is active; call this once, first.
 *
 * @param options - optional; `backend`: `"wasm"` (default) or `"cpu"`
 * @returns the tfjs namespace and the backend now active ({@link BaselineTfjs})
 *
 * @example
 * ```ts
 * import { setupTfjs } from "@convexformer/baselines";
 * const { backend } = await setupTfjs();
 * backend; // "wasm"
 * ```
 */
export async function setupTfjs(options?: { backend?: BaselineBackend }): Promise<BaselineTfjs> {
  const handle = await initTfjs(options?.backend === undefined ? {} : { backend: options.backend });
  let setup = setups.get(handle);
  if (setup === undefined) {
    setup = {
      tf: handle.tf,
      backend: handle.backend,
      ...(handle.fallbackReason === undefined ? {} : { fallbackReason: handle.fallbackReason }),
    };
    setups.set(handle, setup);
  }
  return setup;
}
