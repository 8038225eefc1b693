import { WASM_PAGE, type WasmMemory } from "./wasm-api.js";

/**
 * Rows at least this long are staged with one `subarray` + `set` each; shorter ones entry by
 * entry (a view per row costs more than copying a few numbers: a column of a tall matrix
 * staged row by row took 10 ms at 100,000 rows).
 */
const MIN_ROW_SET = 16;
/** Bytes of operands kept in wasm memory between calls (gated designs). */
const RESIDENT_BUDGET = 256 * 2 ** 20;

/** A strided `rows × cols` view of a JS array: entry `(i, j)` at `off + i·s1 + j·s2`. */
export interface View {
  readonly rows: number;
  readonly cols: number;
  readonly s1: number;
  readonly s2: number;
  readonly off: number;
}

/** How a view is copied into wasm memory, and how it is addressed there. */
export interface StagePlan {
  /** `true`: copy the index span `[lo, hi]` and keep the strides; `false`: gather compactly. */
  readonly span: boolean;
  readonly lo: number;
  /** Doubles (or bytes, for masks) the copy occupies. */
  readonly size: number;
  readonly view: View;
}

/** A view once in wasm memory: element address and strides there. */
export interface Staged {
  readonly ptr: number;
  readonly s1: number;
  readonly s2: number;
}

export function planStage(view: View): StagePlan {
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
 * The memory a {@link WasmEngine} copies operands into: a per-call arena from `base` (reset
 * before each product), operands kept between calls below it (gated designs), and the copies
 * in and out of strided JS views (spans of strided views in one `set`, other views gathered).
 * Addresses are byte offsets in the engine's linear memory. @internal
 */
export class WasmArena {
  private top: number;
  /**
   * Operands kept in wasm memory between calls (gated designs' data and masks), by design id;
   * they sit below the per-call arena, which starts at `residentTop`.
   */
  private readonly resident = new Map<number, { x: number; g: number }>();
  private residentTop: number;

  /**
   * @param memory - the engine's linear memory
   * @param base - byte address where the arena starts (below it: the engine's control pages)
   * @param maxBytes - the most memory the kernels address
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly base: number,
    private readonly maxBytes: number,
  ) {
    this.top = base;
    this.residentTop = base;
  }

  reset(): void {
    this.top = this.residentTop;
  }

  /**
   * Byte addresses of design `id`'s data (`X`, `xLength` doubles) and 0/1 mask (`gates`,
   * `gLength` bytes) in wasm memory, copied in on first use; `undefined` when they exceed the
   * budget or the host refuses the memory (the caller then copies them per call). When the
   * budget would overflow, every kept design is dropped (they are copied in again on use).
   */
  residentOf(
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
    if (this.residentTop - this.base + bytes > RESIDENT_BUDGET) {
      this.resident.clear();
      this.residentTop = this.base;
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
  alloc(bytes: number): number {
    const p = Math.ceil(this.top / 64) * 64;
    if (p + bytes > this.maxBytes) return -1;
    this.top = p + bytes;
    return p;
  }

  /** Grows the memory to hold the arena; `false` when the host refuses. */
  commit(): boolean {
    const have = this.memory.buffer.byteLength;
    if (this.top <= have) return true;
    try {
      this.memory.grow(Math.ceil((this.top - have) / WASM_PAGE));
      return true;
    } catch {
      return false;
    }
  }

  f64(): Float64Array {
    return new Float64Array(this.memory.buffer);
  }

  u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Copies a planned view of `src` to byte address `at`; its address and strides there. */
  stage(src: Float64Array, plan: StagePlan, at: number): Staged {
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
  stageMask(src: Uint8Array, view: View, at: number): void {
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
  gather(src: Float64Array, view: View, at: number): void {
    this.stage(src, { span: false, lo: 0, size: view.rows * view.cols, view }, at);
  }

  /** Scatters compact row-major doubles at byte address `at` into a view of `dst`. */
  scatter(dst: Float64Array, view: View, at: number): void {
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

  /** Copies 32-bit integers to byte address `at`. */
  stageInts(src: Int32Array, count: number, at: number): void {
    new Int32Array(this.memory.buffer, at, count).set(src.subarray(0, count));
  }
}
