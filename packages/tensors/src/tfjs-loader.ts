import type * as Tfjs from "@tensorflow/tfjs";
import type * as TfjsWasm from "@tensorflow/tfjs-backend-wasm";
import { ConvexformerError, InvalidOptionError } from "./errors.js";
import { assertKnownOptions } from "./validate.js";

/**
 * The tfjs namespace (`import * as tf from "@tensorflow/tfjs"`).
 *
 * @example
 * ```ts
 * import { initTfjs, type TfjsNamespace } from "@convexformer/tensors/tfjs";
 * const tf: TfjsNamespace = (await initTfjs({ backend: "cpu" })).tf;
 * tf.tensor1d([1, 2, 3]).sum().dataSync()[0]; // 6
 * ```
 */
export type TfjsNamespace = typeof Tfjs;

/**
 * A tfjs backend this package can activate.
 *
 * @example
 * ```ts
 * import { initTfjs, type TfjsBackendName } from "@convexformer/tensors/tfjs";
 * const wanted: TfjsBackendName = "cpu";
 * (await initTfjs({ backend: wanted })).backend; // "cpu"
 * ```
 */
export type TfjsBackendName = "wasm" | "cpu";

/**
 * Options of {@link initTfjs}.
 *
 * @example
 * ```ts
 * import { initTfjs, type TfjsOptions } from "@convexformer/tensors/tfjs";
 * const options: TfjsOptions = { backend: "cpu" };
 * const handle = await initTfjs(options);
 * handle.backend; // "cpu"
 * ```
 */
export interface TfjsOptions {
  /**
   * The backend to activate: `"wasm"` (default; SIMD, single-threaded in Node; falls back to
   * `"cpu"` when the wasm binary cannot be loaded) or `"cpu"` (the pure-JS reference backend).
   */
  readonly backend?: TfjsBackendName;
  /**
   * Where the `tfjs-backend-wasm*.wasm` binaries live: a directory path or URL prefix ending in
   * `/`. In Node it defaults to the `dist/` folder of the installed
   * `@tensorflow/tfjs-backend-wasm`; in browsers and bundles pass the URL your server uses.
   */
  readonly wasmPaths?: string;
}

/**
 * What {@link initTfjs} resolves to: the tfjs namespace and the backend that is active.
 *
 * @example
 * ```ts
 * import { initTfjs, type TfjsHandle } from "@convexformer/tensors/tfjs";
 * const handle: TfjsHandle = await initTfjs({ backend: "cpu" });
 * handle.backend; // "cpu"
 * handle.fallbackReason; // undefined
 * ```
 */
export interface TfjsHandle {
  /** The `@tensorflow/tfjs` namespace, with {@link TfjsHandle.backend} set as its backend. */
  readonly tf: TfjsNamespace;
  /** The backend that is active (`"cpu"` also when wasm was asked for but failed to load). */
  readonly backend: TfjsBackendName;
  /** Why the wasm backend is not active although it was asked for; absent otherwise. */
  readonly fallbackReason?: string;
}

/**
 * How the loader obtains the optional modules; the default uses dynamic `import()`. Tests
 * substitute failing loaders to exercise the `backend-unavailable` path.
 *
 * @example
 * ```ts
 * import { createTfjsLoader, type TfjsModuleLoaders } from "@convexformer/tensors/tfjs";
 * const missing: TfjsModuleLoaders = {
 *   tfjs: () => Promise.reject(new Error("not installed")),
 *   wasm: () => Promise.reject(new Error("not installed")),
 *   wasmDirectory: async () => undefined,
 * };
 * await createTfjsLoader(missing)(); // throws backend-unavailable
 * ```
 */
export interface TfjsModuleLoaders {
  /** Loads `@tensorflow/tfjs`. */
  readonly tfjs: () => Promise<unknown>;
  /** Loads `@tensorflow/tfjs-backend-wasm`. */
  readonly wasm: () => Promise<unknown>;
  /** Finds the directory of the wasm binaries when no `wasmPaths` is given (Node only). */
  readonly wasmDirectory: () => Promise<string | undefined>;
}

const TFJS_OPTIONS = ["backend", "wasmPaths"] as const;

const defaultLoaders: TfjsModuleLoaders = {
  tfjs: () => import("@tensorflow/tfjs"),
  wasm: () => import("@tensorflow/tfjs-backend-wasm"),
  wasmDirectory: nodeWasmDirectory,
};

/**
 * Builds an independent memoizing `initTfjs` around the given module loaders. The package's
 * {@link initTfjs} is `createTfjsLoader()` with dynamic imports; this factory exists for tests
 * and for hosts that load tfjs some other way.
 *
 * @param loaders - how to obtain tfjs, its wasm backend and the wasm directory (default:
 *   dynamic `import()` of `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm`, and the
 *   backend's `dist/` folder in Node)
 *
 * @example
 * ```ts
 * import { createTfjsLoader } from "@convexformer/tensors/tfjs";
 * const init = createTfjsLoader({
 *   tfjs: () => import("@tensorflow/tfjs"),
 *   wasm: () => import("@tensorflow/tfjs-backend-wasm"),
 *   wasmDirectory: async () => undefined,
 * });
 * const { tf, backend } = await init({ backend: "cpu" });
 * backend; // "cpu"
 * tf.getBackend(); // "cpu"
 * ```
 */
export function createTfjsLoader(loaders: TfjsModuleLoaders = defaultLoaders): (
  /**
   * `backend` (`"wasm"`, the default, or `"cpu"`) and `wasmPaths`, as for {@link initTfjs}
   * (see {@link TfjsOptions}); an unknown key or a bad value rejects with `invalid-option`
   */
  options?: TfjsOptions,
) => Promise<TfjsHandle> {
  let pending: Promise<TfjsHandle> | undefined;
  let requested: TfjsBackendName | undefined;

  return (options: TfjsOptions = {}): Promise<TfjsHandle> => {
    assertKnownOptions("options", options, TFJS_OPTIONS);
    const backend = options.backend;
    if (backend !== undefined && backend !== "wasm" && backend !== "cpu") {
      return Promise.reject(
        new InvalidOptionError("options.backend", backend, 'must be "wasm" or "cpu"'),
      );
    }
    if (options.wasmPaths !== undefined && typeof options.wasmPaths !== "string") {
      return Promise.reject(
        new InvalidOptionError("options.wasmPaths", options.wasmPaths, "must be a string"),
      );
    }
    if (pending !== undefined) {
      if (backend !== undefined && backend !== requested) {
        const first = requested;
        return pending.then((handle) => {
          // tfjs has one global backend; switching it under other users would silently change
          // the precision and speed of their results
          if (handle.backend === backend) return handle;
          throw new InvalidOptionError(
            "options.backend",
            backend,
            `tfjs is already initialised with the "${handle.backend}" backend (first asked for "${first}"); tfjs has one global backend per process`,
          );
        });
      }
      return pending;
    }
    requested = backend ?? "wasm";
    const attempt = load(loaders, requested, options.wasmPaths);
    pending = attempt;
    // a failed load (missing package) is not memoized, so a later call can retry
    attempt.catch(() => {
      if (pending === attempt) {
        pending = undefined;
        requested = undefined;
      }
    });
    return attempt;
  };
}

/**
 * Loads `@tensorflow/tfjs` (and, for the wasm backend, `@tensorflow/tfjs-backend-wasm`) on first
 * use and activates a backend. Both packages are optional peer dependencies of
 * `@convexformer/tensors`: nothing imports them until this function runs.
 *
 * - `backend: "wasm"` (default): points the wasm backend at its `.wasm` binaries
 *   (`setWasmPaths` with the package's `dist/` folder in Node, or `options.wasmPaths`), keeps it
 *   single-threaded (SIMD is used when the engine supports it), and activates it. If the wasm
 *   binary fails to load, the `cpu` backend is activated instead and the handle says so
 *   (`backend: "cpu"`, `fallbackReason`).
 * - `backend: "cpu"`: activates the pure-JS `cpu` backend (slow, ~0.6 GFLOP/s; no wasm needed).
 *
 * Idempotent: every call returns the same memoized promise. tfjs has one global backend per
 * process, so asking for a different backend than the active one rejects with
 * `InvalidOptionError`; calling without `backend` returns whatever is active.
 *
 * @param options - `backend` (`"wasm"`, the default, or `"cpu"`) and `wasmPaths` (where the
 *   `.wasm` binaries are served); see {@link TfjsOptions}. An unknown key, another backend name
 *   or a non-string `wasmPaths` rejects with `invalid-option`
 * @throws `ConvexformerError` with code `"backend-unavailable"` (as a rejected promise)
 *   naming the package that cannot be imported
 *
 * @example
 * ```ts
 * import { initTfjs } from "@convexformer/tensors/tfjs";
 * const { tf, backend } = await initTfjs();
 * console.log(backend); // "wasm"
 * const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])));
 * console.log(await y.data()); // Float32Array [3, 3, 3, 3]
 * y.dispose();
 * ```
 */
export const initTfjs: (options?: TfjsOptions) => Promise<TfjsHandle> = createTfjsLoader();

async function load(
  loaders: TfjsModuleLoaders,
  backend: TfjsBackendName,
  wasmPaths: string | undefined,
): Promise<TfjsHandle> {
  const tf = namespaceOf<TfjsNamespace>(
    await importOptional(loaders.tfjs, "@tensorflow/tfjs"),
    "setBackend",
    "@tensorflow/tfjs",
  );
  if (backend === "cpu") {
    await activate(tf, "cpu");
    return { tf, backend: "cpu" };
  }
  const wasm = namespaceOf<typeof TfjsWasm>(
    await importOptional(loaders.wasm, "@tensorflow/tfjs-backend-wasm"),
    "setWasmPaths",
    "@tensorflow/tfjs-backend-wasm",
  );
  let reason: string;
  try {
    const prefix = wasmPaths ?? (await loaders.wasmDirectory());
    if (prefix !== undefined) wasm.setWasmPaths(prefix);
    wasm.setThreadsCount(1);
    if (await tf.setBackend("wasm")) {
      await tf.ready();
      if (tf.getBackend() === "wasm") return { tf, backend: "wasm" };
      reason = `tf.getBackend() is "${tf.getBackend()}" after setBackend("wasm")`;
    } else {
      reason = 'tf.setBackend("wasm") returned false (the wasm binary could not be loaded)';
    }
  } catch (error) {
    reason = `the wasm backend failed to initialise: ${messageOf(error)}`;
  }
  await activate(tf, "cpu");
  return { tf, backend: "cpu", fallbackReason: reason };
}

async function activate(tf: TfjsNamespace, name: TfjsBackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new ConvexformerError(
      "backend-unavailable",
      `@tensorflow/tfjs: the "${name}" backend could not be activated`,
      "@tensorflow/tfjs",
    );
  }
}

async function importOptional(loader: () => Promise<unknown>, name: string): Promise<unknown> {
  try {
    return await loader();
  } catch (error) {
    throw new ConvexformerError(
      "backend-unavailable",
      `${name} could not be imported (${messageOf(error)}); it is an optional peer dependency of @convexformer/tensors: install it (npm i ${name}@^4.22.0) to use the tfjs backends`,
      name,
    );
  }
}

/** The module namespace, unwrapping a CommonJS `default` export when a bundler adds one. */
function namespaceOf<T>(module: unknown, probe: string, name: string): T {
  const candidates = [module, (module as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    if (
      candidate !== null &&
      (typeof candidate === "object" || typeof candidate === "function") &&
      typeof (candidate as Record<string, unknown>)[probe] === "function"
    ) {
      return candidate as T;
    }
  }
  throw new ConvexformerError(
    "backend-unavailable",
    `${name} was imported but does not export ${probe}(); is it version 4.x?`,
    name,
  );
}

/** The `dist/` directory of the installed wasm backend, found through Node's resolver. */
async function nodeWasmDirectory(): Promise<string | undefined> {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  if (versions?.node === undefined) return undefined;
  try {
    const [{ createRequire }, path] = await Promise.all([
      import("node:module"),
      import("node:path"),
    ]);
    const require = createRequire(import.meta.url);
    const main = require.resolve("@tensorflow/tfjs-backend-wasm");
    return path.dirname(main) + path.sep;
  } catch {
    // let the backend use its own default (the directory of its node bundle)
    return undefined;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
