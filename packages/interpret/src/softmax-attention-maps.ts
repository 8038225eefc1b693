import type { StandardAttentionWeights } from "@convexformer/attention";
import { assertInteger, Matrix, ShapeMismatchError, type TokenBatch } from "@convexformer/tensors";
import { checkWeightArray } from "./internal/check-weight-array.js";

/**
 * Softmax attention maps of standard attention (3), in float64:
 * `A_ij = softmax_row(s · X_i W_{Qj} W_{Kj}ᵀ X_iᵀ)` for every input `i` and head `j`, with
 * `s = weights.scoreScale` when it is set and `s = 1` otherwise (as in (3) and its evaluator in
 * `@convexformer/attention`), and the averages over the inputs.
 *
 * @example
 * ```ts
 * import { softmaxAttentionMaps } from "@convexformer/interpret";
 * import { TokenBatch } from "@convexformer/tensors";
 * const w = { heads: 1, features: 1, hidden: 1, outputs: 1, WQ: new Float64Array([0]),
 *   WK: new Float64Array([0]), WV: new Float64Array([1]), WO: new Float64Array([1]) };
 * const a = softmaxAttentionMaps(w, new TokenBatch(1, 2, 1, new Float64Array([1, -1])));
 * a.mean[0]?.data; // Float64Array [0.5, 0.5, 0.5, 0.5]: zero scores attend uniformly
 * ```
 */
export interface SoftmaxAttentionMaps {
  /** `N`: inputs. */
  readonly samples: number;
  /** `h`: heads. */
  readonly heads: number;
  /** `n`: tokens. */
  readonly tokens: number;
  /** `N × h × n × n` row-major: `A_ij[k, m]` at `((i·h + j)·n + k)·n + m`. */
  readonly maps: Float64Array;
  /** Per head `j`: `(1/N) Σ_i A_ij` (`n × n`, row-stochastic). */
  readonly mean: readonly Matrix[];
  /** `(1/(N h)) Σ_{i,j} A_ij`. */
  readonly meanOverHeads: Matrix;
}

/**
 * The softmax attention maps of (3) for plain weights and a token batch (stable softmax in
 * float64), per input and head, and averaged over the inputs.
 *
 * @param weights - the layer of (3) (`StandardAttentionWeights` of `@convexformer/attention`):
 *   `WQ`, `WK` are `h × d × m` (`WV`, `WO` are not read); `scoreScale`, when set, multiplies the
 *   scores
 * @param X - an `N × n × d` token batch with the weights' `d` features (any `N` and `n`)
 * @throws `ShapeMismatchError` when `X` has another feature count than the weights or a weight
 *   array has the wrong length
 *
 * @example
 * ```ts
 * import { softmaxAttentionMaps } from "@convexformer/interpret";
 * import { TokenBatch } from "@convexformer/tensors";
 * // scores s = x_k x_m: on X = [1; −1] the rows are softmax([1, −1]) and softmax([−1, 1])
 * const w = { heads: 1, features: 1, hidden: 1, outputs: 1, WQ: new Float64Array([1]),
 *   WK: new Float64Array([1]), WV: new Float64Array([1]), WO: new Float64Array([1]) };
 * const a = softmaxAttentionMaps(w, new TokenBatch(1, 2, 1, new Float64Array([1, -1])));
 * a.maps[0]; // e/(e + 1/e) ≈ 0.8808
 * ```
 */
export function softmaxAttentionMaps(
  weights: StandardAttentionWeights,
  X: TokenBatch,
): SoftmaxAttentionMaps {
  const { heads: h, features: d, hidden: r } = weights;
  const scale = weights.scoreScale ?? 1;
  assertInteger("weights.heads", h, 1);
  assertInteger("weights.features", d, 1);
  assertInteger("weights.hidden", r, 1);
  checkWeightArray("weights.WQ", weights.WQ, h * d * r);
  checkWeightArray("weights.WK", weights.WK, h * d * r);
  if (X.features !== d) {
    throw new ShapeMismatchError(
      "X",
      `expected ${d} features per token (weights.features), got ${X.features}`,
    );
  }
  const N = X.samples;
  const n = X.tokens;
  const maps = new Float64Array(N * h * n * n);
  const Q = new Float64Array(n * r);
  const K = new Float64Array(n * r);
  const sums = Array.from({ length: h }, () => new Float64Array(n * n));
  const all = new Float64Array(n * n);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < h; j++) {
      Q.fill(0);
      K.fill(0);
      for (let t = 0; t < n; t++) {
        for (let q = 0; q < d; q++) {
          const x = X.data[(i * n + t) * d + q] as number;
          if (x === 0) continue;
          for (let c = 0; c < r; c++) {
            Q[t * r + c] =
              (Q[t * r + c] as number) + x * (weights.WQ[(j * d + q) * r + c] as number);
            K[t * r + c] =
              (K[t * r + c] as number) + x * (weights.WK[(j * d + q) * r + c] as number);
          }
        }
      }
      const base = (i * h + j) * n * n;
      const sum = sums[j] as Float64Array;
      for (let k = 0; k < n; k++) {
        let max = -Infinity;
        const row = base + k * n;
        for (let m = 0; m < n; m++) {
          let s = 0;
          for (let c = 0; c < r; c++) s += (Q[k * r + c] as number) * (K[m * r + c] as number);
          s *= scale;
          maps[row + m] = s;
          if (s > max) max = s;
        }
        let z = 0;
        for (let m = 0; m < n; m++) {
          const e = Math.exp((maps[row + m] as number) - max);
          maps[row + m] = e;
          z += e;
        }
        for (let m = 0; m < n; m++) {
          const a = (maps[row + m] as number) / z;
          maps[row + m] = a;
          sum[k * n + m] = (sum[k * n + m] as number) + a;
          all[k * n + m] = (all[k * n + m] as number) + a;
        }
      }
    }
  }
  const mean = sums.map(
    (s) =>
      new Matrix(
        n,
        n,
        s.map((v) => v / N),
      ),
  );
  return {
    samples: N,
    heads: h,
    tokens: n,
    maps,
    mean,
    meanOverHeads: new Matrix(
      n,
      n,
      all.map((v) => v / (N * h)),
    ),
  };
}
