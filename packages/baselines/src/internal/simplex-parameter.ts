import { InvalidOptionError, ShapeMismatchError, validateFinite } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import type { SimplexParameterization } from "../attention-model-config.js";

/** Logit used for an exact zero weight under the softmax parameterization (exp underflows to 0). */
export const ZERO_LOGIT = -1e4;

/** Initial value of a simplex parameter `[..., n]`: zero logits or the uniform distribution. */
export function initialSimplex(shape: number[], simplex: SimplexParameterization): Tensor {
  const n = shape[shape.length - 1] as number;
  return simplex === "softmax" ? tf.zeros(shape) : tf.fill(shape, 1 / n);
}

/** Row-stochastic weights from a simplex parameter. */
export function simplexValue(v: Tensor, simplex: SimplexParameterization): Tensor {
  return simplex === "softmax" ? tf.softmax(v, -1) : v;
}

/**
 * Checks that `w` holds rows on the simplex (entries ≥ 0, sums 1 within 1e-6) and converts
 * it to the raw parameter: logits (log w; exact zeros map to {@link ZERO_LOGIT}) or w itself.
 */
export function simplexParameterFrom(
  w: Float64Array,
  rowLength: number,
  expectedLength: number,
  simplex: SimplexParameterization,
  argument: string,
): Float64Array {
  if (!(w instanceof Float64Array))
    throw new InvalidOptionError(argument, typeof w, "must be a Float64Array");
  if (w.length !== expectedLength) {
    throw new ShapeMismatchError(argument, `expected ${expectedLength} entries, got ${w.length}`);
  }
  validateFinite(argument, w);
  for (let start = 0; start < w.length; start += rowLength) {
    let s = 0;
    for (let k = 0; k < rowLength; k++) {
      const v = w[start + k] as number;
      if (v < 0)
        throw new InvalidOptionError(
          `${argument}[${start + k}]`,
          v,
          "simplex weights must be >= 0",
        );
      s += v;
    }
    if (Math.abs(s - 1) > 1e-6) {
      throw new InvalidOptionError(
        `${argument} row ${start / rowLength}`,
        s,
        "simplex rows must sum to 1",
      );
    }
  }
  if (simplex === "projection") return Float64Array.from(w);
  return w.map((v) => (v > 0 ? Math.log(v) : ZERO_LOGIT));
}

/**
 * Float32 simplex rows read back as float64, renormalized so each row sums to 1 in float64
 * (the attention package's evaluators check rows to 1e-9; float32 rounding leaves ~1e-7).
 * Exact zeros and one-hot rows are unchanged.
 */
export function float64SimplexRows(values: Float64Array, rowLength: number): Float64Array {
  for (let start = 0; start < values.length; start += rowLength) {
    let s = 0;
    for (let k = 0; k < rowLength; k++) {
      const v = Math.max(0, values[start + k] as number);
      values[start + k] = v;
      s += v;
    }
    if (s > 0)
      for (let k = 0; k < rowLength; k++) values[start + k] = (values[start + k] as number) / s;
  }
  return values;
}
