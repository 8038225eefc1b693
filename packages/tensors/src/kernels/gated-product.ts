import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { dispatchEngine } from "../wasm/kernel-config.js";
import { jsGemm } from "./js-gemm.js";
import { validateExtent } from "./validate-strided.js";
import { wasmWorthCopying } from "./wasm-crossover.js";

/**
 * What a gated design is made of (see {@link createGatedDesign}): the data `X` (`N × F`,
 * row-major), the `N × P` gate mask `D` (row-major bytes, nonzero: the gate is on) and the
 * number of outputs `c`.
 *
 * @example
 * ```ts
 * import type { GatedDesignOptions } from "@convexformer/tensors";
 * // two samples of two features, two gates (the first on for sample 0 only), one output
 * const options: GatedDesignOptions = {
 *   samples: 2, features: 2, data: new Float64Array([1, 2, 3, 4]),
 *   gateCount: 2, gates: new Uint8Array([1, 1, 0, 1]), outputs: 1,
 * };
 * options.gates.length === options.samples * options.gateCount; // true
 * ```
 */
export interface GatedDesignOptions {
  /** `N`: rows of the data. */
  readonly samples: number;
  /** `F`: columns of the data (the length of every block's weight vector). */
  readonly features: number;
  /** `X`, `N × F` row-major (at least `N·F` entries; copied). */
  readonly data: Float64Array;
  /** `P`: columns of the gate mask. */
  readonly gateCount: number;
  /** `D`, `N × P` row-major (at least `N·P` entries; copied; a nonzero byte is an active gate). */
  readonly gates: Uint8Array;
  /** `c`: columns of the predictions. */
  readonly outputs: number;
  /**
   * `false`: the design reads `data` in place instead of copying it, and the caller promises
   * not to change it while the design is in use (a changed array gives undefined results:
   * WebAssembly memory may keep an older copy). Default `true`. The mask is always copied.
   */
  readonly copyData?: boolean;
}

/**
 * A gated design, made by {@link createGatedDesign}: with blocks `t = 0 … K−1`, each owning a
 * gate `g_t` and an output `o_t` (see {@link GatedBlocks}), it maps `K` weight vectors
 * `z_t ∈ ℝ^F` to the `N × c` predictions `y_{i, o} = Σ_{t : o_t = o} D_{i, g_t} ⟨X_i, z_t⟩`:
 * the design matrix `[D_{g_0} X, …]` of a gated ReLU layer (docs/concepts.md#programs), never
 * formed. It holds its own copies of `X` and `D`, so the products may keep them in WebAssembly
 * memory between calls.
 *
 * @example
 * ```ts
 * import { createGatedDesign, type GatedDesign } from "@convexformer/tensors";
 * const design: GatedDesign = createGatedDesign({
 *   samples: 2, features: 2, data: new Float64Array([1, 2, 3, 4]),
 *   gateCount: 2, gates: new Uint8Array([1, 1, 0, 1]), outputs: 1,
 * });
 * design.samples * design.features; // 4
 * ```
 */
export interface GatedDesign {
  /** `N`: rows of the data. */
  readonly samples: number;
  /** `F`: columns of the data. */
  readonly features: number;
  /** `P`: columns of the gate mask. */
  readonly gateCount: number;
  /** `c`: columns of the predictions. */
  readonly outputs: number;
}

/** A design's own arrays (never handed out: nobody can change them after creation). */
interface DesignArrays {
  /** Unique per design: the key of its copies in WebAssembly memory. */
  readonly id: number;
  readonly data: Float64Array;
  /** The mask as exact 0/1 bytes. */
  readonly gates: Uint8Array;
}

const arraysOf = new WeakMap<GatedDesign, DesignArrays>();
let nextId = 1;

/**
 * Makes a {@link GatedDesign} from its data, gate mask and number of outputs, copying `data`
 * (unless `copyData: false`) and `gates` (the mask as exact 0/1 bytes): later changes to the
 * caller's arrays do not reach the design, and the products keep the copies in WebAssembly
 * memory between calls (up to 256 MiB of designs; when a new one does not fit, all are dropped
 * and each is copied in again on its next product).
 *
 * @param options - sizes (integers ≥ 0; `outputs ≥ 1`, otherwise `InvalidOptionError`) and
 *   arrays long enough for them (otherwise `ShapeMismatchError` naming `options.data` or
 *   `options.gates`)
 * @example
 * ```ts
 * import { createGatedDesign } from "@convexformer/tensors";
 * const data = new Float64Array([1, 2, 3, 4]);
 * const design = createGatedDesign({
 *   samples: 2, features: 2, data, gateCount: 2, gates: new Uint8Array([1, 1, 0, 1]), outputs: 1,
 * });
 * data[0] = 99; // the design keeps its own copy
 * design.gateCount; // 2
 * createGatedDesign({ samples: 2, features: 2, data, gateCount: 2, gates: new Uint8Array(3), outputs: 1 }); // throws ShapeMismatchError
 * ```
 */
export function createGatedDesign(options: GatedDesignOptions): GatedDesign {
  const { samples: N, features: F, data, gateCount: P, gates, outputs: c } = options;
  const copyData = options.copyData ?? true;
  if (typeof copyData !== "boolean")
    throw new InvalidOptionError("options.copyData", copyData, "must be a boolean");
  validateExtent("options.samples", N);
  validateExtent("options.features", F);
  validateExtent("options.gateCount", P);
  if (!Number.isSafeInteger(c) || c < 1)
    throw new InvalidOptionError("options.outputs", c, "must be an integer >= 1");
  if (!(data instanceof Float64Array) || data.length < N * F)
    throw new ShapeMismatchError(
      "options.data",
      `expected a Float64Array of at least ${N * F} = samples·features entries`,
    );
  if (!(gates instanceof Uint8Array) || gates.length < N * P)
    throw new ShapeMismatchError(
      "options.gates",
      `expected a Uint8Array of at least ${N * P} = samples·gateCount entries`,
    );
  const own = new Uint8Array(N * P);
  for (let k = 0; k < own.length; k++) own[k] = Math.min(gates[k] as number, 1);
  const design: GatedDesign = Object.freeze({
    samples: N,
    features: F,
    gateCount: P,
    outputs: c,
  });
  const kept = copyData ? data.slice(0, N * F) : data;
  arraysOf.set(design, { id: nextId++, data: kept, gates: own });
  return design;
}

function arrays(design: GatedDesign): DesignArrays {
  const own = typeof design === "object" && design !== null ? arraysOf.get(design) : undefined;
  if (own === undefined)
    throw new InvalidOptionError("design", typeof design, "must come from createGatedDesign");
  return own;
}

/**
 * The blocks a gated product runs over: block `t < count` has gate `gate[t]` (a column of the
 * mask) and output `output[t]` (a column of the predictions). The arrays may be longer than
 * `count`; only their first `count` entries are read.
 *
 * @example
 * ```ts
 * import type { GatedBlocks } from "@convexformer/tensors";
 * // one block per gate, all into output 0
 * const blocks: GatedBlocks = { count: 2, gate: new Int32Array([0, 1]), output: new Int32Array([0, 0]) };
 * blocks.count; // 2
 * ```
 */
export interface GatedBlocks {
  /** `K`: the number of blocks. */
  readonly count: number;
  /** The gate of each block, in `[0, P)`. */
  readonly gate: Int32Array;
  /** The output of each block, in `[0, c)`. */
  readonly output: Int32Array;
}

function validateBlocks(blocks: GatedBlocks, P: number, c: number): void {
  const { count: K, gate, output } = blocks;
  validateExtent("blocks.count", K);
  if (!(gate instanceof Int32Array) || gate.length < K)
    throw new ShapeMismatchError("blocks.gate", `expected an Int32Array of at least ${K} entries`);
  if (!(output instanceof Int32Array) || output.length < K)
    throw new ShapeMismatchError(
      "blocks.output",
      `expected an Int32Array of at least ${K} entries`,
    );
  for (let t = 0; t < K; t++) {
    const g = gate[t] as number;
    const o = output[t] as number;
    if (g < 0 || g >= P)
      throw new InvalidOptionError(`blocks.gate[${t}]`, g, `must lie in [0, ${P})`);
    if (o < 0 || o >= c)
      throw new InvalidOptionError(`blocks.output[${t}]`, o, `must lie in [0, ${c})`);
  }
}

function validateVector(argument: string, array: Float64Array, length: number, what: string) {
  if (!(array instanceof Float64Array) || array.length < length)
    throw new ShapeMismatchError(
      argument,
      `expected a Float64Array of at least ${length} = ${what}`,
    );
}

/**
 * The forward map of a gated design (see {@link GatedDesign}): `y_{i, o} = Σ_{t : o_t = o}
 * D_{i, g_t} ⟨X_i, z_t⟩`, for the blocks of `blocks` with weights `Z` (`K × F` row-major).
 * One blocked product `T = X · Zᵀ` (`N × K`) and the gated sum of its rows, in that order for
 * every row, so every engine gives the same bits. Above gemm's crossover size (engine
 * `"auto"`, see {@link configureKernels}) both run in WebAssembly SIMD128 (the product on the
 * worker threads) on the design's copies kept in wasm memory, so only `Z` goes in and `y`
 * comes back; the plain JS kernels otherwise.
 *
 * @param design - the data, the gate mask and the number of outputs, from
 *   {@link createGatedDesign} (anything else is `InvalidOptionError`)
 * @param blocks - the blocks' gates and outputs (every entry in range, otherwise
 *   `InvalidOptionError` naming it)
 * @param Z - the blocks' weights, `K × F` row-major (read only; at least `K·F` entries)
 * @param y - the predictions, `N × c` row-major (at least `N·c` entries; the first `N·c` are
 *   overwritten)
 * @example
 * ```ts
 * import { createGatedDesign, gatedProduct } from "@convexformer/tensors";
 * const design = createGatedDesign({
 *   samples: 2, features: 2, data: new Float64Array([1, 2, 3, 4]),
 *   gateCount: 2, gates: new Uint8Array([1, 1, 0, 1]), outputs: 1,
 * });
 * const blocks = { count: 2, gate: new Int32Array([0, 1]), output: new Int32Array([0, 0]) };
 * const y = new Float64Array(2);
 * // block 0 (gate 0) weights (1, 0), block 1 (gate 1) weights (0, 1)
 * gatedProduct(design, blocks, new Float64Array([1, 0, 0, 1]), y);
 * // sample 0: 1 + 2; sample 1 (gate 0 off): 4
 * y; // Float64Array [3, 4]
 * ```
 */
export function gatedProduct(
  design: GatedDesign,
  blocks: GatedBlocks,
  Z: Float64Array,
  y: Float64Array,
): void {
  const own = arrays(design);
  const { samples: N, features: F, gateCount: P, outputs: c } = design;
  validateBlocks(blocks, P, c);
  const K = blocks.count;
  validateVector("Z", Z, K * F, "count·features");
  validateVector("y", y, N * c, "samples·outputs");
  // the data and the mask stay in wasm memory: only Z and y are copied per call
  const engine = dispatchEngine(wasmWorthCopying(N * K * F, K * F + N * c));
  if (
    engine?.gatedProduct(
      own.id,
      N,
      F,
      K,
      own.data,
      Z,
      own.gates,
      P,
      blocks.gate,
      blocks.output,
      c,
      y,
    ) === true
  )
    return;
  jsGatedProduct(design, blocks, Z, y);
}

/** Reused product scratch of the JS kernels (`N × K`). */
let scratch = new Float64Array(0);
function scratchOf(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch;
}

/**
 * {@link gatedProduct} on the plain JS kernels only (never WebAssembly): the fallback and the
 * test reference. Arguments as validated by {@link gatedProduct}. @internal
 */
export function jsGatedProduct(
  design: GatedDesign,
  blocks: GatedBlocks,
  Z: Float64Array,
  y: Float64Array,
): void {
  const { samples: N, features: F, gateCount: P, outputs: c } = design;
  const { data, gates } = arrays(design);
  const { count: K, gate, output } = blocks;
  y.fill(0, 0, N * c);
  if (K === 0 || F === 0 || N === 0) return;
  const T = scratchOf(N * K);
  jsGemm("no-transpose", "transpose", N, K, F, 1, data, F, 1, 0, Z, F, 1, 0, 0, T, K, 1, 0);
  for (let i = 0; i < N; i++) {
    const tRow = i * K;
    const gRow = i * P;
    if (c === 1) {
      // × the gate as an exact 0/1 factor (the design's bytes), branch-free: random gates
      // defeat branch prediction
      let s = 0;
      for (let t = 0; t < K; t++)
        s += (T[tRow + t] as number) * (gates[gRow + (gate[t] as number)] as number);
      y[i] = s;
    } else {
      const oRow = i * c;
      for (let t = 0; t < K; t++) {
        const o = oRow + (output[t] as number);
        y[o] =
          (y[o] as number) +
          (T[tRow + t] as number) * (gates[gRow + (gate[t] as number)] as number);
      }
    }
  }
}

/**
 * The adjoint of {@link gatedProduct}: the blocks' gradients `G_t = Σ_i D_{i, g_t} r_{i, o_t}
 * X_i` (`K × F` row-major) for the residual `r` (`N × c` row-major), i.e. `⟨gatedProduct(Z),
 * r⟩ = ⟨Z, G⟩`. One gated expansion `M_{i,t} = D_{i, g_t} r_{i, o_t}` (`N × K`) and one blocked
 * product `G = Mᵀ · X`; above gemm's crossover size both run in WebAssembly SIMD128 (the
 * product on the worker threads), the plain JS kernels otherwise, with the same bits.
 *
 * @param design - the data, the gate mask and the number of outputs, from
 *   {@link createGatedDesign} (anything else is `InvalidOptionError`)
 * @param blocks - the blocks' gates and outputs (every entry in range, otherwise
 *   `InvalidOptionError` naming it)
 * @param r - the residual, `N × c` row-major (read only; at least `N·c` entries)
 * @param G - the blocks' gradients, `K × F` row-major (at least `K·F` entries; the first `K·F`
 *   are overwritten)
 * @example
 * ```ts
 * import { createGatedDesign, gatedProductAdjoint } from "@convexformer/tensors";
 * const design = createGatedDesign({
 *   samples: 2, features: 2, data: new Float64Array([1, 2, 3, 4]),
 *   gateCount: 2, gates: new Uint8Array([1, 1, 0, 1]), outputs: 1,
 * });
 * const blocks = { count: 2, gate: new Int32Array([0, 1]), output: new Int32Array([0, 0]) };
 * const G = new Float64Array(4);
 * gatedProductAdjoint(design, blocks, new Float64Array([1, 1]), G);
 * // block 0 sees sample 0 only: (1, 2); block 1 both: (1 + 3, 2 + 4)
 * G; // Float64Array [1, 2, 4, 6]
 * ```
 */
export function gatedProductAdjoint(
  design: GatedDesign,
  blocks: GatedBlocks,
  r: Float64Array,
  G: Float64Array,
): void {
  const own = arrays(design);
  const { samples: N, features: F, gateCount: P, outputs: c } = design;
  validateBlocks(blocks, P, c);
  const K = blocks.count;
  validateVector("r", r, N * c, "samples·outputs");
  validateVector("G", G, K * F, "count·features");
  const engine = dispatchEngine(wasmWorthCopying(N * K * F, N * c + K * F));
  if (
    engine?.gatedProductAdjoint(
      own.id,
      N,
      F,
      K,
      own.data,
      r,
      own.gates,
      P,
      blocks.gate,
      blocks.output,
      c,
      G,
    ) === true
  )
    return;
  jsGatedProductAdjoint(design, blocks, r, G);
}

/**
 * {@link gatedProductAdjoint} on the plain JS kernels only (never WebAssembly): the fallback
 * and the test reference. Arguments as validated by {@link gatedProductAdjoint}. @internal
 */
export function jsGatedProductAdjoint(
  design: GatedDesign,
  blocks: GatedBlocks,
  r: Float64Array,
  G: Float64Array,
): void {
  const { samples: N, features: F, gateCount: P, outputs: c } = design;
  const { data, gates } = arrays(design);
  const { count: K, gate, output } = blocks;
  if (K === 0 || F === 0) return;
  if (N === 0) {
    G.fill(0, 0, K * F);
    return;
  }
  const M = scratchOf(N * K);
  for (let i = 0; i < N; i++) {
    const mRow = i * K;
    const gRow = i * P;
    const rRow = i * c;
    for (let t = 0; t < K; t++)
      M[mRow + t] =
        (r[rRow + (output[t] as number)] as number) * (gates[gRow + (gate[t] as number)] as number);
  }
  jsGemm("transpose", "no-transpose", K, F, N, 1, M, K, 1, 0, data, F, 1, 0, 0, G, F, 1, 0);
}
