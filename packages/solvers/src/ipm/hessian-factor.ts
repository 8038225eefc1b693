import type { SmoothLoss } from "../smooth-loss.js";

/**
 * A square-root factor of the loss Hessian at `ŷ`: `∇²F(ŷ) = L Lᵀ` with `L` block diagonal,
 * one `c × c` lower-triangular block per sample (`c = loss.outputs`). The shipped losses are
 * sums over samples of a function of that sample's `c` outputs, so their Hessian is block
 * diagonal; the blocks are read with `c` Hessian-vector products. Positive semidefinite
 * blocks (softmax cross-entropy: `diag(p) − ppᵀ`, singular along `1`) get zero columns where
 * a pivot vanishes.
 *
 * @param loss - `F`
 * @param predictions - `ŷ`
 * @returns `blocks[i·c² + k·c + l] = L_i[k][l]` (lower triangle, row-major per block)
 *
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * import { hessianFactor } from "./hessian-factor.js"; // internal module
 * const loss = squaredLoss(new Float64Array([1, 2, 3])); // squared, c = 1: H = I
 * hessianFactor(loss, new Float64Array(loss.size)); // Float64Array [1, 1, 1]
 * ```
 */
export function hessianFactor(loss: SmoothLoss, predictions: Float64Array): Float64Array {
  const c = loss.outputs;
  const n = loss.samples;
  const size = loss.size;
  const blocks = new Float64Array(n * c * c);
  const probe = new Float64Array(size);
  const column = new Float64Array(size);
  for (let l = 0; l < c; l++) {
    probe.fill(0);
    for (let i = 0; i < n; i++) probe[i * c + l] = 1;
    loss.hessianVector(predictions, probe, column);
    // column[i·c + k] = H_i[k][l]
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < c; k++) blocks[i * c * c + k * c + l] = column[i * c + k] as number;
    }
  }
  // in-place Cholesky of each block with clipped pivots
  for (let i = 0; i < n; i++) {
    const o = i * c * c;
    let scale = 0;
    for (let k = 0; k < c; k++) scale = Math.max(scale, Math.abs(blocks[o + k * c + k] as number));
    const floor = 1e-14 * scale;
    for (let j = 0; j < c; j++) {
      let d = blocks[o + j * c + j] as number;
      for (let p = 0; p < j; p++) d -= (blocks[o + j * c + p] as number) ** 2;
      if (d <= floor) {
        for (let k = j; k < c; k++) blocks[o + k * c + j] = 0;
        continue;
      }
      const ljj = Math.sqrt(d);
      blocks[o + j * c + j] = ljj;
      for (let k = j + 1; k < c; k++) {
        let s = blocks[o + k * c + j] as number;
        for (let p = 0; p < j; p++)
          s -= (blocks[o + k * c + p] as number) * (blocks[o + j * c + p] as number);
        blocks[o + k * c + j] = s / ljj;
      }
    }
    for (let k = 0; k < c; k++) for (let l = k + 1; l < c; l++) blocks[o + k * c + l] = 0;
  }
  return blocks;
}

/**
 * `out = Lᵀ A` for the block-diagonal factor of {@link hessianFactor} and a row-major
 * `rows × cols` matrix `A` (`rows = samples · c`): the rows of the Hessian-weighted design,
 * `AᵀHA = (LᵀA)ᵀ(LᵀA)`.
 *
 * @param blocks - the factor
 * @param c - outputs per sample
 * @param a - `A`
 * @param rows - rows of `A`
 * @param cols - columns of `A`
 * @param out - `rows × cols` result (must not alias `a`)
 *
 * @example
 * ```ts
 * import { applyFactorTranspose } from "./hessian-factor.js"; // internal module
 * const out = new Float64Array(2);
 * applyFactorTranspose(new Float64Array([2, 3]), 1, new Float64Array([1, 1]), 2, 1, out);
 * out; // Float64Array [2, 3]
 * ```
 */
export function applyFactorTranspose(
  blocks: Float64Array,
  c: number,
  a: Float64Array,
  rows: number,
  cols: number,
  out: Float64Array,
): void {
  if (c === 1) {
    for (let i = 0; i < rows; i++) {
      const h = blocks[i] as number;
      const o = i * cols;
      for (let j = 0; j < cols; j++) out[o + j] = h * (a[o + j] as number);
    }
    return;
  }
  const n = rows / c;
  for (let i = 0; i < n; i++) {
    const ob = i * c * c;
    for (let l = 0; l < c; l++) {
      const dst = (i * c + l) * cols;
      out.fill(0, dst, dst + cols);
      for (let k = l; k < c; k++) {
        const f = blocks[ob + k * c + l] as number; // (Lᵀ)[l][k] = L[k][l]
        if (f === 0) continue;
        const src = (i * c + k) * cols;
        for (let j = 0; j < cols; j++)
          out[dst + j] = (out[dst + j] as number) + f * (a[src + j] as number);
      }
    }
  }
}
