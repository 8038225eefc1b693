import { dispatchEngine } from "../wasm/kernel-config.js";
import { jsGemm } from "./js-gemm.js";
import type { Transpose } from "./transpose.js";
import { validateExtent, validateStrided2d } from "./validate-strided.js";
import { wasmWorthIt } from "./wasm-crossover.js";

/**
 * Row-masked product `C = α·(D ⊙ (op(A)·op(B))) + β·C`, where `D` is an `M × N` 0/1 mask
 * (nonzero bytes count as 1). This is the forward map of gated layers: `D_ij = 1[gate j is
 * active on sample i]`. Strided convention of stdlib-js; the mask has its own strides.
 *
 * The product is computed with the blocked {@link gemm} into a scratch buffer, then masked, so
 * it runs at gemm speed. Above gemm's crossover size (engine `"auto"`, see
 * {@link configureKernels}) product and mask both run in WebAssembly SIMD128, on the worker
 * threads; the plain JS kernels otherwise.
 *
 * @param transA - `"no-transpose"` to use the stored `A`, `"transpose"` to use `Aᵀ`; anything else
 *   is `invalid-option`
 * @param transB - `"no-transpose"` to use the stored `B`, `"transpose"` to use `Bᵀ`; anything else
 *   is `invalid-option`
 * @param M - rows of `op(A)` and of `C` (an integer ≥ 0; otherwise `invalid-option`)
 * @param N - columns of `op(B)` and of `C` (an integer ≥ 0; otherwise `invalid-option`)
 * @param K - the inner dimension: columns of `op(A)`, rows of `op(B)` (an integer ≥ 0; otherwise
 *   `invalid-option`)
 * @param alpha - the scalar `α` multiplying the product
 * @param A - the left factor, read only: entry `(i, j)` of the stored matrix, of shape `M × K`
 *   (`K × M` when `transA` is `"transpose"`), is `A[offsetA + i·strideA1 + j·strideA2]`
 * @param strideA1 - step in `A` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideA2 - step in `A` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetA - index in `A` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `A`, otherwise `shape-mismatch`
 * @param B - the right factor, read only: entry `(i, j)` of the stored matrix, of shape `K × N`
 *   (`N × K` when `transB` is `"transpose"`), is `B[offsetB + i·strideB1 + j·strideB2]`
 * @param strideB1 - step in `B` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideB2 - step in `B` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetB - index in `B` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `B`, otherwise `shape-mismatch`
 * @param mask - the 0/1 mask `D`, read only (a nonzero byte counts as 1): entry `(i, j)` of the
 *   stored matrix, of shape `M × N`, is `mask[offsetD + i·strideD1 + j·strideD2]`
 * @param strideD1 - step in `mask` from one row of the stored matrix to the next (the column count
 *   for row-major storage, 1 for column-major)
 * @param strideD2 - step in `mask` from one column of the stored matrix to the next (1 for
 *   row-major storage, the row count for column-major)
 * @param offsetD - index in `mask` of the stored entry `(0, 0)`; every index the view reaches must
 *   lie inside `mask`, otherwise `shape-mismatch`
 * @param beta - the scalar `β` multiplying the old `C`; with `β = 0`, `C` is overwritten
 *   (masked-out entries become 0)
 * @param C - the output, updated in place: entry `(i, j)` of the stored matrix, of shape `M × N`,
 *   is `C[offsetC + i·strideC1 + j·strideC2]`
 * @param strideC1 - step in `C` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideC2 - step in `C` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetC - index in `C` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `C`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { maskedGemm } from "@convexformer/tensors";
 * const A = new Float64Array([1, 2]);          // 2×1
 * const B = new Float64Array([1, 1]);          // 1×2
 * const D = new Uint8Array([1, 0, 0, 1]);      // keep the diagonal
 * const C = new Float64Array(4);
 * maskedGemm("no-transpose", "no-transpose", 2, 2, 1, 1, A, 1, 1, 0, B, 2, 1, 0, D, 2, 1, 0, 0, C, 2, 1, 0);
 * // C = [1, 0, 0, 2]
 * ```
 */
export function maskedGemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
  mask: Uint8Array,
  strideD1: number,
  strideD2: number,
  offsetD: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): void {
  validateExtent("M", M);
  validateExtent("N", N);
  validateStrided2d("mask", mask, M, N, strideD1, strideD2, offsetD);
  validateStrided2d("C", C, M, N, strideC1, strideC2, offsetC);
  const ta = transA === "transpose";
  const tb = transB === "transpose";
  if (
    (transA === "transpose" || transA === "no-transpose") &&
    (transB === "transpose" || transB === "no-transpose") &&
    Number.isSafeInteger(K) &&
    K >= 0
  ) {
    validateStrided2d("A", A, ta ? K : M, ta ? M : K, strideA1, strideA2, offsetA);
    validateStrided2d("B", B, tb ? N : K, tb ? K : N, strideB1, strideB2, offsetB);
    const engine = dispatchEngine(wasmWorthIt(M, N, K));
    if (
      engine?.maskedGemm(
        M,
        N,
        K,
        alpha,
        A,
        ta ? strideA2 : strideA1,
        ta ? strideA1 : strideA2,
        offsetA,
        B,
        tb ? strideB2 : strideB1,
        tb ? strideB1 : strideB2,
        offsetB,
        mask,
        strideD1,
        strideD2,
        offsetD,
        beta,
        C,
        strideC1,
        strideC2,
        offsetC,
      ) === true
    ) {
      return;
    }
  }
  const product = new Float64Array(M * N);
  jsGemm(
    transA,
    transB,
    M,
    N,
    K,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    B,
    strideB1,
    strideB2,
    offsetB,
    0,
    product,
    N,
    1,
    0,
  );
  for (let i = 0; i < M; i++) {
    let id = offsetD + i * strideD1;
    let ic = offsetC + i * strideC1;
    let ip = i * N;
    for (let j = 0; j < N; j++, id += strideD2, ic += strideC2, ip++) {
      const masked = mask[id] !== 0 ? (product[ip] as number) : 0;
      C[ic] = beta === 0 ? masked : beta * (C[ic] as number) + masked;
    }
  }
}

/**
 * {@link maskedGemm} on the plain JS kernels only (never WebAssembly): the fallback and the
 * test reference. Same arguments and checks as {@link maskedGemm}.
 *
 * @internal
 */
export function jsMaskedGemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
  mask: Uint8Array,
  strideD1: number,
  strideD2: number,
  offsetD: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): void {
  validateExtent("M", M);
  validateExtent("N", N);
  validateStrided2d("mask", mask, M, N, strideD1, strideD2, offsetD);
  validateStrided2d("C", C, M, N, strideC1, strideC2, offsetC);
  const product = new Float64Array(M * N);
  jsGemm(
    transA,
    transB,
    M,
    N,
    K,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    B,
    strideB1,
    strideB2,
    offsetB,
    0,
    product,
    N,
    1,
    0,
  );
  for (let i = 0; i < M; i++) {
    let id = offsetD + i * strideD1;
    let ic = offsetC + i * strideC1;
    let ip = i * N;
    for (let j = 0; j < N; j++, id += strideD2, ic += strideC2, ip++) {
      const masked = mask[id] !== 0 ? (product[ip] as number) : 0;
      C[ic] = beta === 0 ? masked : beta * (C[ic] as number) + masked;
    }
  }
}
