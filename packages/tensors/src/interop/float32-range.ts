import { InvalidOptionError } from "../errors.js";

/** The largest finite float32. @internal */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Throws {@link InvalidOptionError} naming `argument` when a finite float64 value would round to
 * ±Infinity in float32. `NaN` and infinities pass through unchanged. @internal
 */
export function validateFloat32Range(argument: string, source: Float64Array): void {
  for (let i = 0; i < source.length; i++) {
    const v = source[i] as number;
    if (v - v === 0 && (v > FLOAT32_MAX || v < -FLOAT32_MAX)) {
      const f = Math.fround(v);
      if (f - f !== 0) {
        throw new InvalidOptionError(
          argument,
          v,
          `entry ${i} exceeds the float32 range (±${FLOAT32_MAX}); keep it in float64`,
        );
      }
    }
  }
}
