/**
 * A pretrained word-vector table restricted to the words a corpus needs: each word maps to
 * a `dimension`-long float64 vector.
 *
 * @example
 * ```ts
 * import type { WordEmbeddings } from "@convexformer/io";
 * const e: WordEmbeddings = { dimension: 2, vectors: new Map([["cat", new Float64Array([1, 0])]]), source: "inline" };
 * e.vectors.get("cat")?.[0]; // 1
 * ```
 */
export interface WordEmbeddings {
  /** Length of every vector. */
  readonly dimension: number;
  /** The vectors, by lower-case word. */
  readonly vectors: ReadonlyMap<string, Float64Array>;
  /** Where they came from (a file path or a package name), for result records. */
  readonly source: string;
}
