import { dispatchEngine } from "../wasm/kernel-config.js";
import { checkGemm, runJsGemm } from "./js-gemm.js";
import type { Transpose } from "./transpose.js";
import { wasmWorthIt } from "./wasm-crossover.js";

/**
 * General matrix product in the strided convention of stdlib-js:
 * `C = α·op(A)·op(B) + β·C`, with `op(A)` of shape `M × K`, `op(B)` `K × N`, `C` `M × N`.
 *
 * Each matrix is read through `(stride1, stride2, offset)`: entry `(i, j)` of the stored
 * matrix is `array[offset + i·stride1 + j·stride2]`, so row-major, column-major and sub-matrix
 * views all work without copies. `transA = "transpose"` means the stored `A` is `K × M`.
 * With `β = 0`, `C` is overwritten (its old values, even `NaN`, are ignored), as in BLAS.
 *
 * Float64, cache-blocked (packed `KC × NC` panels of `B`, `MC × KC` blocks of `A`) with a 4×4
 * register-blocked micro-kernel. Large products run on the WebAssembly SIMD128 kernels (f64x2,
 * split over worker threads in Node) when the host has them and the engine is `"auto"` (see
 * {@link configureKernels}); the plain JS kernel is the fallback. See `pnpm bench:tensors`.
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
 * @param beta - the scalar `β` multiplying the old `C`; with `β = 0`, `C` is overwritten and its
 *   old values (even `NaN`) are ignored
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
 * import { gemm } from "@convexformer/tensors";
 * // [1 2; 3 4] · [5; 6] = [17; 39]
 * const A = new Float64Array([1, 2, 3, 4]);
 * const B = new Float64Array([5, 6]);
 * const C = new Float64Array(2);
 * gemm("no-transpose", "no-transpose", 2, 1, 2, 1, A, 2, 1, 0, B, 1, 1, 0, 0, C, 1, 1, 0);
 * // C = [17, 39]
 * ```
 */
export function gemm(
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
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): void {
  const [a1, a2, b1, b2] = checkGemm(
    transA,
    transB,
    M,
    N,
    K,
    A,
    strideA1,
    strideA2,
    offsetA,
    B,
    strideB1,
    strideB2,
    offsetB,
    C,
    strideC1,
    strideC2,
    offsetC,
  );
  const engine = dispatchEngine(wasmWorthIt(M, N, K));
  if (
    engine?.gemm(
      M,
      N,
      K,
      alpha,
      A,
      a1,
      a2,
      offsetA,
      B,
      b1,
      b2,
      offsetB,
      beta,
      C,
      strideC1,
      strideC2,
      offsetC,
    ) === true
  ) {
    return;
  }
  runJsGemm(
    M,
    N,
    K,
    alpha,
    A,
    a1,
    a2,
    offsetA,
    B,
    b1,
    b2,
    offsetB,
    beta,
    C,
    strideC1,
    strideC2,
    offsetC,
  );
}
