import { dispatchEngine } from "../wasm/kernel-config.js";
import { jsGemm } from "./js-gemm.js";
import type { Transpose } from "./transpose.js";
import { validateExtent, validateStrided2d, validateTranspose } from "./validate-strided.js";
import { wasmWorthIt } from "./wasm-crossover.js";

/**
 * The adjoint of {@link maskedGemm} with respect to its right factor:
 * `G = α·op(A)ᵀ·(D ⊙ R) + β·G`, with `op(A)` of shape `M × K`, `R` and `D` `M × N`, `G` `K × N`.
 * If `F(B) = D ⊙ (op(A)·B)`, then `⟨F(B), R⟩ = ⟨B, op(A)ᵀ(D ⊙ R)⟩`. Runs in WebAssembly
 * SIMD128 above gemm's crossover size, like {@link maskedGemm}.
 *
 * @param transA - `"no-transpose"` to use the stored `A`, `"transpose"` to use `Aᵀ`; anything
 *   else is an `InvalidOptionError` naming `transA`
 * @param M - rows of `op(A)`, `R` and the mask (an integer ≥ 0; otherwise `invalid-option`)
 * @param N - columns of `R`, the mask and `G` (an integer ≥ 0; otherwise `invalid-option`)
 * @param K - columns of `op(A)` and rows of `G` (an integer ≥ 0; otherwise `invalid-option`)
 * @param alpha - the scalar `α` multiplying the product
 * @param A - the factor, read only: entry `(i, j)` of the stored matrix, of shape `M × K` (`K × M`
 *   when `transA` is `"transpose"`), is `A[offsetA + i·strideA1 + j·strideA2]`
 * @param strideA1 - step in `A` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideA2 - step in `A` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetA - index in `A` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `A`, otherwise `shape-mismatch`
 * @param R - the matrix the adjoint is applied to (a residual), read only: entry `(i, j)` of the
 *   stored matrix, of shape `M × N`, is `R[offsetR + i·strideR1 + j·strideR2]`
 * @param strideR1 - step in `R` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideR2 - step in `R` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetR - index in `R` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `R`, otherwise `shape-mismatch`
 * @param mask - the 0/1 mask `D`, read only (a nonzero byte counts as 1): entry `(i, j)` of the
 *   stored matrix, of shape `M × N`, is `mask[offsetD + i·strideD1 + j·strideD2]`
 * @param strideD1 - step in `mask` from one row of the stored matrix to the next (the column count
 *   for row-major storage, 1 for column-major)
 * @param strideD2 - step in `mask` from one column of the stored matrix to the next (1 for
 *   row-major storage, the row count for column-major)
 * @param offsetD - index in `mask` of the stored entry `(0, 0)`; every index the view reaches must
 *   lie inside `mask`, otherwise `shape-mismatch`
 * @param beta - the scalar `β` multiplying the old `G`; with `β = 0`, `G` is overwritten
 * @param G - the output (a gradient), updated in place: entry `(i, j)` of the stored matrix, of
 *   shape `K × N`, is `G[offsetG + i·strideG1 + j·strideG2]`
 * @param strideG1 - step in `G` from one row of the stored matrix to the next (the column count for
 *   row-major storage, 1 for column-major)
 * @param strideG2 - step in `G` from one column of the stored matrix to the next (1 for row-major
 *   storage, the row count for column-major)
 * @param offsetG - index in `G` of the stored entry `(0, 0)`; every index the view reaches must lie
 *   inside `G`, otherwise `shape-mismatch`
 * @example
 * ```ts
 * import { maskedGemmAdjoint } from "@convexformer/tensors";
 * const A = new Float64Array([1, 2]);           // 2×1
 * const R = new Float64Array([1, 1, 1, 1]);     // 2×2
 * const D = new Uint8Array([1, 0, 0, 1]);
 * const G = new Float64Array(2);                // 1×2
 * maskedGemmAdjoint("no-transpose", 2, 2, 1, 1, A, 1, 1, 0, R, 2, 1, 0, D, 2, 1, 0, 0, G, 2, 1, 0);
 * // G = [1, 2]
 * ```
 */
export function maskedGemmAdjoint(
  transA: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  R: Float64Array,
  strideR1: number,
  strideR2: number,
  offsetR: number,
  mask: Uint8Array,
  strideD1: number,
  strideD2: number,
  offsetD: number,
  beta: number,
  G: Float64Array,
  strideG1: number,
  strideG2: number,
  offsetG: number,
): void {
  validateTranspose("transA", transA);
  validateExtent("M", M);
  validateExtent("N", N);
  validateStrided2d("R", R, M, N, strideR1, strideR2, offsetR);
  validateStrided2d("mask", mask, M, N, strideD1, strideD2, offsetD);
  if ((transA === "transpose" || transA === "no-transpose") && Number.isSafeInteger(K) && K >= 0) {
    const ta = transA === "transpose";
    validateStrided2d("A", A, ta ? K : M, ta ? M : K, strideA1, strideA2, offsetA);
    validateStrided2d("G", G, K, N, strideG1, strideG2, offsetG);
    const engine = dispatchEngine(wasmWorthIt(K, N, M));
    if (
      engine?.maskedGemmAdjoint(
        M,
        N,
        K,
        alpha,
        A,
        ta ? strideA2 : strideA1,
        ta ? strideA1 : strideA2,
        offsetA,
        R,
        strideR1,
        strideR2,
        offsetR,
        mask,
        strideD1,
        strideD2,
        offsetD,
        beta,
        G,
        strideG1,
        strideG2,
        offsetG,
      ) === true
    ) {
      return;
    }
  }
  const masked = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    let id = offsetD + i * strideD1;
    let ir = offsetR + i * strideR1;
    let im = i * N;
    for (let j = 0; j < N; j++, id += strideD2, ir += strideR2, im++) {
      if (mask[id] !== 0) masked[im] = R[ir] as number;
    }
  }
  // op(A)ᵀ: flip the transpose flag of A
  const flipped: Transpose = transA === "transpose" ? "no-transpose" : "transpose";
  jsGemm(
    flipped,
    "no-transpose",
    K,
    N,
    M,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    masked,
    N,
    1,
    0,
    beta,
    G,
    strideG1,
    strideG2,
    offsetG,
  );
}

/**
 * {@link maskedGemmAdjoint} on the plain JS kernels only (never WebAssembly): the fallback and
 * the test reference. Same arguments and checks as {@link maskedGemmAdjoint}.
 *
 * @internal
 */
export function jsMaskedGemmAdjoint(
  transA: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  R: Float64Array,
  strideR1: number,
  strideR2: number,
  offsetR: number,
  mask: Uint8Array,
  strideD1: number,
  strideD2: number,
  offsetD: number,
  beta: number,
  G: Float64Array,
  strideG1: number,
  strideG2: number,
  offsetG: number,
): void {
  validateTranspose("transA", transA);
  validateExtent("M", M);
  validateExtent("N", N);
  validateStrided2d("R", R, M, N, strideR1, strideR2, offsetR);
  validateStrided2d("mask", mask, M, N, strideD1, strideD2, offsetD);
  const masked = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    let id = offsetD + i * strideD1;
    let ir = offsetR + i * strideR1;
    let im = i * N;
    for (let j = 0; j < N; j++, id += strideD2, ir += strideR2, im++) {
      if (mask[id] !== 0) masked[im] = R[ir] as number;
    }
  }
  // op(A)ᵀ: flip the transpose flag of A
  const flipped: Transpose = transA === "transpose" ? "no-transpose" : "transpose";
  jsGemm(
    flipped,
    "no-transpose",
    K,
    N,
    M,
    alpha,
    A,
    strideA1,
    strideA2,
    offsetA,
    masked,
    N,
    1,
    0,
    beta,
    G,
    strideG1,
    strideG2,
    offsetG,
  );
}
