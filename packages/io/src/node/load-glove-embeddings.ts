import { CorruptFileError, InvalidOptionError, validateKnownOptions } from "@convexformer/tensors";
import type { WordEmbeddings } from "../text/word-embeddings.js";
import { validateFileSize } from "./file-size.js";
import { readLines } from "./read-lines.js";

/**
 * Options of {@link loadGloveEmbeddings}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { GloveOptions } from "@convexformer/io/node";
 * const options: GloveOptions = { vocabulary: ["tax", "war"], badLines: "error" };
 * ```
 */
export interface GloveOptions {
  /** Keep only these words (lower-cased); default: every word of the file. */
  readonly vocabulary?: Iterable<string>;
  /**
   * What to do with a malformed line (wrong number of values, a non-number, a non-finite
   * value): `"skip"` (default) counts it and records its line number (the first 20) in the
   * report; `"error"` throws a `CorruptFileError` naming the file and the line.
   */
  readonly badLines?: "skip" | "error";
  /** The vector length; default: taken from the first well-formed line. */
  readonly dimension?: number;
  /** Refuse files larger than this (default 8 GiB: GloVe files are big, and are streamed). */
  readonly maxBytes?: number;
  /** Stops reading. */
  readonly signal?: AbortSignal;
}

/**
 * A skipped line of a GloVe file.
 *
 * @example
 * ```ts
 * import type { GloveBadLine } from "@convexformer/io/node";
 * const bad: GloveBadLine = { line: 3, reason: "expected 50 values, got 49" };
 * ```
 */
export interface GloveBadLine {
  /** 1-based line number. */
  readonly line: number;
  /** What was wrong. */
  readonly reason: string;
}

/**
 * What {@link loadGloveEmbeddings} returns: the table and a report.
 *
 * @example
 * ```ts
 * import type { GloveResult } from "@convexformer/io/node";
 * const summary = (r: GloveResult) => `${r.embeddings.vectors.size} words, ${r.skippedLines} bad lines`;
 * ```
 */
export interface GloveResult {
  /** The vectors of the kept words. */
  readonly embeddings: WordEmbeddings;
  /** Lines read. */
  readonly lines: number;
  /** Malformed lines skipped. */
  readonly skippedLines: number;
  /** The first 20 skipped lines with reasons. */
  readonly badLines: readonly GloveBadLine[];
  /** Vocabulary words the file has no vector for. */
  readonly missingWords: readonly string[];
}

const OPTION_NAMES = ["vocabulary", "badLines", "dimension", "maxBytes", "signal"] as const;

/**
 * Streams a GloVe-format text file (`word v1 … vd` per line, separated by spaces; the
 * word2vec text header `count dim` on line 1 is recognized and skipped) line by line with
 * node:readline, keeping only the words of `vocabulary` (lower-cased; a word's first
 * occurrence wins), so a multi-gigabyte file costs memory only for the corpus's words.
 * Malformed lines are skipped and counted (default) or are an error naming file and line.
 *
 * @param path - the GloVe-format text file (plain text, one `word v1 … vd` per line)
 * @param options - {@link GloveOptions}: `vocabulary` to keep (default: every word), `badLines`
 *   (default `"skip"`), `dimension` (default: from the first good line), `maxBytes` (default 8
 *   GiB), `signal`; unknown keys are errors
 * @throws `InvalidOptionError` for a missing/oversized file or bad options;
 *   `CorruptFileError` (file and line) for a bad line under `badLines: "error"`, or when no
 *   line is well formed
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadGloveEmbeddings } from "@convexformer/io/node";
 * const file = join(mkdtempSync(join(tmpdir(), "glove-")), "vectors.txt");
 * writeFileSync(file, "tax 1 0\nwar 0 1\nbad 1\n");
 * const result = await loadGloveEmbeddings(file, { vocabulary: ["war"] });
 * result.embeddings.vectors.get("war"); // Float64Array [0, 1]
 * result.skippedLines; // 1 (line 3 has one value)
 * ```
 */
export async function loadGloveEmbeddings(
  path: string,
  options: GloveOptions = {},
): Promise<GloveResult> {
  validateKnownOptions("options", options, OPTION_NAMES);
  const mode = options.badLines ?? "skip";
  if (mode !== "skip" && mode !== "error") {
    throw new InvalidOptionError("badLines", mode, 'must be "skip" or "error"');
  }
  if (
    options.dimension !== undefined &&
    !(Number.isSafeInteger(options.dimension) && options.dimension >= 1)
  ) {
    throw new InvalidOptionError("dimension", options.dimension, "must be a positive integer");
  }
  await validateFileSize("path", path, options.maxBytes ?? 8 * 2 ** 30);
  const wanted =
    options.vocabulary === undefined
      ? undefined
      : new Set(Array.from(options.vocabulary, (w) => w.toLowerCase()));
  const vectors = new Map<string, Float64Array>();
  let dimension = options.dimension;
  let skippedLines = 0;
  const badLines: GloveBadLine[] = [];
  let wellFormed = 0;
  const bad = (line: number, reason: string): void => {
    if (mode === "error") throw new CorruptFileError(path, `line ${line}: ${reason}`);
    skippedLines++;
    if (badLines.length < 20) badLines.push({ line, reason });
  };
  const lines = await readLines(
    path,
    (text, line) => {
      const trimmed = text.trim();
      if (trimmed === "") return;
      const parts = trimmed.split(/ +/);
      if (
        line === 1 &&
        parts.length === 2 &&
        /^\d+$/.test(parts[0] as string) &&
        /^\d+$/.test(parts[1] as string)
      ) {
        return; // word2vec text header "count dim"
      }
      const word = (parts[0] as string).toLowerCase();
      const values = parts.length - 1;
      if (values < 1) return bad(line, "a word without values");
      if (dimension !== undefined && values !== dimension) {
        return bad(line, `expected ${dimension} values, got ${values}`);
      }
      const keep = wanted === undefined || (wanted.has(word) && !vectors.has(word));
      // validate every line (a bad line is reported even when its word is not wanted)
      const v = new Float64Array(values);
      for (let k = 0; k < values; k++) {
        const raw = parts[k + 1] as string;
        const x = Number(raw);
        if (raw === "" || !Number.isFinite(x)) {
          return bad(
            line,
            `value ${k + 1} (column ${k + 2}) is not a finite number: ${JSON.stringify(raw.slice(0, 40))}`,
          );
        }
        v[k] = x;
      }
      dimension ??= values;
      wellFormed++;
      if (keep && (wanted !== undefined || !vectors.has(word))) vectors.set(word, v);
    },
    options.signal,
  );
  if (wellFormed === 0 || dimension === undefined) {
    throw new CorruptFileError(path, "no well-formed `word v1 … vd` line");
  }
  const missingWords = wanted === undefined ? [] : [...wanted].filter((w) => !vectors.has(w));
  return {
    embeddings: { dimension, vectors, source: path },
    lines,
    skippedLines,
    badLines,
    missingWords,
  };
}
