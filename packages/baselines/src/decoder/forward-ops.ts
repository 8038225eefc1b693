import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import { fastMatMul } from "../tfjs-matmul.js";

/** How the forward pass takes products and embeds tokens (see {@link decoderForward}). */
export interface ForwardOps {
  /** 2-D product `a · b`. */
  mm(a: Tensor, b: Tensor): Tensor;
  /** Batched product `op(a) · op(b)` (rank 3). */
  bmm(a: Tensor, b: Tensor, transposeA?: boolean, transposeB?: boolean): Tensor;
  /** Rows `ids` (`[R]`, int32) of `table`. */
  embed(table: Tensor, ids: Tensor): Tensor;
}

/** Differentiable by tfjs's tape: products through {@link fastMatMul}. */
export const TAPE_OPS: ForwardOps = {
  mm: (a, b) => fastMatMul(a, b),
  bmm: fastMatMul,
  embed: (table, ids) => fastMatMul(tf.oneHot(ids, table.shape[0] as number).toFloat(), table),
};

/**
 * Plain kernels (same values as {@link TAPE_OPS}), for inference and the hand-written
 * backward pass. Embedding rows are taken by a one-hot product, as on the tape: the wasm
 * `GatherV2` kernel is several times slower than the product.
 */
export const PLAIN_OPS: ForwardOps = {
  mm: (a, b) => tf.matMul(a, b),
  bmm: (a, b, transposeA = false, transposeB = false) => tf.matMul(a, b, transposeA, transposeB),
  embed: (table, ids) => tf.matMul(tf.oneHot(ids, table.shape[0] as number).toFloat(), table),
};
