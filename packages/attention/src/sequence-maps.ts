import { InvalidOptionError } from "@convexformer/tensors";
import { validateArray, validateSizes } from "./model-input-validation.js";
import { validateSequenceWeights } from "./sequence-attention.js";
import type { SequenceLayout } from "./sequence-operator.js";
import type { SequenceWeights } from "./sequence-weights.js";

/**
 * Nonconvex → convex for the sequence model (30) → exact program (33): head `j` adds
 * `a = α_j W_{2j}[q, l]` times `W_{1j}` to `C⁺_{ql}` (when `a > 0`) or `|a|·W_{1j}` to
 * `C⁻_{ql}`; row sums stay equal (`W_{1j}` is row-stochastic). Same predictions, and the convex
 * penalty `Σ t = Σ_j |α_j| ‖W_{2j}‖₁ ≤ ½ Σ_j (‖W_{2j}‖₁² + α_j²)`. Returns the variable in the
 * layout `{ tokens, features, outputs, signs: 2 }`.
 *
 * @param weights - the network of (30) ({@link SequenceWeights}, checked as in
 *   {@link sequenceAttentionForward})
 *
 * @example
 * ```ts
 * import { sequenceToConvex } from "@convexformer/attention";
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   W1: new Float64Array([1, 0, 1, 0]), W2: new Float64Array([-2]), alpha: new Float64Array([0.5]) };
 * sequenceToConvex(w); // C⁺ = 0, C⁻ = [1 0; 1 0]: Float64Array [0, 0, 0, 0, 1, 0, 1, 0]
 * ```
 */
export function sequenceToConvex(weights: SequenceWeights): Float64Array {
  validateSequenceWeights(weights);
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  const nn = n * n;
  const x = new Float64Array(2 * d * c * nn);
  for (let j = 0; j < h; j++) {
    for (let q = 0; q < d; q++) {
      for (let l = 0; l < c; l++) {
        const a = (weights.alpha[j] as number) * (weights.W2[(j * d + q) * c + l] as number);
        if (a === 0) continue;
        const block = ((q * c + l) * 2 + (a > 0 ? 0 : 1)) * nn;
        const m = Math.abs(a);
        for (let e = 0; e < nn; e++)
          x[block + e] = (x[block + e] as number) + m * (weights.W1[j * nn + e] as number);
      }
    }
  }
  return x;
}

/**
 * Convex → nonconvex for the exact sequence program (33) (docs/concepts.md#maps): one head per block
 * `(q, l, ±)` with `t > 0`: `W_1 = C/t` (each row normalized by its own sum, so it lies exactly
 * on the simplex), `W_2 = ±√t E_{ql}`, `α = √t`. Predictions match and the objective of (30)
 * equals that of (33). The zero solution maps to one all-zero head.
 *
 * @param x - a point of the exact program (33) in the storage order of {@link SequenceLayout}
 *   (length `2·d·c·n²`, finite entries), every block nonnegative with equal row sums
 * @param layout - its layout (`tokens`, `features`, `outputs` integers ≥ 1); `signs` must be 2: a
 *   point of the relaxation (`signs` 1) is refused
 * @param tolerance - blocks with row sum `t ≤ tolerance` are dropped (default 0)
 * @throws `InvalidOptionError` when a block is not nonnegative with equal row sums (a
 *   point of the relaxation is not representable by (30))
 *
 * @example
 * ```ts
 * import { recoverSequenceNetwork } from "@convexformer/attention";
 * const layout = { tokens: 2, features: 1, outputs: 1, signs: 2 as const };
 * const w = recoverSequenceNetwork(new Float64Array([0.5, 0, 0.5, 0, 0, 0, 0, 0]), layout);
 * w.heads; // 1, with W1 = [1 0; 1 0], alpha = [√0.5], W2 = [√0.5]
 * ```
 */
export function recoverSequenceNetwork(
  x: Float64Array,
  layout: SequenceLayout,
  tolerance = 0,
): SequenceWeights {
  const { tokens: n, features: d, outputs: c } = layout;
  validateSizes({ "layout.tokens": n, "layout.features": d, "layout.outputs": c });
  if (layout.signs !== 2) {
    throw new InvalidOptionError(
      "layout.signs",
      layout.signs,
      "only the exact program (33) (signs = 2) maps back to the sequence model (30); the max-row-sum form is a relaxation",
    );
  }
  const nn = n * n;
  validateArray("x", x, 2 * d * c * nn);
  const heads: {
    q: number;
    l: number;
    sign: number;
    block: number;
    sums: Float64Array;
    t: number;
  }[] = [];
  for (let q = 0; q < d; q++) {
    for (let l = 0; l < c; l++) {
      for (let s = 0; s < 2; s++) {
        const block = ((q * c + l) * 2 + s) * nn;
        const sums = new Float64Array(n);
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < n; k++) {
          let sum = 0;
          for (let m = 0; m < n; m++) {
            const v = x[block + k * n + m] as number;
            if (v < 0)
              throw new InvalidOptionError(
                `x[${block + k * n + m}]`,
                v,
                "blocks of (33) must be nonnegative",
              );
            sum += v;
          }
          sums[k] = sum;
          lo = Math.min(lo, sum);
          hi = Math.max(hi, sum);
        }
        if (hi - lo > 1e-9 * Math.max(1, hi)) {
          throw new InvalidOptionError(
            `x block (q=${q}, l=${l}, ${s === 0 ? "+" : "-"})`,
            [lo, hi],
            "row sums must be equal (exact program (33))",
          );
        }
        const t = (lo + hi) / 2;
        if (t > tolerance && lo > 0) heads.push({ q, l, sign: s === 0 ? 1 : -1, block, sums, t });
      }
    }
  }
  const h = Math.max(1, heads.length);
  const W1 = new Float64Array(h * nn);
  const W2 = new Float64Array(h * d * c);
  const alpha = new Float64Array(h);
  if (heads.length === 0) {
    for (let k = 0; k < n; k++) W1[k * n] = 1;
  }
  heads.forEach((head, j) => {
    for (let k = 0; k < n; k++) {
      const sum = head.sums[k] as number;
      for (let m = 0; m < n; m++)
        W1[j * nn + k * n + m] = (x[head.block + k * n + m] as number) / sum;
    }
    const root = Math.sqrt(head.t);
    W2[(j * d + head.q) * c + head.l] = head.sign * root;
    alpha[j] = root;
  });
  return { heads: h, tokens: n, features: d, outputs: c, W1, W2, alpha };
}
