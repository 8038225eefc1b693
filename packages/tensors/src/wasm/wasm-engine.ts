import type { KernelExports } from "./kernel-exports.js";
import type { KernelModules } from "./kernel-modules.js";
import { KernelThreads } from "./kernel-threads.js";
import { WASM_PAGE, type WasmMemory, wasmApi } from "./wasm-api.js";
import { planStage, type Staged, type View, WasmArena } from "./wasm-arena.js";

/** Page 3 holds the chunk counter and the worker threads' slots; the arena starts at page 4. */
const ARENA_BASE = 4 * WASM_PAGE;
/** 2 GiB: the kernels address memory with signed i32 element offsets. */
const MAX_BYTES = 2 ** 31;
const MAX_PAGES = MAX_BYTES / WASM_PAGE;
const INITIAL_PAGES = 64;
/** Multiply-adds below which a product stays on the calling thread. */
const THREAD_MIN_MULADDS = 1 << 20;
/** Matrix–vector entries below which a gemv stays on the calling thread. */
const THREAD_MIN_GEMV = 1 << 18;

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
  private readonly kernelThreads: KernelThreads;
  private readonly arena: WasmArena;

  /** @param shared - instantiate the shared-memory module (needs `modules.shared`) */
  constructor(modules: KernelModules, shared: boolean) {
    const api = wasmApi();
    if (api === undefined) throw new Error("WebAssembly is not available");
    const module = shared ? modules.shared : modules.plain;
    if (module === undefined) throw new Error("shared WebAssembly memory is not available");
    this.shared = shared;
    this.memory = new api.Memory(
      shared
        ? { initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }
        : { initial: INITIAL_PAGES, maximum: MAX_PAGES },
    );
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.workDoubles = this.exports.dgemm_work_doubles();
    this.arena = new WasmArena(this.memory, ARENA_BASE, MAX_BYTES);
    this.kernelThreads = new KernelThreads(
      this.exports,
      this.memory,
      shared ? modules.shared : undefined,
      this.workDoubles,
    );
  }

  /** Threads a product may use: the calling one plus the workers. */
  get threads(): number {
    return this.kernelThreads.count;
  }

  /**
   * Starts `threads − 1` worker threads (Node, shared memory only); resolves when they are
   * ready. Replaces (and stops) a previous pool.
   *
   * @param threads - the threads a product may use, the calling one included
   */
  startThreads(threads: number): Promise<void> {
    return this.kernelThreads.start(threads);
  }

  /** Stops the worker threads. */
  close(): Promise<void> {
    return this.kernelThreads.start(1);
  }

  // ---------------------------------------------------------------- products

  /** Workspaces for `t` threads; `-1` when out of room. */
  private allocWork(t: number): number {
    return this.arena.alloc(t * this.workDoubles * 8);
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
    const threads = this.kernelThreads.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    const pa = planStage({ rows: M, cols: K, s1: a1, s2: a2, off: oa });
    const pb = planStage({ rows: K, cols: N, s1: b1, s2: b2, off: ob });
    this.arena.reset();
    const atA = this.arena.alloc(pa.size * 8);
    const atB = this.arena.alloc(pb.size * 8);
    const atC = this.arena.alloc(M * N * 8);
    const work = this.allocWork(threads);
    if (atA < 0 || atB < 0 || atC < 0 || work < 0 || !this.arena.commit()) return false;
    const a = this.arena.stage(A, pa, atA);
    const b = this.arena.stage(B, pb, atB);
    if (beta !== 0) this.arena.gather(C, cView, atC);
    this.kernelThreads.runGemm(M, N, K, alpha, a, b, beta, atC, work, threads);
    this.arena.scatter(C, cView, atC);
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
    const threads = this.kernelThreads.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    const pa = planStage({ rows: M, cols: K, s1: a1, s2: a2, off: oa });
    const pb = planStage({ rows: K, cols: N, s1: b1, s2: b2, off: ob });
    this.arena.reset();
    const atA = this.arena.alloc(pa.size * 8);
    const atB = this.arena.alloc(pb.size * 8);
    const atT = this.arena.alloc(M * N * 8);
    const atC = beta === 0 ? atT : this.arena.alloc(M * N * 8);
    const atD = this.arena.alloc(M * N);
    const work = this.allocWork(threads);
    if ([atA, atB, atT, atC, atD, work].some((p) => p < 0) || !this.arena.commit()) return false;
    const a = this.arena.stage(A, pa, atA);
    const b = this.arena.stage(B, pb, atB);
    this.arena.stageMask(D, { rows: M, cols: N, s1: d1, s2: d2, off: od }, atD);
    this.kernelThreads.runGemm(M, N, K, alpha, a, b, 0, atT, work, threads);
    if (beta === 0) {
      this.exports.dmask_inplace(M * N, atT, atD);
    } else {
      this.arena.gather(C, cView, atC);
      this.exports.dmask_combine(M, N, atT, atD, beta, atC, N, 1);
    }
    this.arena.scatter(C, cView, atC);
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
    const threads = this.kernelThreads.threadsFor(M * N * K, THREAD_MIN_MULADDS);
    // op(A)ᵀ is K × M with strides (a2, a1)
    const pa = planStage({ rows: K, cols: M, s1: a2, s2: a1, off: oa });
    this.arena.reset();
    const atA = this.arena.alloc(pa.size * 8);
    const atR = this.arena.alloc(M * N * 8);
    const atD = this.arena.alloc(M * N);
    const atG = this.arena.alloc(K * N * 8);
    const work = this.allocWork(threads);
    if ([atA, atR, atD, atG, work].some((p) => p < 0) || !this.arena.commit()) return false;
    const a = this.arena.stage(A, pa, atA);
    this.arena.gather(R, { rows: M, cols: N, s1: r1, s2: r2, off: or }, atR);
    this.arena.stageMask(D, { rows: M, cols: N, s1: d1, s2: d2, off: od }, atD);
    this.exports.dmask_inplace(M * N, atR, atD);
    if (beta !== 0) this.arena.gather(G, gView, atG);
    this.kernelThreads.runGemm(
      K,
      N,
      M,
      alpha,
      a,
      { ptr: atR, s1: N, s2: 1 },
      beta,
      atG,
      work,
      threads,
    );
    this.arena.scatter(G, gView, atG);
    return true;
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
    const threads = this.kernelThreads.threadsFor(N * K * F, THREAD_MIN_MULADDS);
    const design = this.designOperands(id, X, N * F, gates, N * P);
    if (design === undefined) return false;
    const atZ = this.arena.alloc(K * F * 8);
    const atT = this.arena.alloc(N * K * 8);
    const atGate = this.arena.alloc(K * 4);
    const atOut = this.arena.alloc(K * 4);
    const atY = this.arena.alloc(N * c * 8);
    const work = this.allocWork(threads);
    const all = [atZ, atT, atGate, atOut, atY, work];
    if (all.some((p) => p < 0) || !this.arena.commit()) return false;
    this.arena.f64().set(Z.subarray(0, K * F), atZ / 8);
    this.arena.stageInts(gate, K, atGate);
    this.arena.stageInts(output, K, atOut);
    // T (N × K) = X · Zᵀ
    const x: Staged = { ptr: design.x, s1: F, s2: 1 };
    const zt: Staged = { ptr: atZ, s1: 1, s2: F };
    this.kernelThreads.runGemm(N, K, F, 1, x, zt, 0, atT, work, threads);
    this.exports.dgated_sum(N, K, atT, design.g, P, atGate, atOut, c, atY);
    y.set(this.arena.f64().subarray(atY / 8, atY / 8 + N * c));
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
    const threads = this.kernelThreads.threadsFor(N * K * F, THREAD_MIN_MULADDS);
    const design = this.designOperands(id, X, N * F, gates, N * P);
    if (design === undefined) return false;
    const atR = this.arena.alloc(N * c * 8);
    const atM = this.arena.alloc(N * K * 8);
    const atGate = this.arena.alloc(K * 4);
    const atOut = this.arena.alloc(K * 4);
    const atG = this.arena.alloc(K * F * 8);
    const work = this.allocWork(threads);
    const all = [atR, atM, atGate, atOut, atG, work];
    if (all.some((p) => p < 0) || !this.arena.commit()) return false;
    this.arena.f64().set(r.subarray(0, N * c), atR / 8);
    this.arena.stageInts(gate, K, atGate);
    this.arena.stageInts(output, K, atOut);
    // M (N × K) = the masked residual of each block; G (K × F) = Mᵀ · X
    this.exports.dgated_expand(N, K, atR, c, design.g, P, atGate, atOut, atM);
    const mt: Staged = { ptr: atM, s1: 1, s2: K };
    const x: Staged = { ptr: design.x, s1: F, s2: 1 };
    this.kernelThreads.runGemm(K, F, N, 1, mt, x, 0, atG, work, threads);
    G.set(this.arena.f64().subarray(atG / 8, atG / 8 + K * F));
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
    const kept = this.arena.residentOf(id, X, xLength, gates, gLength);
    this.arena.reset();
    if (kept !== undefined) return kept;
    const x = this.arena.alloc(xLength * 8);
    const g = this.arena.alloc(gLength);
    if (x < 0 || g < 0 || !this.arena.commit()) return undefined;
    this.arena.f64().set(X.subarray(0, xLength), x / 8);
    this.arena.u8().set(gates.subarray(0, gLength), g);
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
    const threads = this.kernelThreads.threadsFor(M * N, THREAD_MIN_GEMV);
    this.arena.reset();
    const atA = this.arena.alloc(pa.size * 8);
    const atX = this.arena.alloc(xLen * 8);
    const atY = this.arena.alloc(yLen * 8);
    if (atA < 0 || atX < 0 || atY < 0 || !this.arena.commit()) return false;
    let a = this.arena.stage(A, pa, atA);
    this.arena.gather(x, { rows: 1, cols: xLen, s1: 0, s2: sx, off: ox }, atX);
    if (beta !== 0) this.arena.gather(y, yView, atY);
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
    if (threads <= 1 || !this.kernelThreads.hasWorkers) {
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
      this.kernelThreads.runJobs("dgemv", jobs);
    }
    this.arena.scatter(y, yView, atY);
    return true;
  }
}
