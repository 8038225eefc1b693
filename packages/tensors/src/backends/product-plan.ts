import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { MatmulOptions } from "../matmul-options.js";
import { Matrix } from "../matrix.js";
import { validateKnownOptions } from "../validate.js";
import type { MaskedMatmulAdjointOptions } from "./kernel-backend.js";

/** Validated shapes and scalars of a product. @internal */
export interface ProductPlan {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly alpha: number;
  /** 0 when no `out` was given. */
  readonly beta: number;
  readonly out: Matrix;
}

const MATMUL_OPTIONS = ["transA", "transB", "alpha", "beta", "out"] as const;
const ADJOINT_OPTIONS = ["transA", "alpha", "beta", "out"] as const;

function checkMatrix(argument: string, m: unknown): asserts m is Matrix {
  if (!(m instanceof Matrix)) {
    throw new InvalidOptionError(argument, typeof m, "must be a Matrix");
  }
}

function checkScalar(argument: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InvalidOptionError(argument, v, "must be a finite number");
  }
}

function checkFlag(argument: string, v: unknown): void {
  if (typeof v !== "boolean") throw new InvalidOptionError(argument, v, "must be a boolean");
}

function outFor(argument: string, out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  checkMatrix(argument, out);
  if (out.rows !== rows || out.cols !== cols) {
    throw new ShapeMismatchError(argument, `expected ${rows}x${cols}, got ${out.rows}x${out.cols}`);
  }
  return out;
}

/** Validates `α·op(a)·op(b) + β·out` and allocates `out` when needed. @internal */
export function planMatmul(
  a: Matrix,
  b: Matrix,
  options: MatmulOptions = {},
  outArgument = "options.out",
): ProductPlan {
  checkMatrix("a", a);
  checkMatrix("b", b);
  validateKnownOptions("options", options, MATMUL_OPTIONS);
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  checkFlag("options.transA", transA);
  checkFlag("options.transB", transB);
  checkScalar("options.alpha", alpha);
  checkScalar("options.beta", beta);
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
  const out = outFor(outArgument, options.out, M, N);
  return { transA, transB, M, N, K, alpha, beta: options.out === undefined ? 0 : beta, out };
}

/** Validates `α·op(a)ᵀ·(D ⊙ r) + β·out`; `M × K` is `op(a)`. @internal */
export function planAdjoint(
  a: Matrix,
  r: Matrix,
  mask: Uint8Array,
  options: MaskedMatmulAdjointOptions = {},
): ProductPlan {
  checkMatrix("a", a);
  checkMatrix("r", r);
  validateKnownOptions("options", options, ADJOINT_OPTIONS);
  const { transA = false, alpha = 1, beta = 0 } = options;
  checkFlag("options.transA", transA);
  checkScalar("options.alpha", alpha);
  checkScalar("options.beta", beta);
  const M = transA ? a.cols : a.rows;
  const K = transA ? a.rows : a.cols;
  if (r.rows !== M) {
    throw new ShapeMismatchError("r", `expected ${M} rows (those of op(a)), got ${r.rows}`);
  }
  const N = r.cols;
  validateMask(mask, M, N);
  const out = outFor("options.out", options.out, K, N);
  return { transA, transB: false, M, N, K, alpha, beta: options.out === undefined ? 0 : beta, out };
}

/** Checks that `mask` is a `Uint8Array` holding an `M × N` row-major matrix. @internal */
export function validateMask(mask: Uint8Array, M: number, N: number): void {
  if (!(mask instanceof Uint8Array)) {
    throw new InvalidOptionError("mask", typeof mask, "must be a Uint8Array");
  }
  if (mask.length !== M * N) {
    throw new ShapeMismatchError(
      "mask",
      `an ${M}x${N} mask needs ${M * N} entries, got ${mask.length}`,
    );
  }
}
