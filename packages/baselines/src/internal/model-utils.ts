import {
  assertFinite,
  assertInteger,
  InvalidOptionError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { OutputKind, SimplexParameterization } from "../attention-model.js";

/** Logit used for an exact zero weight under the softmax parameterization (exp underflows to 0). */
export const ZERO_LOGIT = -1e4;

export function resolveSimplex(value: unknown): SimplexParameterization {
  const s = value ?? "softmax";
  if (s !== "softmax" && s !== "projection") {
    throw new InvalidOptionError("simplex", s, 'must be "softmax" or "projection"');
  }
  return s;
}

export function resolveHeads(heads: unknown): number {
  assertInteger("heads", heads as number, 1);
  return heads as number;
}

/** Head dimension: explicit, or features / heads (which must divide). */
export function resolveHeadDim(features: number, heads: number, headDim: unknown): number {
  if (headDim !== undefined) {
    assertInteger("headDim", headDim as number, 1);
    return headDim as number;
  }
  if (features % heads !== 0) {
    throw new InvalidOptionError(
      "heads",
      heads,
      `features (${features}) must be divisible by heads, or give headDim explicitly`,
    );
  }
  return features / heads;
}

export function resolveOutputKind(value: unknown, outputs: number | undefined): OutputKind {
  const kind = value ?? ((outputs ?? 1) === 1 ? "scalar" : "vector");
  if (kind !== "scalar" && kind !== "vector" && kind !== "sequence") {
    throw new InvalidOptionError("output", kind, 'must be "scalar", "vector" or "sequence"');
  }
  return kind;
}

export function resolveReadout(value: unknown, tokens: number): number | "mean" {
  const r = value ?? 0;
  if (r === "mean") return r;
  if (!Number.isSafeInteger(r) || (r as number) < 0 || (r as number) >= tokens) {
    throw new InvalidOptionError("readout", r, `must be "mean" or a token index in [0, ${tokens})`);
  }
  return r as number;
}

/** Applies the readout to `[b, n, c]` outputs: `[b]` (scalar), `[b, c]` (vector), or as is. */
export function applyReadout(
  y: tf.Tensor,
  output: OutputKind,
  readout: number | "mean",
): tf.Tensor {
  if (output === "sequence") return y;
  const [b, , c] = y.shape as [number, number, number];
  const row =
    readout === "mean" ? tf.mean(y, 1) : tf.slice(y, [0, readout, 0], [b, 1, c]).reshape([b, c]);
  return output === "scalar" ? row.reshape([b]) : row;
}

/** Initial value of a simplex parameter `[..., n]`: zero logits or the uniform distribution. */
export function initialSimplex(shape: number[], simplex: SimplexParameterization): tf.Tensor {
  const n = shape[shape.length - 1] as number;
  return simplex === "softmax" ? tf.zeros(shape) : tf.fill(shape, 1 / n);
}

/** Row-stochastic weights from a simplex parameter. */
export function simplexValue(v: tf.Tensor, simplex: SimplexParameterization): tf.Tensor {
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
  assertFinite(argument, w);
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

export function checkDim(argument: string, actual: unknown, expected: number): void {
  if (actual !== expected)
    throw new ShapeMismatchError(argument, `expected ${expected}, got ${String(actual)}`);
}

/** Σ of squares, a scalar. */
export function sumSquares(...ts: tf.Tensor[]): tf.Scalar {
  return tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as tf.Scalar;
}
