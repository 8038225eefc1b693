import type { TokenBatch } from "@convexformer/tensors";

/**
 * User data as token matrices and targets, as the loaders return it.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import type { TokenDataset } from "@convexformer/io/node";
 * const data: TokenDataset = { X: TokenBatch.zeros(2, 3, 4), targets: new Float64Array(2), outputs: 1, source: "inline" };
 * ```
 */
export interface TokenDataset {
  /** Features `N × n × d`. */
  readonly X: TokenBatch;
  /** `N · outputs` targets, sample-major. */
  readonly targets: Float64Array;
  /** Targets per sample (1 for a scalar label or class index). */
  readonly outputs: number;
  /** The file(s) it came from. */
  readonly source: string;
}
