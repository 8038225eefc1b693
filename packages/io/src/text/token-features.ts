import { InvalidOptionError, ShapeMismatchError, TokenBatch } from "@convexformer/tensors";
import { positionalEncoding } from "./positional-encoding.js";
import type { TokenBlock } from "./token-block.js";

/**
 * Options of {@link tokenFeatures}.
 *
 * @example
 * ```ts
 * import type { TokenFeaturesOptions } from "@convexformer/io";
 * const options: TokenFeaturesOptions = { positionalScale: 0.5 };
 * ```
 */
export interface TokenFeaturesOptions {
  /** Multiplies the sinusoidal positional encodings added to every real token (default 1; 0: none). */
  readonly positionalScale?: number;
  /** A frozen block applied on top (e.g. `createFrozenBlock` of `@convexformer/experiments`). */
  readonly block?: TokenBlock;
  /** `N × n` pad mask (1 real, 0 padding): padded tokens are zero rows and hidden from the block's attention. */
  readonly mask?: Uint8Array;
}

/**
 * Token features from token ids: row `(i, t)` is `table[ids[i·n + t]]` plus
 * `positionalScale ·` the sinusoidal encoding of position `t`, then optionally passed through
 * a frozen block. Padded positions (`mask` 0) are zero before the block.
 *
 * @param ids - `N × n` token ids, row-major, each in `[0, V)` where `V` is the number of rows of
 *   `table`; the length must be a multiple of `tokens`
 * @param tokens - `n`: tokens per sample, at least 1
 * @param table - the embedding table, `V × d` row-major (its length a multiple of `features`)
 * @param features - `d`: the embedding width, at least 1
 * @param options - {@link TokenFeaturesOptions}: `positionalScale` (finite, default 1; 0 for no
 *   positions), an optional frozen `block` applied on top, and an `N × n` pad `mask`
 * @throws `ShapeMismatchError` for inconsistent lengths; `InvalidOptionError` for an id out of range
 *
 * @example
 * ```ts
 * import { tokenFeatures } from "@convexformer/io";
 * const table = new Float64Array([1, 0, 0, 1]); // two words, d = 2
 * const X = tokenFeatures(new Int32Array([0, 1]), 2, table, 2, { positionalScale: 0 });
 * Array.from(X.data); // [1, 0, 0, 1]
 * ```
 */
export function tokenFeatures(
  ids: Int32Array,
  tokens: number,
  table: Float64Array,
  features: number,
  options: TokenFeaturesOptions = {},
): TokenBatch {
  const n = tokens;
  const d = features;
  if (n < 1 || ids.length % n !== 0) {
    throw new ShapeMismatchError("ids", `length ${ids.length} is not a multiple of tokens (${n})`);
  }
  if (d < 1 || table.length % d !== 0) {
    throw new ShapeMismatchError(
      "table",
      `length ${table.length} is not a multiple of features (${d})`,
    );
  }
  const V = table.length / d;
  const N = ids.length / n;
  const mask = options.mask;
  if (mask !== undefined && mask.length !== ids.length) {
    throw new ShapeMismatchError(
      "mask",
      `expected ${ids.length} entries (N × n), got ${mask.length}`,
    );
  }
  const scale = options.positionalScale ?? 1;
  if (!Number.isFinite(scale)) {
    throw new InvalidOptionError("positionalScale", scale, "must be a finite number");
  }
  const P = scale === 0 ? undefined : positionalEncoding(n, d);
  const out = new Float64Array(N * n * d);
  for (let r = 0; r < N * n; r++) {
    if (mask !== undefined && mask[r] === 0) continue;
    const id = ids[r] as number;
    if (!(id >= 0 && id < V)) {
      throw new InvalidOptionError(
        `ids[${r}]`,
        id,
        `must be a token id in [0, ${V}) (sample ${Math.floor(r / n)}, token ${r % n})`,
      );
    }
    const t = r % n;
    for (let q = 0; q < d; q++) {
      out[r * d + q] =
        (table[id * d + q] as number) + (P === undefined ? 0 : scale * (P[t * d + q] as number));
    }
  }
  const X = new TokenBatch(N, n, d, out);
  return options.block === undefined ? X : options.block.apply(X, mask);
}
