import { ConvexformerError, InvalidOptionError } from "../errors.js";
import { jsBackend } from "./js-backend.js";
import type { BackendName, KernelBackend } from "./kernel-backend.js";
import { createWasmSimdBackend } from "./wasm-simd-backend.js";

/**
 * A kernel backend by name, from the backends of the browser-safe main entry point. `"js"`
 * (the default) is the float64 {@link jsBackend} (plain JS) and needs nothing; `"wasm-simd"` is
 * the float64 WebAssembly SIMD128 backend of this package ({@link createWasmSimdBackend}:
 * compiled on first use, worker threads in Node). `"tfjs-wasm"` needs the optional tfjs peers,
 * so it lives in `@convexformer/tensors/tfjs`, whose `getBackend` accepts every name; asking
 * this one for it rejects with a `backend-unavailable` error that says so.
 *
 * @param name - `"js"` (default) or `"wasm-simd"`
 * @throws {@link ConvexformerError} `backend-unavailable` (as a rejected promise) for
 *   `"tfjs-wasm"`, or for `"wasm-simd"` when the host has no WebAssembly SIMD128
 * @throws {@link InvalidOptionError} (as a rejected promise) for an unknown name
 *
 * @example
 * ```ts
 * import { getBackend, Matrix } from "@convexformer/tensors";
 * const backend = await getBackend("js");
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * backend.matmul(a, a, { transB: true }).value.toRows(); // [[5, 11], [11, 25]]
 * await getBackend("tfjs-wasm"); // throws backend-unavailable
 * ```
 */
export function getBackend(name: BackendName = "js"): Promise<KernelBackend> {
  if (name === "js") return Promise.resolve(jsBackend);
  if (name === "wasm-simd") return createWasmSimdBackend();
  if (name === "tfjs-wasm") {
    return Promise.reject(
      new ConvexformerError(
        "backend-unavailable",
        'the "tfjs-wasm" backend needs the optional tfjs peers: import { getBackend } from "@convexformer/tensors/tfjs"',
        "name",
      ),
    );
  }
  return Promise.reject(
    new InvalidOptionError("name", name, 'must be "js", "wasm-simd" or "tfjs-wasm"'),
  );
}
