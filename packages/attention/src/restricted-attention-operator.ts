import type { LinearOperator } from "@convexformer/solvers";
import { type GatedBlocks, gatedProductAdjoint, Matrix } from "@convexformer/tensors";
import type { AttentionDesign } from "./attention-design.js";

/**
 * A restriction to a working set (`restrictColumns`) offers `toDense()` up to this many
 * entries (2^23, 64 MiB: the largest compact copy `restrictToGroups` makes), for solvers that
 * factor the restricted design (ADMM's Cholesky update).
 */
const RESTRICTED_DENSE_LIMIT = 2 ** 23;

/** `restrictColumns` of an attention operator (internal). */
export function restrictAttentionColumns(
  a: AttentionDesign,
): (starts: readonly number[], lengths: readonly number[]) => LinearOperator | undefined {
  const { N, nd, c, P, rows, cols, Xd, mask, design, gateOf, outputOf } = a;
  const { forward, copyBlock, validateLengths } = a;
  /**
   * `A[:, S]` for increasing, disjoint column ranges (a working set of groups): products over
   * the blocks the ranges touch, through the same gated kernels as the full operator (no copy
   * of the design). Ranges that cover only part of a block (the token groups of programs with
   * several tokens) are padded with zeros to whole blocks in `apply` and read back from the
   * blocks' gradients in `adjoint`. `undefined` for invalid ranges.
   */
  return (starts: readonly number[], lengths: readonly number[]): LinearOperator | undefined => {
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
}
