import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import type { DecoderConfig } from "./decoder-options.js";

/** `[R, d]` rows `(sample, position)` → `[b·h, n, dk]` per-head blocks. */
export function splitHeads(config: DecoderConfig, t: Tensor, b: number): Tensor {
  const n = config.sequenceLength;
  const dk = config.width / config.heads;
  return tf
    .transpose(t.reshape([b, n, config.heads, dk]), [0, 2, 1, 3])
    .reshape([b * config.heads, n, dk]);
}

/** Inverse of {@link splitHeads}: `[b·h, n, dk]` → `[R, d]`. */
export function mergeHeads(config: DecoderConfig, t: Tensor, b: number): Tensor {
  const n = config.sequenceLength;
  const dk = config.width / config.heads;
  return tf
    .transpose(t.reshape([b, config.heads, n, dk]), [0, 2, 1, 3])
    .reshape([b * n, config.width]);
}

/** The last position of each sequence: `[R, d]` → `[b, d]`. */
export function lastRows(config: DecoderConfig, t: Tensor, b: number): Tensor {
  const n = config.sequenceLength;
  const d = t.shape[1] as number;
  return tf.slice(t.reshape([b, n, d]), [0, n - 1, 0], [b, 1, d]).reshape([b, d]);
}

/** Adjoint of {@link lastRows}: `[b, d]` → `[R, d]`, zero elsewhere. */
export function padLastRows(config: DecoderConfig, t: Tensor, b: number): Tensor {
  const n = config.sequenceLength;
  const d = t.shape[1] as number;
  return tf
    .pad(t.reshape([b, 1, d]), [
      [0, 0],
      [n - 1, 0],
      [0, 0],
    ])
    .reshape([b * n, d]);
}
