import { InvalidOptionError } from "../errors.js";
import { initTfjs } from "../tfjs-loader.js";
import { jsBackend } from "./js-backend.js";
import type { BackendName, KernelBackend } from "./kernel-backend.js";
import { createTfjsWasmBackend } from "./tfjs-wasm-backend.js";

let tfjsWasm: Promise<KernelBackend> | undefined;

/**
 * A kernel backend by name. `"js"` (the default) is the float64 {@link jsBackend} and needs
 * nothing; `"tfjs-wasm"` loads `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` on first
 * use (through `initTfjs`) and is memoized.
 *
 * @param name - `"js"` (default) or `"tfjs-wasm"`
 * @throws {@link ConvexformerError} `backend-unavailable` (as a rejected promise) when tfjs or
 *   its wasm backend cannot be loaded, or when tfjs runs its `cpu` backend
 * @throws {@link InvalidOptionError} for an unknown name
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { getBackend } from "@convexformer/tensors/tfjs";
 * const fast = await getBackend("tfjs-wasm");
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * const { value, precision } = fast.matmul(a, a, { transB: true });
 * precision; // "float32"
 * ```
 */
export function getBackend(name: BackendName = "js"): Promise<KernelBackend> {
  if (name === "js") return Promise.resolve(jsBackend);
  if (name !== "tfjs-wasm") {
    return Promise.reject(new InvalidOptionError("name", name, 'must be "js" or "tfjs-wasm"'));
  }
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
