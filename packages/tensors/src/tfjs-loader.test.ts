import { describe, expect, it } from "vitest";
import { ConvexformerError, InvalidOptionError } from "./errors.js";
import { createTfjsLoader, initTfjs } from "./tfjs-loader.js";

const realTfjs = () => import("@tensorflow/tfjs");
const realWasm = () => import("@tensorflow/tfjs-backend-wasm");

describe("initTfjs", () => {
  it("activates the wasm backend by default and computes a product", async () => {
    const handle = await initTfjs();
    expect(handle.backend).toBe("wasm");
    expect(handle.fallbackReason).toBeUndefined();
    const { tf } = handle;
    expect(tf.getBackend()).toBe("wasm");
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const c = tf.matMul(a, a);
    expect(Array.from(await c.data())).toEqual([7, 10, 15, 22]);
    a.dispose();
    c.dispose();
  });

  it("is memoized: every call returns the same promise and handle", async () => {
    const p1 = initTfjs();
    const p2 = initTfjs({ backend: "wasm" });
    expect(p2).toBe(p1);
    expect(await p2).toBe(await p1);
  });

  it("refuses to switch the global backend once initialised", async () => {
    await initTfjs();
    await expect(initTfjs({ backend: "cpu" })).rejects.toThrow(InvalidOptionError);
    await expect(initTfjs({ backend: "cpu" })).rejects.toThrow(/already initialised/);
  });

  it("validates options", async () => {
    // @ts-expect-error: an unknown backend name
    await expect(initTfjs({ backend: "webgl" })).rejects.toThrow(/options.backend/);
    // @ts-expect-error: an unknown option
    expect(() => initTfjs({ threads: 4 })).toThrow(InvalidOptionError);
  });
});

describe("createTfjsLoader", () => {
  it("throws backend-unavailable naming @tensorflow/tfjs when it cannot be imported", async () => {
    const init = createTfjsLoader({
      tfjs: () => Promise.reject(new Error("Cannot find package '@tensorflow/tfjs'")),
      wasm: realWasm,
      wasmDirectory: async () => undefined,
    });
    const error = await init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConvexformerError);
    expect((error as ConvexformerError).code).toBe("backend-unavailable");
    expect((error as ConvexformerError).argument).toBe("@tensorflow/tfjs");
    expect((error as Error).message).toMatch(/optional peer dependency/);
  });

  it("throws backend-unavailable naming the wasm package when only it is missing", async () => {
    const init = createTfjsLoader({
      tfjs: realTfjs,
      wasm: () => Promise.reject(new Error("Cannot find package")),
      wasmDirectory: async () => undefined,
    });
    await expect(init()).rejects.toMatchObject({
      code: "backend-unavailable",
      argument: "@tensorflow/tfjs-backend-wasm",
    });
  });

  it("does not memoize a failed load, so a later call can succeed", async () => {
    let attempts = 0;
    const init = createTfjsLoader({
      tfjs: () => {
        attempts++;
        return attempts === 1 ? Promise.reject(new Error("not yet")) : realTfjs();
      },
      wasm: realWasm,
      wasmDirectory: async () => undefined,
    });
    await expect(init()).rejects.toMatchObject({ code: "backend-unavailable" });
    const handle = await init();
    expect(handle.backend).toBe("wasm");
    expect(attempts).toBe(2);
  });

  it("rejects a module that is not tfjs 4.x", async () => {
    const init = createTfjsLoader({
      tfjs: async () => ({ version: "0.0.0" }),
      wasm: realWasm,
      wasmDirectory: async () => undefined,
    });
    await expect(init()).rejects.toThrow(/does not export setBackend/);
  });
});
