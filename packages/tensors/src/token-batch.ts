import { ShapeMismatchError } from "./errors.js";
import { Matrix } from "./matrix.js";
import { assertInteger } from "./validate.js";

/**
 * A batch of `samples` token matrices, each `tokens × features` (`N × n × d`), stored
 * contiguously in C order: entry `(i, k, q)` is `data[(i * tokens + k) * features + q]`.
 *
 * The same storage read as an `N × (n·d)` matrix is the flattened data matrix of the convex
 * programs; {@link TokenBatch.flat} returns it without a copy.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = TokenBatch.zeros(10, 4, 8);
 * X.sample(3).rows;  // 4   (tokens)
 * X.flat().cols;     // 32  (n·d)
 * ```
 */
export class TokenBatch {
  /** `N`: number of samples. */
  readonly samples: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** C-order storage of length `samples * tokens * features`. */
  readonly data: Float64Array;

  /**
   * Wraps `data` (no copy) or allocates zeros.
   *
   * @param samples - `N`, the number of samples (an integer ≥ 0; otherwise `invalid-option`)
   * @param tokens - `n`, tokens per sample (an integer ≥ 0; otherwise `invalid-option`)
   * @param features - `d`, features per token (an integer ≥ 0; otherwise `invalid-option`)
   * @param data - C-order storage of length `samples·tokens·features`, kept (not copied): entry
   *   `(i, k, q)` is `data[(i·tokens + k)·features + q]`; zeros when omitted
   * @throws {@link ShapeMismatchError} when `data.length !== samples * tokens * features`
   */
  constructor(samples: number, tokens: number, features: number, data?: Float64Array) {
    assertInteger("samples", samples);
    assertInteger("tokens", tokens);
    assertInteger("features", features);
    const size = samples * tokens * features;
    if (data === undefined) {
      data = new Float64Array(size);
    } else if (data.length !== size) {
      throw new ShapeMismatchError(
        "data",
        `a ${samples}x${tokens}x${features} token batch needs ${size} entries, got ${data.length}`,
      );
    }
    this.samples = samples;
    this.tokens = tokens;
    this.features = features;
    this.data = data;
  }

  /**
   * A batch of zeros.
   *
   * @param samples - `N`, the number of samples (an integer ≥ 0; otherwise `invalid-option`)
   * @param tokens - `n`, tokens per sample (an integer ≥ 0; otherwise `invalid-option`)
   * @param features - `d`, features per token (an integer ≥ 0; otherwise `invalid-option`)
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * TokenBatch.zeros(2, 3, 4).data.length; // 24
   * ```
   */
  static zeros(samples: number, tokens: number, features: number): TokenBatch {
    return new TokenBatch(samples, tokens, features);
  }

  /**
   * Copies `N` token matrices (all of one shape) into a batch.
   *
   * @param samples - the `N ≥ 1` token matrices, copied: all `tokens × features` with the shape of
   *   the first (an empty list or another shape is `shape-mismatch`)
   * @example
   * ```ts
   * import { Matrix, TokenBatch } from "@convexformer/tensors";
   * const X = TokenBatch.fromSamples([Matrix.fromRows([[1], [0]]), Matrix.fromRows([[0], [1]])]);
   * X.samples; // 2
   * ```
   */
  static fromSamples(samples: readonly Matrix[]): TokenBatch {
    const first = samples[0];
    if (first === undefined) throw new ShapeMismatchError("samples", "need at least one sample");
    const batch = new TokenBatch(samples.length, first.rows, first.cols);
    const size = first.rows * first.cols;
    samples.forEach((m, i) => {
      if (m.rows !== first.rows || m.cols !== first.cols) {
        throw new ShapeMismatchError(
          `samples[${i}]`,
          `expected ${first.rows}x${first.cols}, got ${m.rows}x${m.cols}`,
        );
      }
      batch.data.set(m.data, i * size);
    });
    return batch;
  }

  /**
   * Entry `(i, k, q)` (no bounds check beyond the typed array's).
   *
   * @param i - sample index, `0 ≤ i < samples`
   * @param k - token index within the sample, `0 ≤ k < tokens`
   * @param q - feature index within the token, `0 ≤ q < features` (none of the three is checked)
   */
  get(i: number, k: number, q: number): number {
    return this.data[(i * this.tokens + k) * this.features + q] as number;
  }

  /**
   * Sample `i` as a zero-copy `tokens × features` matrix.
   *
   * @param i - sample index, `0 ≤ i < samples`; otherwise `shape-mismatch`
   */
  sample(i: number): Matrix {
    if (!(i >= 0 && i < this.samples)) {
      throw new ShapeMismatchError("i", `sample ${i} out of range [0, ${this.samples})`);
    }
    const size = this.tokens * this.features;
    return new Matrix(this.tokens, this.features, this.data.subarray(i * size, (i + 1) * size));
  }

  /**
   * Samples `start ≤ i < end` as a zero-copy batch.
   *
   * @param start - first sample of the block (inclusive)
   * @param end - sample after the last one of the block (exclusive); `0 ≤ start ≤ end ≤ samples`,
   *   otherwise `shape-mismatch`
   */
  sampleBlock(start: number, end: number): TokenBatch {
    if (!(start >= 0 && start <= end && end <= this.samples)) {
      throw new ShapeMismatchError(
        "sampleBlock",
        `samples [${start}, ${end}) out of range [0, ${this.samples})`,
      );
    }
    const size = this.tokens * this.features;
    return new TokenBatch(
      end - start,
      this.tokens,
      this.features,
      this.data.subarray(start * size, end * size),
    );
  }

  /** The `N × (n·d)` flattened data matrix, sharing storage (no copy). */
  flat(): Matrix {
    return new Matrix(this.samples, this.tokens * this.features, this.data);
  }
}
