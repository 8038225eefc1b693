import { InvalidOptionError, ShapeMismatchError } from "./errors.js";
import { gemm } from "./kernels/gemm.js";
import { Matrix } from "./matrix.js";
import { assertKnownOptions } from "./validate.js";

/** Options of {@link matmul}. */
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

const MATMUL_OPTIONS = ["transA", "transB", "alpha", "beta", "out"] as const;

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
  assertKnownOptions("options", options, MATMUL_OPTIONS);
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  if (!(a instanceof Matrix)) throw new InvalidOptionError("a", typeof a, "must be a Matrix");
  if (!(b instanceof Matrix)) throw new InvalidOptionError("b", typeof b, "must be a Matrix");
  if (typeof transA !== "boolean") {
    throw new InvalidOptionError("options.transA", transA, "must be a boolean");
  }
  if (typeof transB !== "boolean") {
    throw new InvalidOptionError("options.transB", transB, "must be a boolean");
  }
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) {
    throw new InvalidOptionError("options.alpha", alpha, "must be a finite number");
  }
  if (typeof beta !== "number" || !Number.isFinite(beta)) {
    throw new InvalidOptionError("options.beta", beta, "must be a finite number");
  }
  const M = transA ? a.cols : a.rows;
  const K = transA ? a.rows : a.cols;
  const Kb = transB ? b.cols : b.rows;
  const N = transB ? b.rows : b.cols;
  if (K !== Kb) {
    throw new ShapeMismatchError(
      "b",
      `inner dimensions differ: op(a) is ${M}x${K}, op(b) is ${Kb}x${N}`,
    );
  }
  const out = options.out ?? new Matrix(M, N);
  if (out.rows !== M || out.cols !== N) {
    throw new ShapeMismatchError("out", `expected ${M}x${N}, got ${out.rows}x${out.cols}`);
  }
  gemm(
    transA ? "transpose" : "no-transpose",
    transB ? "transpose" : "no-transpose",
    M,
    N,
    K,
    alpha,
    a.data,
    a.cols,
    1,
    0,
    b.data,
    b.cols,
    1,
    0,
    options.out === undefined ? 0 : beta,
    out.data,
    N,
    1,
    0,
  );
  return out;
}
