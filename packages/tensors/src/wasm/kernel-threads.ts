import type { KernelExports } from "./kernel-exports.js";
import { type KernelFunction, ThreadPool } from "./thread-pool.js";
import { WASM_PAGE, type WasmMemory, type WasmModule } from "./wasm-api.js";
import { SLOT_BYTES } from "./worker-source.js";

/**
 * Page 3 holds the chunk counter of dynamic gemm splits and the control slots of the worker
 * threads (255); the arena starts at page 4.
 */
const COUNTER = 3 * WASM_PAGE;
const SLOT_BASE = COUNTER + SLOT_BYTES;
const MAX_WORKERS = WASM_PAGE / SLOT_BYTES - 1;
/** Output chunks per thread in a dynamic split (rows or columns, multiples of the 4×4 tile). */
const CHUNKS_PER_THREAD = 4;
const MIN_CHUNK = 32;

/** A view once in wasm memory: element address and strides there. */
interface StagedOperand {
  readonly ptr: number;
  readonly s1: number;
  readonly s2: number;
}

/**
 * The threads a {@link WasmEngine} runs its kernels on: the calling thread plus an optional
 * pool of workers sharing the engine's memory, the dynamic split of a gemm's output over them
 * (chunks claimed from a shared counter) and the running of per-thread jobs. @internal
 */
export class KernelThreads {
  private pool: ThreadPool | undefined;

  /**
   * @param exports - the kernel module's exports (the calling thread's instance)
   * @param memory - the engine's linear memory (shared when workers are possible)
   * @param sharedModule - the shared-memory kernel module the workers instantiate; `undefined`
   *   when the memory is not shared (no workers then)
   * @param workDoubles - doubles of one thread's dgemm workspace
   */
  constructor(
    private readonly exports: KernelExports,
    private readonly memory: WasmMemory,
    private readonly sharedModule: WasmModule | undefined,
    private readonly workDoubles: number,
  ) {}

  /** Whether worker threads are running. */
  get hasWorkers(): boolean {
    return this.pool !== undefined;
  }

  /** Threads a product may use: the calling one plus the workers. */
  get count(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /**
   * Starts `threads − 1` worker threads (Node, shared memory only); resolves when they are
   * ready. Replaces (and stops) a previous pool.
   */
  async start(threads: number): Promise<void> {
    const workers = Math.min(MAX_WORKERS, Math.max(0, Math.floor(threads) - 1));
    const previous = this.pool;
    this.pool = undefined;
    if (previous !== undefined) await previous.close();
    if (workers === 0) return;
    if (this.sharedModule === undefined) {
      throw new Error("worker threads need the shared-memory kernel module");
    }
    this.pool = await ThreadPool.start(this.sharedModule, this.memory, SLOT_BASE, COUNTER, workers);
  }

  /**
   * `C = α·op(A)·op(B) + β·C` on staged operands (C compact `M × N` at `pc`), split by rows
   * (or columns, when `N > M`) of C over the threads in chunks claimed dynamically. Bitwise the
   * same for any thread count and any split (each entry is accumulated in the same order).
   */
  runGemm(
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: StagedOperand,
    b: StagedOperand,
    beta: number,
    pc: number,
    work: number,
    threads: number,
  ): void {
    const ex = this.exports;
    const pool = this.pool;
    if (threads <= 1 || pool === undefined) {
      ex.dgemm(M, N, K, alpha, a.ptr, a.s1, a.s2, b.ptr, b.s1, b.s2, beta, pc, N, 1, work);
      return;
    }
    // output chunks claimed from a shared counter: a thread the OS deschedules (this machine
    // is shared) leaves its chunks to the others instead of holding the product up
    const byRows = M >= N;
    const extent = byRows ? M : N;
    const chunk = Math.max(MIN_CHUNK, Math.ceil(extent / (threads * CHUNKS_PER_THREAD) / 4) * 4);
    const workers = Math.min(threads, Math.ceil(extent / chunk)) - 1;
    Atomics.store(new Int32Array(this.memory.buffer, COUNTER, 1), 0, 0);
    const size = this.workDoubles * 8;
    const args = (t: number): number[] => [
      COUNTER,
      chunk,
      extent,
      byRows ? 1 : 0,
      M,
      N,
      K,
      alpha,
      a.ptr,
      a.s1,
      a.s2,
      b.ptr,
      b.s1,
      b.s2,
      beta,
      pc,
      N,
      1,
      work + t * size,
    ];
    const jobs: number[][] = [];
    for (let t = 0; t <= workers; t++) jobs.push(args(t));
    this.runJobs("dgemmDynamic", jobs);
  }

  /** The calling thread's side of `dgemmDynamic` (the workers run the same loop). */
  private dgemmDynamic(
    counter: number,
    chunk: number,
    extent: number,
    byRows: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: number,
    a1: number,
    a2: number,
    B: number,
    b1: number,
    b2: number,
    beta: number,
    C: number,
    c1: number,
    c2: number,
    work: number,
  ): void {
    const claims = new Int32Array(this.memory.buffer, counter, 1);
    const ex = this.exports;
    for (;;) {
      const lo = Atomics.add(claims, 0, 1) * chunk;
      if (lo >= extent) break;
      const n = Math.min(chunk, extent - lo);
      if (byRows === 1) {
        ex.dgemm(
          n,
          N,
          K,
          alpha,
          A + lo * a1 * 8,
          a1,
          a2,
          B,
          b1,
          b2,
          beta,
          C + lo * c1 * 8,
          c1,
          c2,
          work,
        );
      } else {
        ex.dgemm(
          M,
          n,
          K,
          alpha,
          A,
          a1,
          a2,
          B + lo * b2 * 8,
          b1,
          b2,
          beta,
          C + lo * c2 * 8,
          c1,
          c2,
          work,
        );
      }
    }
  }

  /** Runs `jobs[1…]` on the workers and `jobs[0]` here, then waits for all. */
  runJobs(fn: KernelFunction, jobs: number[][]): void {
    const pool = this.pool as ThreadPool;
    const posted = jobs.length - 1;
    pool.nextRound();
    for (let w = 0; w < posted; w++) pool.post(w, fn, jobs[w + 1] as number[]);
    const own = jobs[0] as number[];
    try {
      if (fn === "dgemmDynamic") {
        (this.dgemmDynamic as (...args: number[]) => void).apply(this, own);
      } else {
        (this.exports[fn] as (...args: number[]) => void)(...own);
      }
    } finally {
      pool.join(posted);
    }
  }

  threadsFor(muladds: number, minimum: number): number {
    return this.pool !== undefined && muladds >= minimum ? this.count : 1;
  }
}
