import type { MatmulOptions } from "../matmul-options.js";
import type { Matrix } from "../matrix.js";

/**
 * The name of a kernel backend: `"js"` (float64, plain JS, default), `"wasm-simd"` (float64,
 * WebAssembly SIMD128, worker threads in Node) or `"tfjs-wasm"` (float32, from
 * `@convexformer/tensors/tfjs`).
 *
 * @example
 * ```ts
 * import { type BackendName, jsBackend } from "@convexformer/tensors";
 * const name: BackendName = jsBackend.name;
 * name; // "js"
 * ```
 */
export type BackendName = "js" | "wasm-simd" | "tfjs-wasm";

/**
 * The floating-point precision a result was computed in.
 *
 * @example
 * ```ts
 * import { jsBackend, Matrix, type Precision } from "@convexformer/tensors";
 * const precision: Precision = jsBackend.matmul(Matrix.identity(2), Matrix.identity(2)).precision;
 * precision; // "float64"
 * ```
 */
export type Precision = "float64" | "float32";

/**
 * A value together with the precision and backend that produced it. A `float32` result is
 * stored in a float64 {@link Matrix}, but only about 7 significant digits are meaningful:
 * never feed it to a certificate (duality gap, KKT residual) without recomputing in float64.
 *
 * @example
 * ```ts
 * import { type BackendResult, jsBackend, Matrix } from "@convexformer/tensors";
 * const r: BackendResult<Matrix> = jsBackend.matmul(Matrix.fromRows([[2]]), Matrix.fromRows([[3]]));
 * r.value.data[0]; // 6
 * r.backend; // "js"
 * ```
 */
export interface BackendResult<T> {
  /** The result. */
  readonly value: T;
  /** The precision the arithmetic was done in. */
  readonly precision: Precision;
  /** The backend that computed it. */
  readonly backend: BackendName;
}

/**
 * The former name of {@link BackendResult}.
 *
 * @deprecated Use {@link BackendResult}; this alias goes in the next minor release.
 * @example
 * ```ts
 * import { type BackendResult, type Computed, jsBackend, Matrix } from "@convexformer/tensors";
 * const r: Computed<Matrix> = jsBackend.matmul(Matrix.identity(2), Matrix.identity(2));
 * const same: BackendResult<Matrix> = r;
 * same.precision; // "float64"
 * ```
 */
export type Computed<T> = BackendResult<T>;

/**
 * Options of {@link KernelBackend.maskedMatmul}: those of `matmul` (`transA`, `transB`,
 * `alpha`, `beta`, `out`).
 *
 * @example
 * ```ts
 * import { jsBackend, type MaskedMatmulOptions, Matrix } from "@convexformer/tensors";
 * const options: MaskedMatmulOptions = { transB: true, alpha: 2 };
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * // keep the diagonal of 2·a·aᵀ
 * jsBackend.maskedMatmul(a, a, new Uint8Array([1, 0, 0, 1]), options).value.toRows(); // [[10, 0], [0, 50]]
 * ```
 */
export type MaskedMatmulOptions = MatmulOptions;

/**
 * Options of {@link KernelBackend.maskedMatmulAdjoint}.
 *
 * @example
 * ```ts
 * import { jsBackend, type MaskedMatmulAdjointOptions, Matrix } from "@convexformer/tensors";
 * const options: MaskedMatmulAdjointOptions = { alpha: 0.5 };
 * const a = Matrix.fromRows([[1, 0], [0, 2]]);
 * const r = Matrix.fromRows([[4, 4], [4, 4]]);
 * // 0.5 · aᵀ (D ⊙ r) with D = [[1, 0], [0, 1]]
 * jsBackend.maskedMatmulAdjoint(a, r, new Uint8Array([1, 0, 0, 1]), options).value.toRows(); // [[2, 0], [0, 4]]
 * ```
 */
export interface MaskedMatmulAdjointOptions {
  /** Use `aᵀ` instead of `a` as `op(a)`. Default `false`. */
  readonly transA?: boolean;
  /** Scale of the product. Default 1. */
  readonly alpha?: number;
  /** Scale of the existing `out` (only with `out`). Default 0. */
  readonly beta?: number;
  /** Write into this `K × N` matrix instead of allocating one. */
  readonly out?: Matrix;
}

/**
 * The backend seam: dense products on {@link Matrix} values, computed by one engine in one
 * precision. Every method is synchronous once the backend is obtained (the `tfjs-wasm` backend
 * is loaded asynchronously by `getBackend`) and returns a {@link BackendResult} that says which
 * precision produced it. Inputs and outputs are always float64 {@link Matrix} values; a
 * float32 backend rounds its inputs to float32, computes, and widens the result back.
 *
 * Masks are `Uint8Array`s holding an `M × N` row-major 0/1 matrix (nonzero counts as 1).
 *
 * @example
 * ```ts
 * import { jsBackend, type KernelBackend, Matrix } from "@convexformer/tensors";
 * // any backend works here: jsBackend, or getBackend("tfjs-wasm") of @convexformer/tensors/tfjs
 * function gram(backend: KernelBackend, a: Matrix): Matrix {
 *   return backend.matmul(a, a, { transA: true }).value;
 * }
 * gram(jsBackend, Matrix.fromRows([[1, 2], [3, 4]])).toRows(); // [[10, 14], [14, 20]]
 * ```
 */
export interface KernelBackend {
  /** Which backend this is. */
  readonly name: BackendName;
  /** The precision of its arithmetic. */
  readonly precision: Precision;
  /**
   * `out = α·op(a)·op(b) + β·out` (gemm on {@link Matrix} values); allocates `out` when it is
   * not given (then `β` is ignored).
   *
   * @param a - the left factor: `op(a)` is `a` (`M × K`), or `aᵀ` with `transA`
   * @param b - the right factor: `op(b)` is `b` (`K × N`), or `bᵀ` with `transB`; its inner
   *   dimension must equal `op(a)`'s, otherwise `shape-mismatch`
   * @param options - `transA`, `transB` (default `false`), `alpha` (default 1), `beta` (default 0,
   *   used only with `out`) and `out` (an `M × N` matrix written in place); see
   *   {@link MatmulOptions}. An unknown key or a non-finite scalar is `invalid-option`
   * @throws {@link ShapeMismatchError} when the inner dimensions or `out` disagree
   */
  matmul(a: Matrix, b: Matrix, options?: MatmulOptions): BackendResult<Matrix>;
  /**
   * `out = α·(D ⊙ (op(a)·op(b))) + β·out` with the `M × N` 0/1 mask `D` (the forward map of a
   * gated layer).
   *
   * @param a - the left factor: `op(a)` is `a` (`M × K`), or `aᵀ` with `transA`
   * @param b - the right factor: `op(b)` is `b` (`K × N`), or `bᵀ` with `transB`; its inner
   *   dimension must equal `op(a)`'s, otherwise `shape-mismatch`
   * @param mask - the `M × N` 0/1 mask `D`, row-major, one byte per entry (nonzero counts as 1);
   *   another length is `shape-mismatch`
   * @param options - those of {@link MatmulOptions}: `transA`, `transB`, `alpha`, `beta` (only with
   *   `out`) and `out`
   * @throws {@link ShapeMismatchError} when the shapes or the mask length disagree
   */
  maskedMatmul(
    a: Matrix,
    b: Matrix,
    mask: Uint8Array,
    options?: MaskedMatmulOptions,
  ): BackendResult<Matrix>;
  /**
   * The adjoint of {@link KernelBackend.maskedMatmul} in its right factor:
   * `out = α·op(a)ᵀ·(D ⊙ r) + β·out`, with `op(a)` `M × K`, `r` and `D` `M × N`, `out` `K × N`.
   *
   * @param a - the factor: `op(a)` is `a` (`M × K`), or `aᵀ` with `transA`
   * @param r - the `M × N` matrix the adjoint is applied to (a residual); its row count must equal
   *   `op(a)`'s, otherwise `shape-mismatch`
   * @param mask - the `M × N` 0/1 mask `D`, row-major, one byte per entry (nonzero counts as 1);
   *   another length is `shape-mismatch`
   * @param options - `transA` (default `false`), `alpha` (default 1), `beta` (default 0, only with
   *   `out`) and `out` (a `K × N` matrix written in place); see {@link MaskedMatmulAdjointOptions}
   * @throws {@link ShapeMismatchError} when the shapes or the mask length disagree
   */
  maskedMatmulAdjoint(
    a: Matrix,
    r: Matrix,
    mask: Uint8Array,
    options?: MaskedMatmulAdjointOptions,
  ): BackendResult<Matrix>;
}
