import { type ProductPlan, planMatmul } from "./backends/operands.js";
import { gemm } from "./kernels/gemm.js";
import type { Matrix } from "./matrix.js";

/**
 * Options of {@link matmul}.
 *
 * @example
 * ```ts
 * import { type MatmulOptions, Matrix, matmul } from "@convexformer/tensors";
 * const out = Matrix.fromRows([[1, 1], [1, 1]]);
 * const options: MatmulOptions = { transB: true, alpha: 2, beta: 1, out };
 * matmul(Matrix.identity(2), Matrix.fromRows([[1, 2], [3, 4]]), options);
 * out.toRows(); // [[3, 7], [5, 9]]
 * ```
 */
export interface MatmulOptions {
  /** Use `aᵀ` instead of `a`. Default `false`. */
  readonly transA?: boolean;
  /** Use `bᵀ` instead of `b`. Default `false`. */
  readonly transB?: boolean;
  /** Scale of the product. Default 1. */
  readonly alpha?: number;
  /** Scale of the existing `out` (only with `out`). Default 0. */
  readonly beta?: number;
  /** Write into this matrix instead of allocating one. */
  readonly out?: Matrix;
}

/**
 * Matrix product on {@link Matrix} values: `out = α·op(a)·op(b) + β·out`, through the blocked
 * float64 {@link gemm}.
 *
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

/** Runs a checked {@link ProductPlan} through the blocked float64 gemm. @internal */
export function runPlannedMatmul(a: Matrix, b: Matrix, p: ProductPlan): Matrix {
  gemm(
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
