import type { LinearOperator } from "@convexformer/solvers";
import {
  gemm,
  InvalidOptionError,
  Matrix,
  ShapeMismatchError,
  type TokenBatch,
  validateFinite,
} from "@convexformer/tensors";

/** `toDense()` is offered only up to this many entries (2^22, 32 MiB). */
const DENSE_LIMIT = 2 ** 22;

/**
 * Shape of the variable of the sequence programs: one `n × n` block per feature `q`, output `l`
 * and sign `s`. The exact program (33) has two signs (`C⁺_{ql}`, `C⁻_{ql}`, both nonnegative
 * with equal row sums); the max-row-sum relaxation has one signed block `C_{ql}`.
 *
 * Entry `(q, l, s, k, m)` (row `k`, column `m` of block `(q, l, s)`) is stored at
 * `((((q·c + l)·S + s)·n + k)·n + m`, `S = signs`; block `(q, l, s)` is contiguous (`n²`).
 *
 * @example
 * ```ts
 * import type { SequenceLayout } from "@convexformer/attention";
 * const layout: SequenceLayout = { tokens: 3, features: 2, outputs: 1, signs: 2 };
 * ```
 */
export interface SequenceLayout {
  /** `n`: tokens per sample (the blocks are `n × n`). */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `c`: outputs per token. */
  readonly outputs: number;
  /** 2 for the exact program (33) (`C⁺`, `C⁻`), 1 for the relaxation (one signed block). */
  readonly signs: 1 | 2;
}

/**
 * The operator of the sequence programs: `Ŷ_i[k, l] = Σ_q Σ_m B_{ql}[k, m] X_i[m, q]` with
 * `B_{ql} = C⁺_{ql} − C⁻_{ql}` (exact) or `C_{ql}` (relaxed), mapping the variable laid out as
 * in {@link SequenceLayout} to the `N·n × c` predictions (entry `(i, k, l)` at `(i·n + k)·c + l`).
 *
 * Never materializes the design matrix: `apply` assembles the `nd × nc` matrix
 * `W[m·d + q, k·c + l] = B_{ql}[k, m]` and makes one product `X_flat · W`; `adjoint` makes one
 * product `X_flatᵀ R` and scatters it back.
 *
 * @example
 * ```ts
 * import { sequenceOperator } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const A = sequenceOperator(X, 1, 1);           // relaxed: one signed 2×2 block
 * const y = new Float64Array(2);
 * A.apply(new Float64Array([1, 0, 0, 1]), y);   // identity block: y = [1, -1]
 * ```
 */
export interface SequenceOperator extends LinearOperator {
  /** The variable's layout. */
  readonly layout: SequenceLayout;
  /** `N`: number of samples. */
  readonly samples: number;
}

/**
 * Builds the operator of the exact sequence program (33) (`signs = 2`) or of its max-row-sum
 * relaxation (`signs = 1`).
 *
 * @param X - the `N × n × d` token batch (not copied)
 * @param outputs - `c ≥ 1` outputs per token
 * @param signs - 2 (exact, default) or 1 (relaxation)
 *
 * @example
 * ```ts
 * import { sequenceOperator } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const A = sequenceOperator(TokenBatch.zeros(5, 3, 2), 1);
 * A.cols; // 2 · 1 · 2 · 3 · 3 = 36
 * ```
 */
export function sequenceOperator(
  X: TokenBatch,
  outputs: number,
  signs: 1 | 2 = 2,
): SequenceOperator {
  if (!Number.isSafeInteger(outputs) || outputs < 1) {
    throw new InvalidOptionError("outputs", outputs, "must be an integer >= 1");
  }
  if (signs !== 1 && signs !== 2) throw new InvalidOptionError("signs", signs, "must be 1 or 2");
  validateFinite("X", X.data);
  const N = X.samples;
  const n = X.tokens;
  const d = X.features;
  const c = outputs;
  const nd = n * d;
  const nc = n * c;
  const nn = n * n;
  const S = signs;
  const rows = N * nc;
  const cols = d * c * S * nn;
  const layout: SequenceLayout = { tokens: n, features: d, outputs: c, signs };
  const W = new Float64Array(nd * nc);
  const G = new Float64Array(nd * nc);
  const Xd = X.data;

  const apply = (x: Float64Array, out: Float64Array): void => {
    if (x.length !== cols)
      throw new ShapeMismatchError("x", `expected length ${cols}, got ${x.length}`);
    if (out.length !== rows)
      throw new ShapeMismatchError("out", `expected length ${rows}, got ${out.length}`);
    for (let q = 0; q < d; q++) {
      for (let l = 0; l < c; l++) {
        const plus = (q * c + l) * S * nn;
        const minus = plus + nn;
        for (let k = 0; k < n; k++) {
          for (let m = 0; m < n; m++) {
            const e = k * n + m;
            const b =
              S === 2
                ? (x[plus + e] as number) - (x[minus + e] as number)
                : (x[plus + e] as number);
            W[(m * d + q) * nc + k * c + l] = b;
          }
        }
      }
    }
    gemm("no-transpose", "no-transpose", N, nc, nd, 1, Xd, nd, 1, 0, W, nc, 1, 0, 0, out, nc, 1, 0);
  };

  const adjoint = (r: Float64Array, out: Float64Array): void => {
    if (r.length !== rows)
      throw new ShapeMismatchError("r", `expected length ${rows}, got ${r.length}`);
    if (out.length !== cols)
      throw new ShapeMismatchError("out", `expected length ${cols}, got ${out.length}`);
    gemm("transpose", "no-transpose", nd, nc, N, 1, Xd, nd, 1, 0, r, nc, 1, 0, 0, G, nc, 1, 0);
    for (let q = 0; q < d; q++) {
      for (let l = 0; l < c; l++) {
        const plus = (q * c + l) * S * nn;
        const minus = plus + nn;
        for (let k = 0; k < n; k++) {
          for (let m = 0; m < n; m++) {
            const e = k * n + m;
            const g = G[(m * d + q) * nc + k * c + l] as number;
            out[plus + e] = g;
            if (S === 2) out[minus + e] = -g;
          }
        }
      }
    }
  };

  const toDense = (): Matrix => {
    const A = new Matrix(rows, cols);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < n; k++) {
        for (let l = 0; l < c; l++) {
          const row = ((i * n + k) * c + l) * cols;
          for (let q = 0; q < d; q++) {
            const plus = (q * c + l) * S * nn + k * n;
            for (let m = 0; m < n; m++) {
              const v = Xd[(i * n + m) * d + q] as number;
              A.data[row + plus + m] = v;
              if (S === 2) A.data[row + plus + nn + m] = -v;
            }
          }
        }
      }
    }
    return A;
  };

  const operator: SequenceOperator = { rows, cols, layout, samples: N, apply, adjoint };
  return rows * cols <= DENSE_LIMIT ? { ...operator, toDense } : operator;
}
