import { validateInteger } from "@convexformer/tensors";

/**
 * Sinusoidal positional encodings (Vaswani et al.): row `t`, column `2k` is
 * `sin(t / 10000^{2k/d})`, column `2k + 1` is `cos(t / 10000^{2k/d})`. Returns `n × d`
 * row-major values in `[−1, 1]`.
 *
 * @param tokens - `n ≥ 1`
 * @param features - `d ≥ 1`
 * @throws `InvalidOptionError` unless both are positive integers
 *
 * @example
 * ```ts
 * import { positionalEncoding } from "@convexformer/io";
 * const P = positionalEncoding(3, 2);
 * P[0]; // 0 = sin 0
 * P[1]; // 1 = cos 0
 * ```
 */
export function positionalEncoding(tokens: number, features: number): Float64Array {
  validateInteger("tokens", tokens, 1);
  validateInteger("features", features, 1);
  const out = new Float64Array(tokens * features);
  for (let t = 0; t < tokens; t++) {
    for (let q = 0; q < features; q++) {
      const k = Math.floor(q / 2);
      const angle = t / 10000 ** ((2 * k) / features);
      out[t * features + q] = q % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}
