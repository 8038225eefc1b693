import {
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
  validateKnownOptions,
} from "@convexformer/tensors";
import type { TokenBlock } from "./token-block.js";
import { tokenFeatures } from "./token-features.js";
import { splitWords, tokenize } from "./tokenize.js";
import type { WordEmbeddings } from "./word-embeddings.js";

/**
 * One labelled text.
 *
 * @example
 * ```ts
 * import type { TextRecord } from "@convexformer/io";
 * const r: TextRecord = { text: "We the people", label: 1 };
 * ```
 */
export interface TextRecord {
  /** The text. */
  readonly text: string;
  /** A class index (`≥ 0`) or a real number. */
  readonly label: number;
}

/**
 * Options of {@link textFeatures}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { TextFeaturesOptions } from "@convexformer/io";
 * const options: TextFeaturesOptions = { tokens: 16, positionalScale: 0.1 };
 * ```
 */
export interface TextFeaturesOptions {
  /** `n`: words per text after truncation/padding. */
  readonly tokens: number;
  /** Multiplies the positional encodings (default 0.1: word identity dominates). */
  readonly positionalScale?: number;
  /** A frozen random block applied on top (e.g. `createFrozenBlock` of `@convexformer/experiments`). */
  readonly block?: TokenBlock;
}

/**
 * What {@link textFeatures} returns.
 *
 * @example
 * ```ts
 * import type { TextFeatures } from "@convexformer/io";
 * const show = (f: TextFeatures) => `${f.X.samples} texts, ${f.unknownWords} unknown words`;
 * ```
 */
export interface TextFeatures {
  /** Features `N × n × d` (padding rows zero before the block). */
  readonly X: TokenBatch;
  /** `N × n` pad mask (1 word, 0 padding). */
  readonly mask: Uint8Array;
  /** The labels, in record order. */
  readonly labels: Float64Array;
  /** The kept words, `N × n` row-major (`""` for padding), for token maps. */
  readonly words: readonly string[];
  /** Word occurrences dropped because the table has no vector for them. */
  readonly unknownWords: number;
  /** Word occurrences kept (at most `n` per text). */
  readonly knownWords: number;
}

const OPTION_NAMES = ["tokens", "positionalScale", "block"] as const;

/**
 * Real text through pretrained embeddings: each record is tokenized (`splitWords`), words
 * without a vector are dropped (and counted), the first `n` remaining words are kept and the
 * rest padded (pad mask), each word becomes its pretrained vector plus
 * `positionalScale ·` its sinusoidal positional encoding, and an optional frozen block runs on
 * top (padded keys masked). A record with no known word is all padding.
 *
 * @param records - the labelled texts, at least one: `{ text, label }` with a finite label
 * @param embeddings - the pretrained word vectors by lower-case word, all of length `dimension`
 *   (e.g. from `loadGloveEmbeddings` or `loadWinkEmbeddings` of `@convexformer/io/node`);
 *   words without a vector are dropped
 * @param options - {@link TextFeaturesOptions}: `tokens` `n` (required), `positionalScale` (default
 *   0.1) and an optional frozen `block`; unknown keys are errors
 * @throws `ShapeMismatchError` for no records; `InvalidOptionError` for a non-finite label or
 *   unknown keys
 *
 * @example
 * ```ts
 * import { textFeatures } from "@convexformer/io";
 * const embeddings = { dimension: 2, source: "inline", vectors: new Map([
 *   ["tax", new Float64Array([1, 0])], ["war", new Float64Array([0, 1])]]) };
 * const f = textFeatures([{ text: "War and tax", label: 1 }], embeddings, { tokens: 3, positionalScale: 0 });
 * f.words; // ["war", "tax", ""]
 * f.unknownWords; // 1 ("and")
 * ```
 */
export function textFeatures(
  records: readonly TextRecord[],
  embeddings: WordEmbeddings,
  options: TextFeaturesOptions,
): TextFeatures {
  validateKnownOptions("options", options, OPTION_NAMES);
  if (records.length === 0) throw new ShapeMismatchError("records", "no records");
  const n = options.tokens;
  const d = embeddings.dimension;
  const index = new Map<string, number>();
  const rows: Float64Array[] = [];
  const ids = new Int32Array(records.length * n);
  const mask = new Uint8Array(records.length * n);
  const labels = new Float64Array(records.length);
  const words: string[] = [];
  let unknownWords = 0;
  let knownWords = 0;
  records.forEach((record, i) => {
    if (typeof record.label !== "number" || !Number.isFinite(record.label)) {
      throw new InvalidOptionError(`records[${i}].label`, record.label, "must be a finite number");
    }
    labels[i] = record.label;
    const t = tokenize(record.text, n, (w) => embeddings.vectors.has(w));
    for (const w of splitWords(record.text)) {
      if (!embeddings.vectors.has(w)) unknownWords++;
    }
    knownWords += t.mask.reduce((s, v) => s + v, 0);
    t.words.forEach((w, k) => {
      words.push(w);
      if (t.mask[k] === 0) return;
      mask[i * n + k] = 1;
      let id = index.get(w);
      if (id === undefined) {
        id = rows.length;
        index.set(w, id);
        rows.push(embeddings.vectors.get(w) as Float64Array);
      }
      ids[i * n + k] = id;
    });
  });
  const table = new Float64Array(Math.max(1, rows.length) * d);
  rows.forEach((v, r) => {
    table.set(v, r * d);
  });
  const X = tokenFeatures(ids, n, table, d, {
    positionalScale: options.positionalScale ?? 0.1,
    mask,
    ...(options.block === undefined ? {} : { block: options.block }),
  });
  return { X, mask, labels, words, unknownWords, knownWords };
}
