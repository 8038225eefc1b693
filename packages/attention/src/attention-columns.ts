import {
  type GatedBlocks,
  gatedProduct,
  gatedProductAdjoint,
  ShapeMismatchError,
} from "@convexformer/tensors";
import type { AttentionDesign } from "./attention-design.js";

/**
 * `applyColumns` / `adjointColumns` of an attention operator: whole blocks of a column range
 * through one gated product, partial blocks one at a time, zero-padded (internal).
 */
export function attentionColumns(a: AttentionDesign): {
  applyColumns(start: number, end: number, x: Float64Array, out: Float64Array): void;
  adjointColumns(start: number, end: number, r: Float64Array, out: Float64Array): void;
} {
  const { nd, rows, cols, design, gateOf, outputOf, idsGate, idsOutput, validateLengths } = a;
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

  return { applyColumns, adjointColumns };
}
