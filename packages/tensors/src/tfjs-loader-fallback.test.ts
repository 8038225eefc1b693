import { describe, expect, it } from "vitest";
import { initTfjs } from "./tfjs-loader.js";

// A file of its own: tfjs keeps one global backend per process (vitest isolates test files).
describe("initTfjs fallback", () => {
  it("falls back to cpu, and says why, when the wasm binary cannot be loaded", async () => {
    const handle = await initTfjs({ wasmPaths: "/nonexistent-convexformer-wasm-dir/" });
    expect(handle.backend).toBe("cpu");
    expect(handle.fallbackReason).toMatch(/wasm/);
    expect(handle.tf.getBackend()).toBe("cpu");
    const a = handle.tf.tensor1d([1, 2, 3]);
    const s = handle.tf.sum(a);
    expect(await s.data()).toEqual(new Float32Array([6]));
    a.dispose();
    s.dispose();
    // asking for cpu now agrees with what is active
    expect(await initTfjs({ backend: "cpu" })).toBe(handle);
    // the default request returns the active handle too
    expect(await initTfjs()).toBe(handle);
  });
});
