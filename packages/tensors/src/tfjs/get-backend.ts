import { getBackend as getBuiltinBackend } from "../backends/get-backend.js";
import type { BackendName, KernelBackend } from "../backends/kernel-backend.js";
import { createTfjsWasmBackend } from "../backends/tfjs-wasm-backend.js";
import { initTfjs } from "../tfjs-loader.js";

let tfjsWasm: Promise<KernelBackend> | undefined;

/**
 * A kernel backend by name, every name included: `"tfjs-wasm"` loads `@tensorflow/tfjs` and
 * `@tensorflow/tfjs-backend-wasm` on first use (through `initTfjs`) and is memoized; every other
 * name is the `getBackend` of the main entry point `@convexformer/tensors` (`"js"`, the float64
 * default, needs nothing).
 *
 * @param name - `"js"` (default) or `"tfjs-wasm"`
 * @throws `ConvexformerError` `backend-unavailable` (as a rejected promise) when tfjs or its wasm
 *   backend cannot be loaded, or when tfjs runs its `cpu` backend
 * @throws `InvalidOptionError` (as a rejected promise) for an unknown name
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { getBackend } from "@convexformer/tensors/tfjs";
 * const fast = await getBackend("tfjs-wasm");
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * const { value, precision } = fast.matmul(a, a, { transB: true });
 * value.toRows(); // [[5, 11], [11, 25]]
 * precision; // "float32"
 * ```
 */
export function getBackend(name: BackendName = "js"): Promise<KernelBackend> {
  if (name !== "tfjs-wasm") return getBuiltinBackend(name);
  if (tfjsWasm === undefined) {
    const attempt = initTfjs().then(createTfjsWasmBackend);
    tfjsWasm = attempt;
    attempt.catch(() => {
      // not memoized on failure: a later call may succeed (e.g. after installing tfjs)
      if (tfjsWasm === attempt) tfjsWasm = undefined;
    });
  }
  return tfjsWasm;
}
