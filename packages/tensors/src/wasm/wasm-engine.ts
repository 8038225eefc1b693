import type { KernelModules } from "./kernel-modules.js";
import { type KernelFunction, ThreadPool } from "./thread-pool.js";
import { WASM_PAGE, type WasmMemory, wasmApi } from "./wasm-api.js";
import { SLOT_BYTES } from "./worker-source.js";

/** The exports of the kernel module (see src/wasm/kernels.c). @internal */
interface KernelExports {
  dgemm_work_doubles(): number;
  dgemm(
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
  ): void;
  dgemv(
    trans: number,
    M: number,
    N: number,
    alpha: number,
    A: number,
    a1: number,
    a2: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  dmask_combine(
    M: number,
    N: number,
    T: number,
    D: number,
    beta: number,
    C: number,
    c1: number,
    c2: number,
  ): void;
  dmask_inplace(n: number, R: number, D: number): void;
  dgated_sum(
    N: number,
    K: number,
    T: number,
    G: number,
    P: number,
    gate: number,
    out: number,
    c: number,
    y: number,
  ): void;
  dgated_expand(
    N: number,
    K: number,
    r: number,
    c: number,
    G: number,
    P: number,
    gate: number,
    out: number,
    M: number,
  ): void;
}

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
const ARENA_BASE = 4 * WASM_PAGE;
/** 2 GiB: the kernels address memory with signed i32 element offsets. */
const MAX_BYTES = 2 ** 31;
const MAX_PAGES = MAX_BYTES / WASM_PAGE;
const INITIAL_PAGES = 64;
/**
 * Rows at least this long are staged with one `subarray` + `set` each; shorter ones entry by
 * entry (a view per row costs more than copying a few numbers: a column of a tall matrix
 * staged row by row took 10 ms at 100,000 rows).
 */
const MIN_ROW_SET = 16;
/** Bytes of operands kept in wasm memory between calls (gated designs). */
const RESIDENT_BUDGET = 256 * 2 ** 20;
/** Multiply-adds below which a product stays on the calling thread. */
const THREAD_MIN_MULADDS = 1 << 20;
/** Matrix–vector entries below which a gemv stays on the calling thread. */
const THREAD_MIN_GEMV = 1 << 18;

/** A strided `rows × cols` view of a JS array: entry `(i, j)` at `off + i·s1 + j·s2`. */
interface View {
  readonly rows: number;
  readonly cols: number;
  readonly s1: number;
  readonly s2: number;
  readonly off: number;
}

/** How a view is copied into wasm memory, and how it is addressed there. */
interface StagePlan {
  /** `true`: copy the index span `[lo, hi]` and keep the strides; `false`: gather compactly. */
  readonly span: boolean;
  readonly lo: number;
  /** Doubles (or bytes, for masks) the copy occupies. */
  readonly size: number;
  readonly view: View;
}

/** A view once in wasm memory: element address and strides there. */
interface Staged {
  readonly ptr: number;
  readonly s1: number;
  readonly s2: number;
}

function planStage(view: View): StagePlan {
  const { rows, cols, s1, s2, off } = view;
  const count = rows * cols;
  if (s1 >= 0 && s2 >= 0) {
    const lo = off;
    const hi = off + (rows - 1) * s1 + (cols - 1) * s2;
    const span = hi - lo + 1;
    // a padded sub-matrix or a column-major view: copy the span in one go
    if (span <= 2 * count + 64) return { span: true, lo, size: span, view };
  }
  return { span: false, lo: 0, size: count, view };
}

/**
 * A float64 WebAssembly SIMD128 kernel engine: one instance of the kernel module on its own
 * linear memory (shared with worker threads when it has a {@link ThreadPool}). Each product
 * copies its operands into a per-call arena in that memory (spans of strided views in one
 * `set`, other views gathered), runs the packed, cache- and register-blocked wasm kernel
 * (split by rows or columns of the output over the threads), and copies the result back.
 *
 * Every method returns `false` (having touched nothing) when the operands do not fit in the
 * 2 GiB the kernels address; callers then fall back to the JS kernels. Arguments must already
 * be validated (as the public kernels and backends do).
 *
 * @internal
 */
export class WasmEngine {
  private readonly exports: KernelExports;
  private readonly memory: WasmMemory;
  private readonly workDoubles: number;
  /** `true` when the memory is shared (threads possible). */
  readonly shared: boolean;
  private pool: ThreadPool | undefined;
  private modules: KernelModules;
  private top = ARENA_BASE;
  /**
   * Operands kept in wasm memory between calls (gated designs' data and masks), by design id;
   * they sit below the per-call arena, which starts at `residentTop`.
   */
  private readonly resident = new Map<number, { x: number; g: number }>();
  private residentTop = ARENA_BASE;

  /** @param shared - instantiate the shared-memory module (needs `modules.shared`) */
  constructor(modules: KernelModules, shared: boolean) {
    const api = wasmApi();
    if (api === undefined) throw new Error("WebAssembly is not available");
    const module = shared ? modules.shared : modules.plain;
    if (module === undefined) throw new Error("shared WebAssembly memory is not available");
    this.modules = modules;
    this.shared = shared;
    this.memory = new api.Memory(
      shared
        ? { initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }
        : { initial: INITIAL_PAGES, maximum: MAX_PAGES },
    );
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.workDoubles = this.exports.dgemm_work_doubles();
  }

  /** Threads a product may use: the calling one plus the workers. */
  get threads(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /**
   * Starts `threads − 1` worker threads (Node, shared memory only); resolves when they are
   * ready. Replaces (and stops) a previous pool.
   */
  async startThreads(threads: number): Promise<void> {
    const workers = Math.min(MAX_WORKERS, Math.max(0, Math.floor(threads) - 1));
    const previous = this.pool;
    this.pool = undefined;
    if (previous !== undefined) await previous.close();
    if (workers === 0) return;
    if (!this.shared || this.modules.shared === undefined) {
      throw new Error("worker threads need the shared-memory kernel module");
    }
    this.pool = await ThreadPool.start(
      this.modules.shared,
      this.memory,
      SLOT_BASE,
      COUNTER,
      workers,
    );
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await this.startThreads(1);
  }

  // ---------------------------------------------------------------- arena

  private reset(): void {
    this.top = this.residentTop;
  }

  /**
   * Byte addresses of design `id`'s data (`X`, `xLength` doubles) and 0/1 mask (`gates`,
   * `gLength` bytes) in wasm memory, copied in on first use; `undefined` when they exceed the
   * budget or the host refuses the memory (the caller then copies them per call). When the
   * budget would overflow, every kept design is dropped (they are copied in again on use).
   */
  private residentOf(
    id: number,
    X: Float64Array,
    xLength: number,
    gates: Uint8Array,
    gLength: number,
  ): { x: number; g: number } | undefined {
    const kept = this.resident.get(id);
    if (kept !== undefined) return kept;
    const bytes = Math.ceil((xLength * 8) / 64) * 64 + Math.ceil(gLength / 64) * 64 + 64;
    if (bytes > RESIDENT_BUDGET) return undefined;
    if (this.residentTop - ARENA_BASE + bytes > RESIDENT_BUDGET) {
      this.resident.clear();
      this.residentTop = ARENA_BASE;
    }
    this.top = this.residentTop;
    const x = this.alloc(xLength * 8);
    const g = this.alloc(gLength);
    if (x < 0 || g < 0 || !this.commit()) {
      this.top = this.residentTop;
      return undefined;
    }
    this.f64().set(X.subarray(0, xLength), x / 8);
    this.u8().set(gates.subarray(0, gLength), g);
    this.residentTop = Math.ceil(this.top / 64) * 64;
    const entry = { x, g };
    this.resident.set(id, entry);
    return entry;
  }

  /** Reserves `bytes` (64-byte aligned); `-1` when the arena would pass 2 GiB. */
  private alloc(bytes: number): number {
    const p = Math.ceil(this.top / 64) * 64;
    if (p + bytes > MAX_BYTES) return -1;
    this.top = p + bytes;
    return p;
  }

  /** Grows the memory to hold the arena; `false` when the host refuses. */
  private commit(): boolean {
    const have = this.memory.buffer.byteLength;
    if (this.top <= have) return true;
    try {
      this.memory.grow(Math.ceil((this.top - have) / WASM_PAGE));
      return true;
    } catch {
      return false;
    }
  }

  private f64(): Float64Array {
    return new Float64Array(this.memory.buffer);
  }

  private u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  // ---------------------------------------------------------------- staging

  /** Copies a planned view of `src` to byte address `at`; its address and strides there. */
  private stage(src: Float64Array, plan: StagePlan, at: number): Staged {
    const f = this.f64();
    const base = at / 8;
    const { rows, cols, s1, s2, off } = plan.view;
    if (plan.span) {
      f.set(src.subarray(plan.lo, plan.lo + plan.size), base);
      return { ptr: at + (off - plan.lo) * 8, s1, s2 };
    }
    if (s2 === 1 && cols >= MIN_ROW_SET) {
      for (let i = 0; i < rows; i++) {
        const s = off + i * s1;
        f.set(src.subarray(s, s + cols), base + i * cols);
      }
    } else {
      let o = base;
      for (let i = 0; i < rows; i++) {
        let idx = off + i * s1;
        for (let j = 0; j < cols; j++, idx += s2) f[o++] = src[idx] as number;
      }
    }
    return { ptr: at, s1: cols, s2: 1 };
  }

  /** Copies a mask view compactly (row-major, `rows·cols` bytes) to byte address `at`. */
  private stageMask(src: Uint8Array, view: View, at: number): void {
    const u = this.u8();
    const { rows, cols, s1, s2, off } = view;
    if (s2 === 1 && s1 === cols) {
      u.set(src.subarray(off, off + rows * cols), at);
      return;
    }
    let o = at;
    for (let i = 0; i < rows; i++) {
      let idx = off + i * s1;
      for (let j = 0; j < cols; j++, idx += s2) u[o++] = src[idx] as number;
    }
  }

  /** Gathers a view into compact row-major doubles at byte address `at` (for outputs with β ≠ 0). */
  private gather(src: Float64Array, view: View, at: number): void {
    this.stage(src, { span: false, lo: 0, size: view.rows * view.cols, view }, at);
  }

  /** Scatters compact row-major doubles at byte address `at` into a view of `dst`. */
  private scatter(dst: Float64Array, view: View, at: number): void {
    const { rows, cols, s1, s2, off } = view;
    const base = at / 8;
    const f = this.f64();
    if (s2 === 1 && (s1 === cols || rows === 1)) {
      dst.set(f.subarray(base, base + rows * cols), off);
    } else if (s2 === 1 && cols >= MIN_ROW_SET) {
      for (let i = 0; i < rows; i++) {
        dst.set(f.subarray(base + i * cols, base + (i + 1) * cols), off + i * s1);
      }
    } else {
      let o = base;
      for (let i = 0; i < rows; i++) {
        let idx = off + i * s1;
        for (let j = 0; j < cols; j++, idx += s2) dst[idx] = f[o++] as number;
      }
    }
  }

  // ---------------------------------------------------------------- products

  /** Workspaces for `t` threads; `-1` when out of room. */
  private allocWork(t: number): number {
    return this.alloc(t * this.workDoubles * 8);
  }

  /**
   * `C = α·op(A)·op(B) + β·C` on staged operands (C compact `M × N` at `pc`), split by rows
   * (or columns, when `N > M`) of C over the threads in chunks claimed dynamically. Bitwise the
   * same for any thread count and any split (each entry is accumulated in the same order).
   */
  private runGemm(
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: Staged,
    b: Staged,
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
  private runJobs(fn: KernelFunction, jobs: number[][]): void {
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

  private threadsFor(muladds: number, minimum: number): number {
    return this.pool !== undefined && muladds >= minimum ? this.threads : 1;
  }

  /**
   * gemm on validated operands; `a1, a2` and `b1, b2` are the (row, column) strides of
   * `op(A)` and `op(B)` in their arrays. `false` when the operands do not fit.
   */
  gemm(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    a1: number,
    a2: number,
    oa: number,
    B: Float64Array,
    b1: number,
    b2: number,
    ob: number,
    beta: number,
    C: Float64Array,
    c1: number,
    c2: number,
    oc: number,
  ): boolean {
    const cView: View = { rows: M, cols: N, s1: c1, s2: c2, off: oc };
    if (M === 0 || N === 0) return true;
    if (alpha === 0 || K === 0) return this.scaleOnly(C, cView, beta);
    const threads = this.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    const pa = planStage({ rows: M, cols: K, s1: a1, s2: a2, off: oa });
    const pb = planStage({ rows: K, cols: N, s1: b1, s2: b2, off: ob });
    this.reset();
    const atA = this.alloc(pa.size * 8);
    const atB = this.alloc(pb.size * 8);
    const atC = this.alloc(M * N * 8);
    const work = this.allocWork(threads);
    if (atA < 0 || atB < 0 || atC < 0 || work < 0 || !this.commit()) return false;
    const a = this.stage(A, pa, atA);
    const b = this.stage(B, pb, atB);
    if (beta !== 0) this.gather(C, cView, atC);
    this.runGemm(M, N, K, alpha, a, b, beta, atC, work, threads);
    this.scatter(C, cView, atC);
    return true;
  }

  /** `C = β·C` through wasm memory (the degenerate gemm). */
  private scaleOnly(C: Float64Array, cView: View, beta: number): boolean {
    if (beta === 1) return true;
    const { rows, cols, s1, s2, off } = cView;
    for (let i = 0; i < rows; i++) {
      let idx = off + i * s1;
      for (let j = 0; j < cols; j++, idx += s2) C[idx] = beta === 0 ? 0 : beta * (C[idx] as number);
    }
    return true;
  }

  /**
   * `C = α·(D ⊙ (op(A)·op(B))) + β·C` on validated operands (strides as in {@link gemm}; the
   * mask `D` with strides `d1, d2` and offset `od`).
   */
  maskedGemm(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    a1: number,
    a2: number,
    oa: number,
    B: Float64Array,
    b1: number,
    b2: number,
    ob: number,
    D: Uint8Array,
    d1: number,
    d2: number,
    od: number,
    beta: number,
    C: Float64Array,
    c1: number,
    c2: number,
    oc: number,
  ): boolean {
    const cView: View = { rows: M, cols: N, s1: c1, s2: c2, off: oc };
    if (M === 0 || N === 0) return true;
    if (alpha === 0 || K === 0) return this.scaleOnly(C, cView, beta);
    const threads = this.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    const pa = planStage({ rows: M, cols: K, s1: a1, s2: a2, off: oa });
    const pb = planStage({ rows: K, cols: N, s1: b1, s2: b2, off: ob });
    this.reset();
    const atA = this.alloc(pa.size * 8);
    const atB = this.alloc(pb.size * 8);
    const atT = this.alloc(M * N * 8);
    const atC = beta === 0 ? atT : this.alloc(M * N * 8);
    const atD = this.alloc(M * N);
    const work = this.allocWork(threads);
    if ([atA, atB, atT, atC, atD, work].some((p) => p < 0) || !this.commit()) return false;
    const a = this.stage(A, pa, atA);
    const b = this.stage(B, pb, atB);
    this.stageMask(D, { rows: M, cols: N, s1: d1, s2: d2, off: od }, atD);
    this.runGemm(M, N, K, alpha, a, b, 0, atT, work, threads);
    if (beta === 0) {
      this.exports.dmask_inplace(M * N, atT, atD);
    } else {
      this.gather(C, cView, atC);
      this.exports.dmask_combine(M, N, atT, atD, beta, atC, N, 1);
    }
    this.scatter(C, cView, atC);
    return true;
  }

  /**
   * `G = α·op(A)ᵀ·(D ⊙ R) + β·G`: `op(A)` is `M × K` with strides `a1, a2`; `R`, `D` are
   * `M × N`; `G` is `K × N`.
   */
  maskedGemmAdjoint(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: Float64Array,
    a1: number,
    a2: number,
    oa: number,
    R: Float64Array,
    r1: number,
    r2: number,
    or: number,
    D: Uint8Array,
    d1: number,
    d2: number,
    od: number,
    beta: number,
    G: Float64Array,
    g1: number,
    g2: number,
    og: number,
  ): boolean {
    const gView: View = { rows: K, cols: N, s1: g1, s2: g2, off: og };
    if (K === 0 || N === 0) return true;
    if (alpha === 0 || M === 0) return this.scaleOnly(G, gView, beta);
    const threads = this.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    // op(A)ᵀ is K × M with strides (a2, a1)
    const pa = planStage({ rows: K, cols: M, s1: a2, s2: a1, off: oa });
    this.reset();
    const atA = this.alloc(pa.size * 8);
    const atR = this.alloc(M * N * 8);
    const atD = this.alloc(M * N);
    const atG = this.alloc(K * N * 8);
    const work = this.allocWork(threads);
    if ([atA, atR, atD, atG, work].some((p) => p < 0) || !this.commit()) return false;
    const a = this.stage(A, pa, atA);
    this.gather(R, { rows: M, cols: N, s1: r1, s2: r2, off: or }, atR);
    this.stageMask(D, { rows: M, cols: N, s1: d1, s2: d2, off: od }, atD);
    this.exports.dmask_inplace(M * N, atR, atD);
    if (beta !== 0) this.gather(G, gView, atG);
    this.runGemm(K, N, M, alpha, a, { ptr: atR, s1: N, s2: 1 }, beta, atG, work, threads);
    this.scatter(G, gView, atG);
    return true;
  }

  /** Copies 32-bit integers to byte address `at`. */
  private stageInts(src: Int32Array, count: number, at: number): void {
    new Int32Array(this.memory.buffer, at, count).set(src.subarray(0, count));
  }

  /**
   * The gated product `y = Σ_t (D_{g_t} ⊙ X z_t)` into output `o_t` on validated operands of
   * design `id` (its `X`, `N × F` row-major, and its 0/1 mask `gates`, `N × P`, are kept in
   * wasm memory between calls): `Z` the `K × F` blocks row-major, `gate`/`output` the blocks'
   * gate and output (first `K` entries), `y` `N × c` row-major.
   */
  gatedProduct(
    id: number,
    N: number,
    F: number,
    K: number,
    X: Float64Array,
    Z: Float64Array,
    gates: Uint8Array,
    P: number,
    gate: Int32Array,
    output: Int32Array,
    c: number,
    y: Float64Array,
  ): boolean {
    if (N === 0 || c === 0) return true;
    if (K === 0 || F === 0) {
      y.fill(0, 0, N * c);
      return true;
    }
    const threads = this.threadsFor(N * K * F, THREAD_MIN_MULADDS);
    const design = this.designOperands(id, X, N * F, gates, N * P);
    if (design === undefined) return false;
    const atZ = this.alloc(K * F * 8);
    const atT = this.alloc(N * K * 8);
    const atGate = this.alloc(K * 4);
    const atOut = this.alloc(K * 4);
    const atY = this.alloc(N * c * 8);
    const work = this.allocWork(threads);
    const all = [atZ, atT, atGate, atOut, atY, work];
    if (all.some((p) => p < 0) || !this.commit()) return false;
    this.f64().set(Z.subarray(0, K * F), atZ / 8);
    this.stageInts(gate, K, atGate);
    this.stageInts(output, K, atOut);
    // T (N × K) = X · Zᵀ
    const x: Staged = { ptr: design.x, s1: F, s2: 1 };
    const zt: Staged = { ptr: atZ, s1: 1, s2: F };
    this.runGemm(N, K, F, 1, x, zt, 0, atT, work, threads);
    this.exports.dgated_sum(N, K, atT, design.g, P, atGate, atOut, c, atY);
    y.set(this.f64().subarray(atY / 8, atY / 8 + N * c));
    return true;
  }

  /**
   * The adjoint of {@link WasmEngine.gatedProduct}: `G_t = Σ_i D_{i, g_t} r_{i, o_t} X_i`
   * (`G` the `K × F` blocks row-major, overwritten), on validated operands of design `id`.
   */
  gatedProductAdjoint(
    id: number,
    N: number,
    F: number,
    K: number,
    X: Float64Array,
    r: Float64Array,
    gates: Uint8Array,
    P: number,
    gate: Int32Array,
    output: Int32Array,
    c: number,
    G: Float64Array,
  ): boolean {
    if (K === 0 || F === 0) return true;
    if (N === 0 || c === 0) {
      G.fill(0, 0, K * F);
      return true;
    }
    const threads = this.threadsFor(N * K * F, THREAD_MIN_MULADDS);
    const design = this.designOperands(id, X, N * F, gates, N * P);
    if (design === undefined) return false;
    const atR = this.alloc(N * c * 8);
    const atM = this.alloc(N * K * 8);
    const atGate = this.alloc(K * 4);
    const atOut = this.alloc(K * 4);
    const atG = this.alloc(K * F * 8);
    const work = this.allocWork(threads);
    const all = [atR, atM, atGate, atOut, atG, work];
    if (all.some((p) => p < 0) || !this.commit()) return false;
    this.f64().set(r.subarray(0, N * c), atR / 8);
    this.stageInts(gate, K, atGate);
    this.stageInts(output, K, atOut);
    // M (N × K) = the masked residual of each block; G (K × F) = Mᵀ · X
    this.exports.dgated_expand(N, K, atR, c, design.g, P, atGate, atOut, atM);
    const mt: Staged = { ptr: atM, s1: 1, s2: K };
    const x: Staged = { ptr: design.x, s1: F, s2: 1 };
    this.runGemm(K, F, N, 1, mt, x, 0, atG, work, threads);
    G.set(this.f64().subarray(atG / 8, atG / 8 + K * F));
    return true;
  }

  /**
   * A design's data and mask in wasm memory: kept ones when they fit the budget, else copied
   * into this call's arena; the arena is reset (starts after the kept operands) either way.
   */
  private designOperands(
    id: number,
    X: Float64Array,
    xLength: number,
    gates: Uint8Array,
    gLength: number,
  ): { x: number; g: number } | undefined {
    const kept = this.residentOf(id, X, xLength, gates, gLength);
    this.reset();
    if (kept !== undefined) return kept;
    const x = this.alloc(xLength * 8);
    const g = this.alloc(gLength);
    if (x < 0 || g < 0 || !this.commit()) return undefined;
    this.f64().set(X.subarray(0, xLength), x / 8);
    this.u8().set(gates.subarray(0, gLength), g);
    return { x, g };
  }

  /**
   * gemv on validated operands: the stored `A` is `M × N` (strides `s1, s2`), `op(A) = A` or
   * `Aᵀ` (`trans`); `x`, `y` strided vectors.
   */
  gemv(
    trans: boolean,
    M: number,
    N: number,
    alpha: number,
    A: Float64Array,
    s1: number,
    s2: number,
    oa: number,
    x: Float64Array,
    sx: number,
    ox: number,
    beta: number,
    y: Float64Array,
    sy: number,
    oy: number,
  ): boolean {
    const xLen = trans ? M : N;
    const yLen = trans ? N : M;
    const yView: View = { rows: 1, cols: yLen, s1: 0, s2: sy, off: oy };
    if (yLen === 0) return true;
    if (alpha === 0 || xLen === 0) return this.scaleOnly(y, yView, beta);
    const pa = planStage({ rows: M, cols: N, s1, s2, off: oa });
    const threads = this.threadsFor(M * N, THREAD_MIN_GEMV);
    this.reset();
    const atA = this.alloc(pa.size * 8);
    const atX = this.alloc(xLen * 8);
    const atY = this.alloc(yLen * 8);
    if (atA < 0 || atX < 0 || atY < 0 || !this.commit()) return false;
    let a = this.stage(A, pa, atA);
    this.gather(x, { rows: 1, cols: xLen, s1: 0, s2: sx, off: ox }, atX);
    if (beta !== 0) this.gather(y, yView, atY);
    // the kernel streams rows with unit column stride: a column-major A is Aᵀ row-major
    let t = trans;
    let rows = M;
    let cols = N;
    if (a.s2 !== 1 && a.s1 === 1) {
      a = { ptr: a.ptr, s1: a.s2, s2: 1 };
      t = !t;
      rows = N;
      cols = M;
    }
    if (threads <= 1 || this.pool === undefined) {
      this.exports.dgemv(t ? 1 : 0, rows, cols, alpha, a.ptr, a.s1, a.s2, atX, beta, atY);
    } else {
      // split the output: rows of op(A) (no transpose) or columns of A (transpose)
      const extent = t ? cols : rows;
      const chunk = Math.ceil(extent / threads / 2) * 2;
      const jobs: number[][] = [];
      for (let k = 0; k < threads; k++) {
        const lo = k * chunk;
        const hi = Math.min(extent, lo + chunk);
        if (hi <= lo) break;
        jobs.push(
          t
            ? [1, rows, hi - lo, alpha, a.ptr + lo * a.s2 * 8, a.s1, a.s2, atX, beta, atY + lo * 8]
            : [0, hi - lo, cols, alpha, a.ptr + lo * a.s1 * 8, a.s1, a.s2, atX, beta, atY + lo * 8],
        );
      }
      this.runJobs("dgemv", jobs);
    }
    this.scatter(y, yView, atY);
    return true;
  }
}
