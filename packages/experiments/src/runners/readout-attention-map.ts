import type { TokenBatch } from "@convexformer/tensors";

/**
 * Plain weights of standard multi-head attention as baselines' `StandardAttention` exports
 * them today: `WQ`, `WK` are `features × (heads·headDim)`, head `j` in columns `j·dk …`.
 * (When baselines adopts the attention package's layout, only this adapter changes.)
 */
export interface QueryKeyWeights {
  readonly heads: number;
  readonly features: number;
  readonly headDim: number;
  readonly WQ: Float64Array;
  readonly WK: Float64Array;
}

/**
 * The softmax attention of the readout token over the tokens, averaged over the samples of
 * `X` and over heads: `(1/(N·h)) Σ_i Σ_j softmax(x_{i,r}ᵀ W_{Qj} W_{Kj}ᵀ X_iᵀ)` (no score
 * scaling, as in model (3)), in float64. Returns `n` weights summing to 1: the token map of
 * standard attention in E1.
 */
export function readoutAttentionMap(
  weights: QueryKeyWeights,
  X: TokenBatch,
  readout = 0,
): Float64Array {
  const { heads: h, features: d, headDim: dk } = weights;
  const N = X.samples;
  const n = X.tokens;
  const hd = h * dk;
  const map = new Float64Array(n);
  const q = new Float64Array(hd);
  const s = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    q.fill(0);
    const base = i * n * d;
    for (let a = 0; a < d; a++) {
      const x = X.data[base + readout * d + a] as number;
      for (let c = 0; c < hd; c++) q[c] = (q[c] as number) + x * (weights.WQ[a * hd + c] as number);
    }
    for (let j = 0; j < h; j++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let t = 0; t < n; t++) {
        let v = 0;
        for (let a = 0; a < d; a++) {
          const x = X.data[base + t * d + a] as number;
          let k = 0;
          for (let c = j * dk; c < (j + 1) * dk; c++)
            k += (q[c] as number) * (weights.WK[a * hd + c] as number);
          v += x * k;
        }
        s[t] = v;
        if (v > max) max = v;
      }
      let z = 0;
      for (let t = 0; t < n; t++) {
        s[t] = Math.exp((s[t] as number) - max);
        z += s[t] as number;
      }
      for (let t = 0; t < n; t++) map[t] = (map[t] as number) + (s[t] as number) / z / (N * h);
    }
  }
  return map;
}
