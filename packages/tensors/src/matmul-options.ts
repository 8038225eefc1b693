import type { Matrix } from "./matrix.js";

/**
 * Options of `matmul` (and of the kernel backends' `matmul`): `out = α·op(a)·op(b) + β·out`.
 * In a file of its own so that the product planner (`backends/product-plan.ts`) and the backend
 * interface can use it without importing `matmul.ts`, which imports the planner.
 *
 * @example
 * ```ts
 * import { Matrix, type MatmulOptions, matmul } from "@convexformer/tensors";
 * const options: MatmulOptions = { transA: true, alpha: 2 };
 * matmul(Matrix.fromRows([[1, 2]]), Matrix.fromRows([[3, 4]]), options).data; // Float64Array [6, 8, 12, 16]
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
