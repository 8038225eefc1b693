import { type ProductPlan, planMatmul } from "./backends/operands.js";
import { gemm } from "./kernels/gemm.js";
import type { MatmulOptions } from "./matmul-options.js";
import type { Matrix } from "./matrix.js";

export type { MatmulOptions } from "./matmul-options.js";

/**
 * Matrix product on {@link Matrix} values: `out = α·op(a)·op(b) + β·out`, through the blocked
 * float64 {@link gemm} (WebAssembly SIMD above the crossover size where the host has it, see
 * {@link configureKernels}; the JS kernel otherwise).
 *
 * @param a - the left factor: `op(a)` is `a` (`M × K`), or `aᵀ` with `transA`
 * @param b - the right factor: `op(b)` is `b` (`K × N`), or `bᵀ` with `transB`; its inner dimension
 *   must equal `op(a)`'s, otherwise `shape-mismatch`
 * @param options - `transA`, `transB` (default `false`), `alpha` (default 1), `beta` (default 0,
 *   used only with `out`) and `out` (an `M × N` matrix written in place); see
 *   {@link MatmulOptions}. An unknown key or a non-finite scalar is `invalid-option`
 * @example
 * ```ts
 * import { Matrix, matmul } from "@convexformer/tensors";
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * matmul(a, a, { transA: true }).toRows(); // aᵀa = [[10, 14], [14, 20]]
 * ```
 */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  return runPlannedMatmul(a, b, planMatmul(a, b, options, "out"));
}

/** Runs a checked {@link ProductPlan} through the blocked float64 gemm (or `kernel`). @internal */
export function runPlannedMatmul(
  a: Matrix,
  b: Matrix,
  p: ProductPlan,
  kernel: typeof gemm = gemm,
): Matrix {
  kernel(
    p.transA ? "transpose" : "no-transpose",
    p.transB ? "transpose" : "no-transpose",
    p.M,
    p.N,
    p.K,
    p.alpha,
    a.data,
    a.cols,
    1,
    0,
    b.data,
    b.cols,
    1,
    0,
    p.beta,
    p.out.data,
    p.N,
    1,
    0,
  );
  return p.out;
}
