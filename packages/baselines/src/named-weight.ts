/** A named float64 parameter: its tensor shape and row-major values. */
export interface NamedWeight {
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float64Array;
}
