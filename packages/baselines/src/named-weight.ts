/**
 * A named float64 parameter: its tensor shape and row-major values.
 *
 * @example
 * ```ts
 * import { SimplexHeads, type NamedWeight } from "@convexformer/baselines";
 * const m = new SimplexHeads({ tokens: 3, features: 2, heads: 4 });
 * const w2: NamedWeight | undefined = m.parameters().w2;
 * w2?.shape; // [4, 2]
 * w2?.data.length; // 8
 * m.dispose();
 * ```
 */
export interface NamedWeight {
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float64Array;
}
