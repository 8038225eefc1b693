import type { LinearOperator } from "@convexformer/solvers";
import {
  createGatedDesign,
  type GatedBlocks,
  gatedProduct,
  gatedProductAdjoint,
  gemv,
  InvalidOptionError,
  Matrix,
  ShapeMismatchError,
  type TokenBatch,
  validateFinite,
} from "@convexformer/tensors";
import type { ConvexAttentionLayout } from "./convex-attention-layout.js";

/**
 * `toDense()` is offered only up to this many entries (2^22, 32 MiB): solvers call it when
 * present (interior point, screening bounds), and larger designs must stay implicit.
 */
const DENSE_LIMIT = 2 ** 22;
/**
 * A restriction to a working set (`restrictColumns`) offers `toDense()` up to this many
 * entries (2^23, 64 MiB: the largest compact copy `restrictToGroups` makes), for solvers that
 * factor the restricted design (ADMM's Cholesky update).
 */
const RESTRICTED_DENSE_LIMIT = 2 ** 23;

/**
 * The linear operator `A` of the convex attention programs (9), (12) and (14):
 * `ŷ_il = Σ_j D_ij ⟨Z_{j,l}, X_i⟩` (no gates: `D = 1`, one gate), mapping the variable laid out
 * as in {@link ConvexAttentionLayout} to the `N × c` predictions (row-major, the loss layout).
 *
 * It never materializes the `N × (P·c·n·d)` design matrix: `apply` is one product
 * `X_flat · Zᵀ` with the `N × nd` flattened data (`Z` read as the `(P·c) × nd` matrix of the
 * variable), followed for gated programs by the mask `D` and a sum over gates; `adjoint` masks
 * the residual and makes one product `(D ⊙ R)ᵀ X_flat`. Both are tensors' fused gated kernels
 * (`gatedProduct`, `gatedProductAdjoint` on a design made once per operator: product, mask and
 * sum in WebAssembly, with `X_flat` and the mask kept in wasm memory, so only the weights go in
 * and the result comes back); their scratch is `N × P·c` doubles (in wasm memory on that
 * engine). `applyColumns` / `adjointColumns` (whole blocks through the same kernels) and
 * `restrictColumns` serve working-set solvers; `toDense()` exists only for
 * designs of at most 2^22 entries (small problems, interior point).
 *
 * @example
 * ```ts
 * import { attentionOperator } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1])); // token indicators
 * const A = attentionOperator(X, 1);
 * const y = new Float64Array(2);
 * A.apply(new Float64Array([0.5, -0.25]), y); // y = [0.5, -0.25]
 * ```
 */
export interface AttentionOperator extends LinearOperator {
  /** The variable's layout. */
  readonly layout: ConvexAttentionLayout;
  /** `N`: number of samples. */
  readonly samples: number;
  /** The data the operator reads (not copied). */
  readonly data: TokenBatch;
  /** The `N × P` gate mask, `undefined` for ungated programs. */
  readonly mask: Uint8Array | undefined;
}

/**
 * Builds the operator of (9) (`outputs = 1`, no mask), (12) (`outputs = c`, no mask) or
 * (14) (`mask` = the `N × P` activation patterns, see {@link gatePatterns}).
 *
 * @param X - the `N × n × d` token batch (not copied; must stay unchanged)
 * @param outputs - `c ≥ 1`
 * @param mask - optional `N × P` 0/1 gate patterns
 * @throws `ShapeMismatchError` when the mask length is not a multiple of `N`;
 * `NonFiniteInputError` for non-finite data
 *
 * @example
 * ```ts
 * import { attentionOperator } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 1, 2, new Float64Array([1, 2, 3, 4]));
 * const A = attentionOperator(X, 1, new Uint8Array([1, 0, 1, 1])); // two gates
 * A.cols; // 4 = P·c·n·d
 * ```
 */
export function attentionOperator(
  X: TokenBatch,
  outputs: number,
  mask?: Uint8Array,
): AttentionOperator {
  if (!Number.isSafeInteger(outputs) || outputs < 1) {
    throw new InvalidOptionError("outputs", outputs, "must be an integer >= 1");
  }
  validateFinite("X", X.data);
  const N = X.samples;
  const n = X.tokens;
  const d = X.features;
  const nd = n * d;
  const c = outputs;
  let P = 1;
  if (mask !== undefined) {
    if (N === 0 || mask.length % N !== 0 || mask.length === 0) {
      throw new ShapeMismatchError(
        "mask",
        `length ${mask.length} is not a positive multiple of samples = ${N}`,
      );
    }
    P = mask.length / N;
  }
  const Pc = P * c;
  const layout: ConvexAttentionLayout = { gates: P, outputs: c, tokens: n, features: d };
  const rows = N * c;
  const cols = Pc * nd;
  const Xd = X.data;
  const validateLengths = (
    x: Float64Array,
    xLen: number,
    out: Float64Array,
    outLen: number,
    names: [string, string],
  ) => {
    if (x.length !== xLen)
      throw new ShapeMismatchError(names[0], `expected length ${xLen}, got ${x.length}`);
    if (out.length !== outLen)
      throw new ShapeMismatchError(names[1], `expected length ${outLen}, got ${out.length}`);
  };

  // the gates as exact 0/1 factors (any nonzero mask byte is an active gate; no mask: all 1)
  const on = new Uint8Array(N * P);
  if (mask === undefined) on.fill(1);
  else for (let k = 0; k < on.length; k++) on[k] = mask[k] !== 0 ? 1 : 0;
  // block b = j·c + l of the variable: its gate j and its output l
  const gateOf = new Int32Array(Pc);
  const outputOf = new Int32Array(Pc);
  for (let b = 0; b < Pc; b++) {
    outputOf[b] = b % c;
    gateOf[b] = (b - (b % c)) / c;
  }
  const idsGate = new Int32Array(Pc);
  const idsOutput = new Int32Array(Pc);
  /** `to[at .. at + nd) = from[start .. start + nd)` (no subarray views on the hot path). */
  const copyBlock = (from: Float64Array, start: number, to: Float64Array, at: number): void => {
    for (let e = 0; e < nd; e++) to[at + e] = from[start + e] as number;
  };
  // compact copies of the nonzero (j, l) blocks of x (proximal iterates are group-sparse)
  let compactX: Float64Array | undefined;
  const blockIndex = new Int32Array(Pc);
  const apply = (x: Float64Array, out: Float64Array): void => {
    validateLengths(x, cols, out, rows, ["x", "out"]);
    if (mask === undefined && c === 1) {
      gemv("no-transpose", N, nd, 1, Xd, nd, 1, 0, x, 1, 0, 0, out, 1, 0);
      return;
    }
    let B = 0;
    for (let b = 0; b < Pc; b++) {
      const base = b * nd;
      let any = false;
      for (let e = 0; e < nd && !any; e++) any = x[base + e] !== 0;
      if (any) blockIndex[B++] = b;
    }
    if (B === 0) {
      out.fill(0);
      return;
    }
    let source = x;
    let width = Pc;
    if (B < Pc) {
      // multiply only the nonzero blocks: one product with a compact (B × nd) copy
      if (compactX === undefined) compactX = new Float64Array(Pc * nd);
      for (let t = 0; t < B; t++) {
        const b = blockIndex[t] as number;
        copyBlock(x, b * nd, compactX, t * nd);
      }
      source = compactX;
      width = B;
    } else {
      for (let b = 0; b < Pc; b++) blockIndex[b] = b;
    }
    forward(blockIndex, width, source, out);
  };

  // the data, the gates and the outputs as a gated design (tensors' fused kernels; X_flat read
  // in place: the operator's contract says it stays unchanged; wasm memory keeps a copy of it
  // and of the mask between products)
  const design = createGatedDesign({
    copyData: false,
    samples: N,
    features: nd,
    data: Xd,
    gateCount: P,
    gates: on,
    outputs: c,
  });
  const allBlocks: GatedBlocks = { count: Pc, gate: gateOf, output: outputOf };

  /**
   * `out = Σ_t D_{:, j_t} ⊙ (X_flat · z_t)` summed into output `l_t`, for the blocks
   * `ids[0 .. width)` (`b = j·c + l`) whose `nd` weights lie consecutively in `source`: one
   * blocked product `T = X_flat · Zᵀ` (`N × width`), then the mask and the sum
   * (`gatedProduct`).
   */
  const forward = (ids: Int32Array, width: number, source: Float64Array, out: Float64Array) => {
    for (let t = 0; t < width; t++) {
      const b = ids[t] as number;
      idsGate[t] = gateOf[b] as number;
      idsOutput[t] = outputOf[b] as number;
    }
    gatedProduct(design, { count: width, gate: idsGate, output: idsOutput }, source, out);
  };

  const adjoint = (r: Float64Array, out: Float64Array): void => {
    validateLengths(r, rows, out, cols, ["r", "out"]);
    if (mask === undefined && c === 1) {
      gemv("transpose", N, nd, 1, Xd, nd, 1, 0, r, 1, 0, 0, out, 1, 0);
      return;
    }
    gatedProductAdjoint(design, allBlocks, r, out);
  };

  const validateColumnRange = (start: number, end: number): void => {
    const ok =
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(end) &&
      0 <= start &&
      start <= end &&
      end <= cols;
    if (!ok)
      throw new ShapeMismatchError(
        "start, end",
        `column range [${start}, ${end}) out of [0, ${cols})`,
      );
  };

  /** The blocks `[first, end)` as gated blocks (their gates and outputs in `idsGate`/`idsOutput`). */
  const blockRange = (first: number, end: number): GatedBlocks => {
    for (let t = 0; t < end - first; t++) {
      idsGate[t] = gateOf[first + t] as number;
      idsOutput[t] = outputOf[first + t] as number;
    }
    return { count: end - first, gate: idsGate, output: idsOutput };
  };

  const applyColumns = (start: number, end: number, x: Float64Array, out: Float64Array): void => {
    validateColumnRange(start, end);
    validateLengths(x, end - start, out, rows, ["x", "out"]);
    const [fullStart, fullEnd] = fullBlocks(start, end);
    if (fullEnd > fullStart) {
      // whole blocks in one gated product (T = X_flat · Z_blocksᵀ, then mask and sum)
      const off = fullStart * nd - start;
      const Z = x.subarray(off, off + (fullEnd - fullStart) * nd);
      gatedProduct(design, blockRange(fullStart, fullEnd), Z, out);
      applyPartial(start, Math.min(end, fullStart * nd), start, x, out);
      applyPartial(Math.max(start, fullEnd * nd), end, start, x, out);
    } else {
      out.fill(0);
      applyPartial(start, end, start, x, out);
    }
  };

  /** Blocks lying wholly inside `[start, end)`: `[first, end)` block indices. */
  const fullBlocks = (start: number, end: number): [number, number] => [
    Math.ceil(start / nd),
    Math.floor(end / nd),
  ];

  // one block at a time, zero-padded to its whole width, through the gated kernels (the data
  // stays in wasm memory; a strided gemv on a few columns would copy or stride through X_flat)
  const oneGate = new Int32Array(1);
  const oneOutput = new Int32Array(1);
  const oneBlock: GatedBlocks = { count: 1, gate: oneGate, output: oneOutput };
  let paddedBlock: Float64Array | undefined;
  let blockPredictions: Float64Array | undefined;

  /** `out += A[:, lo:hi] x[lo − base : hi − base]`, block by block (partial blocks). */
  const applyPartial = (
    lo0: number,
    hi0: number,
    base: number,
    x: Float64Array,
    out: Float64Array,
  ): void => {
    if (hi0 <= lo0) return;
    if (paddedBlock === undefined) paddedBlock = new Float64Array(nd);
    if (blockPredictions === undefined) blockPredictions = new Float64Array(rows);
    const z = paddedBlock;
    const v = blockPredictions;
    for (let b = Math.floor(lo0 / nd); b * nd < hi0; b++) {
      const lo = Math.max(lo0, b * nd);
      const hi = Math.min(hi0, (b + 1) * nd);
      if (hi <= lo) continue;
      z.fill(0);
      for (let e = lo; e < hi; e++) z[e - b * nd] = x[e - base] as number;
      oneGate[0] = gateOf[b] as number;
      oneOutput[0] = outputOf[b] as number;
      gatedProduct(design, oneBlock, z, v);
      for (let i = 0; i < rows; i++) out[i] = (out[i] as number) + (v[i] as number);
    }
  };

  const adjointColumns = (start: number, end: number, r: Float64Array, out: Float64Array): void => {
    validateColumnRange(start, end);
    validateLengths(r, rows, out, end - start, ["r", "out"]);
    const [fullStart, fullEnd] = fullBlocks(start, end);
    if (fullEnd > fullStart) {
      // whole blocks in one gated adjoint: out_blocks (nb × nd) = (D ⊙ R)_blocksᵀ · X_flat
      const off = fullStart * nd - start;
      const G = out.subarray(off, off + (fullEnd - fullStart) * nd);
      gatedProductAdjoint(design, blockRange(fullStart, fullEnd), r, G);
      adjointPartial(start, Math.min(end, fullStart * nd), start, r, out);
      adjointPartial(Math.max(start, fullEnd * nd), end, start, r, out);
    } else {
      adjointPartial(start, end, start, r, out);
    }
  };

  /** `out[lo − base : hi − base] = A[:, lo:hi]ᵀ r`, block by block (partial blocks). */
  const adjointPartial = (
    lo0: number,
    hi0: number,
    base: number,
    r: Float64Array,
    out: Float64Array,
  ): void => {
    if (hi0 <= lo0) return;
    if (paddedBlock === undefined) paddedBlock = new Float64Array(nd);
    const g = paddedBlock;
    for (let b = Math.floor(lo0 / nd); b * nd < hi0; b++) {
      const lo = Math.max(lo0, b * nd);
      const hi = Math.min(hi0, (b + 1) * nd);
      if (hi <= lo) continue;
      oneGate[0] = gateOf[b] as number;
      oneOutput[0] = outputOf[b] as number;
      gatedProductAdjoint(design, oneBlock, r, g);
      for (let e = lo; e < hi; e++) out[e - base] = g[e - b * nd] as number;
    }
  };

  /**
   * `A[:, S]` for increasing, disjoint column ranges (a working set of groups): products over
   * the blocks the ranges touch, through the same gated kernels as the full operator (no copy
   * of the design). Ranges that cover only part of a block (the token groups of programs with
   * several tokens) are padded with zeros to whole blocks in `apply` and read back from the
   * blocks' gradients in `adjoint`. `undefined` for invalid ranges.
   */
  const restrictColumns = (
    starts: readonly number[],
    lengths: readonly number[],
  ): LinearOperator | undefined => {
    if (starts.length !== lengths.length) return undefined;
    const ids: number[] = [];
    // position of each kept column in the padded (K × nd) layout of the touched blocks
    const positions: number[] = [];
    let prevEnd = 0;
    for (let r = 0; r < starts.length; r++) {
      const a = starts[r] as number;
      const len = lengths[r] as number;
      const ok =
        Number.isSafeInteger(a) &&
        Number.isSafeInteger(len) &&
        len > 0 &&
        a >= prevEnd &&
        a + len <= cols;
      if (!ok) return undefined;
      for (let col = a; col < a + len; col++) {
        const b = Math.floor(col / nd);
        if (ids.length === 0 || ids[ids.length - 1] !== b) ids.push(b);
        positions.push((ids.length - 1) * nd + (col - b * nd));
      }
      prevEnd = a + len;
    }
    const K = ids.length;
    if (K === 0) return undefined;
    const kept = Int32Array.from(ids);
    const keptBlocks: GatedBlocks = {
      count: K,
      gate: kept.map((b) => gateOf[b] as number),
      output: kept.map((b) => outputOf[b] as number),
    };
    const subCols = positions.length;
    const paddedCols = K * nd;
    // whole blocks only: the compact vector is the padded one
    const whole = subCols === paddedCols;
    const at = Int32Array.from(positions);
    const padded = whole ? undefined : new Float64Array(paddedCols);
    const nonzero = new Int32Array(K);
    let packed: Float64Array | undefined;
    const restricted: LinearOperator = {
      rows,
      cols: subCols,
      apply(xIn, out) {
        validateLengths(xIn, subCols, out, rows, ["x", "out"]);
        let x = xIn;
        if (padded !== undefined) {
          padded.fill(0);
          for (let k = 0; k < subCols; k++) padded[at[k] as number] = xIn[k] as number;
          x = padded;
        }
        let B = 0;
        for (let t = 0; t < K; t++) {
          const base = t * nd;
          let any = false;
          for (let e = 0; e < nd && !any; e++) any = x[base + e] !== 0;
          if (any) nonzero[B++] = t;
        }
        if (B === 0) {
          out.fill(0);
          return;
        }
        let source = x;
        if (B < K) {
          // the nonzero blocks only, as in the full apply
          if (packed === undefined) packed = new Float64Array(paddedCols);
          for (let u = 0; u < B; u++) {
            const t = nonzero[u] as number;
            copyBlock(x, t * nd, packed, u * nd);
          }
          source = packed;
        }
        for (let u = 0; u < B; u++) nonzero[u] = kept[nonzero[u] as number] as number;
        forward(nonzero, B, source, out);
      },
      adjoint(r, out) {
        validateLengths(r, rows, out, subCols, ["r", "out"]);
        // each touched block's output residual, masked by its gate, times X_flat
        if (padded === undefined) {
          gatedProductAdjoint(design, keptBlocks, r, out);
          return;
        }
        gatedProductAdjoint(design, keptBlocks, r, padded);
        for (let k = 0; k < subCols; k++) out[k] = padded[at[k] as number] as number;
      },
    };
    if (rows * subCols > RESTRICTED_DENSE_LIMIT) return restricted;
    return {
      ...restricted,
      toDense(): Matrix {
        const A = new Matrix(rows, subCols);
        for (let i = 0; i < N; i++) {
          for (let k = 0; k < subCols; k++) {
            const t = Math.floor((at[k] as number) / nd);
            const e = (at[k] as number) - t * nd;
            const b = kept[t] as number;
            const l = b % c;
            if (mask !== undefined && mask[i * P + (b - l) / c] === 0) continue;
            A.data[(i * c + l) * subCols + k] = Xd[i * nd + e] as number;
          }
        }
        return A;
      },
    };
  };

  const toDense = (): Matrix => {
    const A = new Matrix(rows, cols);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < P; j++) {
        if (mask !== undefined && mask[i * P + j] === 0) continue;
        for (let l = 0; l < c; l++) {
          const row = A.data.subarray((i * c + l) * cols, (i * c + l + 1) * cols);
          row.set(Xd.subarray(i * nd, (i + 1) * nd), (j * c + l) * nd);
        }
      }
    }
    return A;
  };

  const operator: AttentionOperator = {
    rows,
    cols,
    layout,
    samples: N,
    data: X,
    mask,
    apply,
    adjoint,
    applyColumns,
    adjointColumns,
    restrictColumns,
  };
  return rows * cols <= DENSE_LIMIT ? { ...operator, toDense } : operator;
}
