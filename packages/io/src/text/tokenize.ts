import { validateInteger } from "@convexformer/tensors";

/**
 * Tokens of one text, truncated or padded to a fixed length.
 *
 * @example
 * ```ts
 * import { tokenize, type TokenizedText } from "@convexformer/io";
 * const t: TokenizedText = tokenize("Hello, world!", 3);
 * t.words; // ["hello", "world", ""]
 * ```
 */
export interface TokenizedText {
  /** Exactly `n` words; padding is the empty string. */
  readonly words: readonly string[];
  /** `n` entries: 1 for a real word, 0 for padding. */
  readonly mask: Uint8Array;
  /** Words in the whole text before truncation. */
  readonly length: number;
}

/** A word: letters or digits, with inner apostrophes (`don't`) and hyphens (`well-being`). */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * The word split every text path of this package uses: lower-cases the text (locale-free
 * `toLowerCase`), takes the maximal runs of Unicode letters and digits, keeping inner
 * apostrophes and hyphens (`don't`, `well-being`; a curly `’` becomes `'`), and drops
 * everything else (punctuation, whitespace). Returns every word in order.
 *
 * @param text - any string (empty or without letters and digits gives `[]`)
 *
 * @example
 * ```ts
 * import { splitWords } from "@convexformer/io";
 * splitWords("The Senate's well-being, 1790!"); // ["the", "senate's", "well-being", "1790"]
 * ```
 */
export function splitWords(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  return words.map((w) => w.replace(/’/g, "'"));
}

/**
 * {@link splitWords}, then truncates to the first `n` words or pads with `""` to exactly
 * `n`, with the pad mask (1 word, 0 padding).
 *
 * @param text - the text
 * @param tokens - `n ≥ 1`
 * @param keep - optional filter: words it rejects are dropped before truncation (e.g. words
 *   without a pretrained vector)
 * @throws `InvalidOptionError` unless `tokens` is a positive integer
 *
 * @example
 * ```ts
 * import { tokenize } from "@convexformer/io";
 * const t = tokenize("a b c d", 2);
 * t.words; // ["a", "b"]
 * Array.from(tokenize("a", 2).mask); // [1, 0]
 * ```
 */
export function tokenize(
  text: string,
  tokens: number,
  keep?: (word: string) => boolean,
): TokenizedText {
  validateInteger("tokens", tokens, 1);
  const all = splitWords(text);
  const kept = keep === undefined ? all : all.filter(keep);
  const words: string[] = kept.slice(0, tokens);
  const mask = new Uint8Array(tokens);
  mask.fill(1, 0, words.length);
  while (words.length < tokens) words.push("");
  return { words, mask, length: all.length };
}
