import type { TokenBatch } from "@convexformer/tensors";

/**
 * A map applied on top of token features (`N × n × d` in, `N × n × d` out), such as the frozen
 * random transformer block of `createFrozenBlock` in `@convexformer/experiments`.
 * {@link tokenFeatures} and {@link textFeatures} apply it last.
 *
 * @example
 * ```ts
 * import type { TokenBlock } from "@convexformer/io";
 * import { TokenBatch } from "@convexformer/tensors";
 * const doubled: TokenBlock = {
 *   apply: (X) => new TokenBatch(X.samples, X.tokens, X.features, X.data.map((v) => 2 * v)),
 * };
 * doubled.apply(new TokenBatch(1, 1, 2, new Float64Array([1, 2]))).data; // Float64Array [2, 4]
 * ```
 */
export interface TokenBlock {
  /**
   * Runs the block on `X`; `mask` (`N × n`, 1 = real token, 0 = padding) marks padded tokens.
   *
   * @param X - the `N × n × d` token batch (not modified; a new batch is returned)
   * @param mask - `N × n` pad mask, row-major: 1 for a real token, 0 for padding (default: every
   *   token real)
   */
  apply(X: TokenBatch, mask?: Uint8Array): TokenBatch;
}
