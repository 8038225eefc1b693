import { ConvexformerError } from "../errors.js";
import type { WasmMemory, WasmModule } from "./wasm-api.js";
import {
  BROWSER_WORKER_SOURCE,
  KERNEL_FUNCTIONS,
  SLOT_BYTES,
  WORKER_SOURCE,
} from "./worker-source.js";

type WorkerThreads = typeof import("node:worker_threads");

/** What the pool needs of a worker, in Node (`worker_threads`) and in browsers (Web Workers). */
interface KernelWorker {
  /** Calls `listener` once if the worker fails to start. */
  onceError(listener: (error: Error) => void): void;
  /** Forgets the error listener (the worker started). */
  offError(): void;
  terminate(): Promise<void>;
}

/** The part of a browser's `Worker` the pool uses (the package compiles without DOM types). */
interface WebWorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(
    type: "error",
    listener: (event: { message?: string }) => void,
    options?: { once: boolean },
  ): void;
  removeEventListener(type: "error", listener: (event: { message?: string }) => void): void;
}

/** The start data of a kernel worker (see worker-source.ts). */
interface WorkerStart {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly slot: number;
  readonly counter: number;
  readonly functions: string[];
}

/** Starts kernel workers: Node's `worker_threads` (unref'd), or Web Workers from a Blob URL. */
async function workerFactory(): Promise<(start: WorkerStart) => KernelWorker> {
  const node = typeof process !== "undefined" && typeof process.versions?.node === "string";
  if (node) {
    const specifier = "node:worker_threads";
    const { Worker } = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ specifier
    )) as WorkerThreads;
    return (start) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: start });
      worker.unref();
      let listener: ((error: Error) => void) | undefined;
      return {
        onceError(l) {
          listener = l;
          worker.once("error", l);
        },
        offError() {
          if (listener !== undefined) worker.off("error", listener);
        },
        terminate: () => worker.terminate().then(() => undefined),
      };
    };
  }
  const WebWorker = (globalThis as { Worker?: new (url: string) => WebWorkerLike }).Worker;
  if (WebWorker === undefined) throw new Error("no Web Workers on this host");
  const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: "text/javascript" }));
  return (start) => {
    const worker = new WebWorker(url);
    worker.postMessage(start);
    let listener: ((event: { message?: string }) => void) | undefined;
    return {
      onceError(l) {
        listener = (event) => l(new Error(event.message ?? "kernel worker failed to start"));
        worker.addEventListener("error", listener, { once: true });
      },
      offError() {
        if (listener !== undefined) worker.removeEventListener("error", listener);
      },
      terminate() {
        worker.terminate();
        return Promise.resolve();
      },
    };
  };
}

/** A kernel export a worker can run. @internal */
export type KernelFunction = (typeof KERNEL_FUNCTIONS)[number];

function lost(w: number, what: string): ConvexformerError {
  return new ConvexformerError(
    "backend-unavailable",
    `wasm-simd: kernel worker ${w} ${what}`,
    "threads",
  );
}

/** How long a caller waits for a worker's job before declaring the worker lost (ms). */
const JOB_TIMEOUT_MS = 120_000;

/**
 * Kernel worker threads sharing one wasm memory with the caller (Node `worker_threads`, or Web
 * Workers where the caller is itself a worker of a cross-origin isolated page: a page's main
 * thread may not block): the caller posts one job per worker, runs its own share on the calling
 * thread, then blocks in `Atomics.wait` until every worker is done, so products stay
 * synchronous. Node workers are `unref`'d: they never keep a process alive.
 *
 * `node:worker_threads` is imported dynamically through a computed specifier, so browser
 * bundles never see it.
 *
 * @internal
 */
export class ThreadPool {
  private readonly workers: KernelWorker[];
  private readonly memory: WasmMemory;
  private readonly slots: number[];
  /** Each slot's control words and argument area (the slots never move: shared memory only grows). */
  private readonly headers: Int32Array[];
  private readonly argumentViews: Float64Array[];
  private seq = 0;
  private closed = false;

  private constructor(workers: KernelWorker[], memory: WasmMemory, slots: number[]) {
    this.workers = workers;
    this.memory = memory;
    this.slots = slots;
    this.headers = slots.map((slot) => new Int32Array(memory.buffer, slot, 4));
    this.argumentViews = slots.map(
      (slot) => new Float64Array(memory.buffer, slot + 16, (SLOT_BYTES - 16) / 8),
    );
  }

  /** The number of worker threads (the caller's thread not counted). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `count` workers on the shared `memory`; `slotBase` is the byte offset of
   * `count` control slots of {@link SLOT_BYTES} each, `counter` that of the Int32 chunk
   * counter of `dgemmDynamic`. Resolves once every worker is ready.
   */
  static async start(
    module: WasmModule,
    memory: WasmMemory,
    slotBase: number,
    counter: number,
    count: number,
  ): Promise<ThreadPool> {
    const spawn = await workerFactory();
    const workers: KernelWorker[] = [];
    const slots: number[] = [];
    const ready: Promise<void>[] = [];
    for (let w = 0; w < count; w++) {
      const slot = slotBase + w * SLOT_BYTES;
      new Int32Array(memory.buffer, slot, SLOT_BYTES / 4).fill(0);
      const worker = spawn({ module, memory, slot, counter, functions: [...KERNEL_FUNCTIONS] });
      workers.push(worker);
      slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const header = new Int32Array(memory.buffer, slot, 4);
          worker.onceError(reject);
          // the worker flips header[3] once instantiated; poll without blocking the loop
          const poll = (): void => {
            if (Atomics.load(header, 3) === 1) {
              worker.offError();
              resolve();
            } else setTimeout(poll, 1);
          };
          poll();
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      for (const worker of workers) void worker.terminate();
      throw error;
    }
    return new ThreadPool(workers, memory, slots);
  }

  /** Posts `fn(...args)` to worker `w` (no wait). */
  post(w: number, fn: KernelFunction, args: readonly number[]): void {
    const header = this.headers[w];
    const values = this.argumentViews[w];
    if (header === undefined || values === undefined || this.closed)
      throw lost(w, "is not running");
    values.set(args);
    Atomics.store(header, 2, KERNEL_FUNCTIONS.indexOf(fn));
    Atomics.store(header, 0, this.seq);
    Atomics.notify(header, 0);
  }

  /** Advances the job number; call once before posting a round of jobs. */
  nextRound(): void {
    this.seq++;
  }

  /** Blocks until workers `0 … count−1` finished the current round. */
  join(count: number): void {
    const seq = this.seq;
    for (let w = 0; w < count; w++) {
      const header = this.headers[w] as Int32Array;
      const start = Date.now();
      for (;;) {
        const done = Atomics.load(header, 1);
        if (done === seq) break;
        if (done === -seq) throw lost(w, `failed on job ${seq}`);
        if (Date.now() - start > JOB_TIMEOUT_MS) {
          throw lost(w, `did not finish job ${seq} in ${JOB_TIMEOUT_MS / 1000} s`);
        }
        Atomics.wait(header, 1, done, 1000);
      }
    }
  }

  /** Stops the workers. */
  close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      const header = new Int32Array(this.memory.buffer, slot, 4);
      Atomics.store(header, 0, -1);
      Atomics.notify(header, 0);
    }
    return Promise.all(this.workers.map((w) => w.terminate())).then(() => undefined);
  }
}
