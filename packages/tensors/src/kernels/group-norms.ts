import { InvalidOptionError } from "../errors.js";
import { checkStrided1d } from "./check-strided.js";
import { nrm2Unchecked } from "./nrm2.js";

/**
 * Per-group Euclidean norms of a vector split into contiguous groups: group `g` is the
 * elements `groupPtr[g] ≤ i < groupPtr[g + 1]`, and `out[offsetOut + g·strideOut] = ‖x_g‖₂`.
 * `groupPtr` has `G + 1` nondecreasing entries (CSR-style pointers); empty groups get 0.
 *
 * @param G - number of groups (an integer ≥ 0)
 * @param groupPtr - `G + 1` nondecreasing group boundaries, the first ≥ 0: group `g` is elements
 *   `groupPtr[g]` to `groupPtr[g + 1] - 1` of `x`; a wrong length, a decrease or a negative start
 *   is `invalid-option`
 * @param x - the vector, read only: element `i` is `x[offsetX + i·strideX]`, for `groupPtr[G]`
 *   elements
 * @param strideX - step in `x` between consecutive elements (an integer; may be negative)
 * @param offsetX - index in `x` of element 0; every index the view reaches must lie inside `x`,
 *   otherwise `shape-mismatch`
 * @param out - the output, overwritten: `‖x_g‖₂` goes to `out[offsetOut + g·strideOut]`, for the
 *   `G` groups
 * @param strideOut - step in `out` between consecutive groups' norms (an integer; may be negative)
 * @param offsetOut - index in `out` of group 0's norm; every index written must lie inside `out`,
 *   otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { groupNorms } from "@convexformer/tensors";
 * const x = new Float64Array([3, 4, 0, 5]);
 * const out = new Float64Array(2);
 * groupNorms(2, new Int32Array([0, 2, 4]), x, 1, 0, out, 1, 0); // out = [5, 5]
 * ```
 */
export function groupNorms(
  G: number,
  groupPtr: Int32Array | readonly number[],
  x: Float64Array,
  strideX: number,
  offsetX: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): void {
  if (!Number.isSafeInteger(G) || G < 0 || groupPtr.length !== G + 1) {
    throw new InvalidOptionError("groupPtr", groupPtr.length, `must have G + 1 = ${G + 1} entries`);
  }
  const first = groupPtr[0] as number;
  const last = groupPtr[G] as number;
  for (let g = 0; g < G; g++) {
    if ((groupPtr[g + 1] as number) < (groupPtr[g] as number)) {
      throw new InvalidOptionError(
        "groupPtr",
        Array.from(groupPtr).slice(g, g + 2),
        "must be nondecreasing",
      );
    }
  }
  if (first < 0) throw new InvalidOptionError("groupPtr", first, "must start at an index >= 0");
  checkStrided1d("x", x, last, strideX, offsetX);
  checkStrided1d("out", out, G, strideOut, offsetOut);
  for (let g = 0, io = offsetOut; g < G; g++, io += strideOut) {
    const start = groupPtr[g] as number;
    const size = (groupPtr[g + 1] as number) - start;
    out[io] = nrm2Unchecked(size, x, strideX, offsetX + start * strideX);
  }
}

/**
 * Row norms of a row-major `rows × cols` block: the special case of {@link groupNorms} with
 * equal groups of size `cols` (one group per token row in the convex attention programs).
 *
 * @param rows - number of rows, one norm each (an integer ≥ 0)
 * @param cols - number of columns: the length of each row (an integer ≥ 0)
 * @param x - the block, read only, row-major and contiguous: row `r` is `x[offsetX + r·cols]` to
 *   `x[offsetX + (r + 1)·cols - 1]`
 * @param offsetX - index in `x` of the block's first entry; the `rows·cols` entries must lie inside
 *   `x`, otherwise `shape-mismatch`
 * @param out - the output, overwritten: row `r`'s norm goes to `out[offsetOut + r·strideOut]`
 * @param strideOut - step in `out` between consecutive rows' norms (an integer; may be negative)
 * @param offsetOut - index in `out` of row 0's norm; every index written must lie inside `out`,
 *   otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { rowNorms } from "@convexformer/tensors";
 * const out = new Float64Array(2);
 * rowNorms(2, 2, new Float64Array([3, 4, 6, 8]), 0, out, 1, 0); // out = [5, 10]
 * ```
 */
export function rowNorms(
  rows: number,
  cols: number,
  x: Float64Array,
  offsetX: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): void {
  checkStrided1d("x", x, rows * cols, 1, offsetX);
  checkStrided1d("out", out, rows, strideOut, offsetOut);
  for (let r = 0, io = offsetOut; r < rows; r++, io += strideOut) {
    out[io] = nrm2Unchecked(cols, x, 1, offsetX + r * cols);
  }
}
