import type { LinearOperator } from "@convexformer/solvers";
import {
  type GatedBlocks,
  gatedProductAdjoint,
  gemv,
  Matrix,
  type TokenBatch,
} from "@convexformer/tensors";
import { attentionColumns } from "./attention-columns.js";
import { attentionDesign } from "./attention-design.js";
import type { ConvexAttentionLayout } from "./convex-attention-layout.js";
import { restrictAttentionColumns } from "./restricted-attention-operator.js";

/**
 * `toDense()` is offered only up to this many entries (2^22, 32 MiB): solvers call it when
 * present (interior point, screening bounds), and larger designs must stay implicit.
 */
const DENSE_LIMIT = 2 ** 22;

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
  const a = attentionDesign(X, outputs, mask);
  const { N, nd, c, P, Pc, rows, cols, Xd, design, gateOf, outputOf } = a;
  const { forward, copyBlock, validateLengths } = a;
  const layout: ConvexAttentionLayout = {
    gates: P,
    outputs: c,
    tokens: X.tokens,
    features: X.features,
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

  const allBlocks: GatedBlocks = { count: Pc, gate: gateOf, output: outputOf };

  const adjoint = (r: Float64Array, out: Float64Array): void => {
    validateLengths(r, rows, out, cols, ["r", "out"]);
    if (mask === undefined && c === 1) {
      gemv("transpose", N, nd, 1, Xd, nd, 1, 0, r, 1, 0, 0, out, 1, 0);
      return;
    }
    gatedProductAdjoint(design, allBlocks, r, out);
  };

  const { applyColumns, adjointColumns } = attentionColumns(a);
  const restrictColumns = restrictAttentionColumns(a);

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
