import type { Matrix } from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";
import { denseAdjoint, denseApply } from "../operators/dense-kernels.js";

/**
 * Products with a contiguous block of columns `A[:, start:end]` of an operator, by the
 * cheapest route it offers: its dense form (unit-stride kernels on the column range), its
 * `applyColumns` / `adjointColumns`, or, failing both, the full operator on a zero-padded
 * vector. Block-coordinate solvers touch one group's columns at a time. @internal
 */
export interface ColumnBlocks {
  /** Which route the products take. */
  readonly route: "dense" | "columns" | "padded";
  /** `out = A[:, start:end] x` (`x.length ≥ end − start`, `out.length === rows`). */
  apply(start: number, end: number, x: Float64Array, out: Float64Array): void;
  /** `out[0 .. end − start) = A[:, start:end]ᵀ r`. */
  adjoint(start: number, end: number, r: Float64Array, out: Float64Array): void;
}

/**
 * {@link columnBlocks} with a cache: the first product with a block copies it into a compact
 * column-major buffer (`rows` numbers per column) (while the cache holds at most `maxEntries`
 * numbers), and later products run unit-stride kernels on the copy (several times faster
 * than strided or masked column access). @internal
 */
export function cachedColumnBlocks(
  operator: LinearOperator,
  dense: Matrix | undefined,
  maxEntries: number,
): ColumnBlocks {
  const base = columnBlocks(operator, dense);
  const rows = operator.rows;
  const cache = new Map<number, Float64Array>();
  let used = 0;
  const one = new Float64Array([1]);
  const col = new Float64Array(rows);
  const lookup = (start: number, end: number): Float64Array | undefined => {
    const len = end - start;
    const hit = cache.get(start);
    if (hit !== undefined) return hit.length === rows * len ? hit : undefined;
    if (used + rows * len > maxEntries) return undefined;
    const block = new Float64Array(rows * len);
    for (let j = 0; j < len; j++) {
      base.apply(start + j, start + j + 1, one, col);
      block.set(col, j * rows);
    }
    cache.set(start, block);
    used += rows * len;
    return block;
  };
  return {
    route: base.route,
    apply(start, end, x, out) {
      const block = lookup(start, end);
      if (block === undefined) base.apply(start, end, x, out);
      else columnMajorApply(block, rows, end - start, x, out);
    },
    adjoint(start, end, r, out) {
      const block = lookup(start, end);
      if (block === undefined) base.adjoint(start, end, r, out);
      else columnMajorAdjoint(block, rows, end - start, r, out);
    },
  };
}

/**
 * The column-block products of `operator` (see {@link ColumnBlocks}); `dense`, when given,
 * must be the operator's dense form. @internal
 */
export function columnBlocks(operator: LinearOperator, dense?: Matrix): ColumnBlocks {
  const { rows, cols } = operator;
  if (dense !== undefined && dense.rows === rows && dense.cols === cols) {
    const a = dense.data;
    return {
      route: "dense",
      apply: (start, end, x, out) => denseApply(a, cols, start, rows, end - start, x, out),
      adjoint: (start, end, r, out) => denseAdjoint(a, cols, start, rows, end - start, r, out),
    };
  }
  const { applyColumns, adjointColumns } = operator;
  if (applyColumns !== undefined && adjointColumns !== undefined) {
    const ap = applyColumns.bind(operator);
    const ad = adjointColumns.bind(operator);
    return {
      route: "columns",
      apply: (start, end, x, out) =>
        ap(start, end, x.length === end - start ? x : x.subarray(0, end - start), out),
      adjoint: (start, end, r, out) =>
        ad(start, end, r, out.length === end - start ? out : out.subarray(0, end - start)),
    };
  }
  const padded = new Float64Array(cols);
  const back = new Float64Array(cols);
  return {
    route: "padded",
    apply(start, end, x, out) {
      padded.fill(0);
      padded.set(x.subarray(0, end - start), start);
      operator.apply(padded, out);
    },
    adjoint(start, end, r, out) {
      operator.adjoint(r, back);
      out.set(back.subarray(start, end));
    },
  };
}

/** `out = B x` for the column-major `rows × len` block `B` (four columns per pass over `out`). */
function columnMajorApply(
  b: Float64Array,
  rows: number,
  len: number,
  x: Float64Array,
  out: Float64Array,
): void {
  out.fill(0, 0, rows);
  let j = 0;
  for (; j + 3 < len; j += 4) {
    const x0 = x[j] as number;
    const x1 = x[j + 1] as number;
    const x2 = x[j + 2] as number;
    const x3 = x[j + 3] as number;
    const o0 = j * rows;
    const o1 = o0 + rows;
    const o2 = o1 + rows;
    const o3 = o2 + rows;
    for (let i = 0; i < rows; i++) {
      out[i] =
        (out[i] as number) +
        x0 * (b[o0 + i] as number) +
        x1 * (b[o1 + i] as number) +
        x2 * (b[o2 + i] as number) +
        x3 * (b[o3 + i] as number);
    }
  }
  for (; j < len; j++) {
    const xj = x[j] as number;
    const o = j * rows;
    for (let i = 0; i < rows; i++) out[i] = (out[i] as number) + xj * (b[o + i] as number);
  }
}

/** `out[0 .. len) = Bᵀ r` for the column-major `rows × len` block `B` (four dot products per pass over `r`). */
function columnMajorAdjoint(
  b: Float64Array,
  rows: number,
  len: number,
  r: Float64Array,
  out: Float64Array,
): void {
  let j = 0;
  for (; j + 3 < len; j += 4) {
    const o0 = j * rows;
    const o1 = o0 + rows;
    const o2 = o1 + rows;
    const o3 = o2 + rows;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < rows; i++) {
      const ri = r[i] as number;
      s0 += ri * (b[o0 + i] as number);
      s1 += ri * (b[o1 + i] as number);
      s2 += ri * (b[o2 + i] as number);
      s3 += ri * (b[o3 + i] as number);
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < len; j++) {
    const o = j * rows;
    let s = 0;
    for (let i = 0; i < rows; i++) s += (r[i] as number) * (b[o + i] as number);
    out[j] = s;
  }
}
