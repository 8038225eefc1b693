import { Matrix } from "@convexformer/tensors";
import type { SoftmaxAttentionMaps } from "./softmax-attention-maps.js";
import { mapSparsity, type SparsityOptions, type SparsitySummary } from "./sparsity.js";

/**
 * Sparsity of softmax attention measured **per input**: for each head, every row of every
 * input's map `A_ij` (`N·n` distributions, `causal`: row `k` over its first `k + 1` tokens),
 * averaged; then the mean over heads. This is the number to compare with a convex token map:
 * the input-averaged map `SoftmaxAttentionMaps.mean` looks more uniform than any single input's
 * map when the inputs attend to different tokens.
 *
 * @param maps - the per-input maps from {@link softmaxAttentionMaps}
 * @param options - {@link SparsityOptions}: `topK` (an integer ≥ 1, default 1) and `causal`
 *   (default `false`); unknown keys are errors (`causal`: row `k` counts only its first `k + 1`
 *   tokens)
 *
 * @example
 * ```ts
 * import { softmaxAttentionMaps, softmaxAttentionSparsity } from "@convexformer/interpret";
 * import { TokenBatch } from "@convexformer/tensors";
 * // scores 20·x_k·x_m: each token attends (almost) only to the token with its own sign
 * const w = { heads: 1, features: 1, hidden: 1, outputs: 1, WQ: new Float64Array([20]),
 *   WK: new Float64Array([1]), WV: new Float64Array([1]), WO: new Float64Array([1]) };
 * const maps = softmaxAttentionMaps(w, new TokenBatch(1, 2, 1, new Float64Array([1, -1])));
 * softmaxAttentionSparsity(maps).mean.topKMass; // ≈ 1 (1 − 4e-18)
 * ```
 */
export function softmaxAttentionSparsity(
  maps: SoftmaxAttentionMaps,
  options: SparsityOptions = {},
): SparsitySummary {
  const { samples: N, heads: h, tokens: n } = maps;
  const nn = n * n;
  const perHead = Array.from({ length: h }, (_, j) => {
    // one map per input, measured separately (so causal rows restart at every input)
    const inputs = Array.from(
      { length: N },
      (_, i) => new Matrix(n, n, maps.maps.slice((i * h + j) * nn, (i * h + j + 1) * nn)),
    );
    const each = inputs.map((m) => mapSparsity(m, options));
    return {
      rows: each.flatMap((s) => s.rows),
      zeroRows: each.reduce((a, s) => a + s.zeroRows, 0),
      mean: average(each.map((s) => s.mean)),
    };
  });
  return { perHead, mean: average(perHead.map((p) => p.mean)) };
}

function average(values: readonly SparsitySummary["mean"][]): SparsitySummary["mean"] {
  const m = values.length;
  const sum = (f: (v: SparsitySummary["mean"]) => number) =>
    values.reduce((a, v) => a + f(v), 0) / m;
  return {
    entropy: sum((v) => v.entropy),
    topKMass: sum((v) => v.topKMass),
    effectiveTokens: sum((v) => v.effectiveTokens),
    gini: sum((v) => v.gini),
  };
}
