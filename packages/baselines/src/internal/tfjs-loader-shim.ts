// TEMPORARY shim of `initTfjs` (packages/tensors/src/tfjs-loader.ts is being written by
// another engineer). Deleted once `initTfjs` is exported from @convexformer/tensors.
import * as tf from "@tensorflow/tfjs";

export async function initTfjs(
  options?: { backend?: "wasm" | "cpu" },
): Promise<{ tf: typeof tf; backend: string }> {
  const wanted = options?.backend ?? "wasm";
  if (wanted === "wasm") {
    try {
      await import("@tensorflow/tfjs-backend-wasm");
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        return { tf, backend: "wasm" };
      }
    } catch {
      // fall back to cpu
    }
  }
  await tf.setBackend("cpu");
  await tf.ready();
  return { tf, backend: "cpu" };
}
