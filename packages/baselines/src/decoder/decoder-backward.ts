import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor } from "@tensorflow/tfjs-core";
import {
  columnSum,
  inputGradient,
  layerNormBackward,
  weightGradient,
} from "../internal/backprop-ops.js";
import type { Batch } from "../tensor-dataset.js";
import type { LossAndGradients } from "../trainable.js";
import { attentionBlockBackward } from "./attention-block.js";
import type { DecoderContext } from "./decoder-context.js";
import { type BlockCache, decoderForward } from "./decoder-forward.js";
import { PLAIN_OPS } from "./forward-ops.js";
import { padLastRows } from "./head-reshapes.js";
import { mlpBlockBackward } from "./mlp-block.js";

/**
 * The mean cross-entropy of a batch and its gradient for every parameter (in
 * `ctx.names` order), by the hand-written backward pass of {@link decoderForward}
 * (internal; see `DecoderTransformer.lossAndGradients`).
 */
export function decoderLossAndGradients(ctx: DecoderContext, batch: Batch): LossAndGradients {
  const b = batch.inputs.shape[0] as number;
  const n = ctx.config.sequenceLength;
  const d = ctx.config.width;
  const V = ctx.config.vocabSize;
  const { logits, cache } = decoderForward(ctx, batch.inputs, PLAIN_OPS);
  const onehot = tf.oneHot(batch.targets, V).toFloat();
  const logProbs = tf.logSoftmax(logits);
  const value = tf.neg(tf.mean(tf.sum(tf.mul(onehot, logProbs), -1))) as Scalar;
  const grads = new Map<string, Tensor>();
  const dlogits = tf.div(tf.sub(tf.exp(logProbs), onehot), b);
  grads.set("readout", weightGradient(cache.features, dlogits));
  const lnF = layerNormBackward(
    inputGradient(dlogits, ctx.param("readout")),
    cache.lnFinal,
    ctx.param("lnFinal.gain"),
  );
  grads.set("lnFinal.gain", lnF.dgain);
  grads.set("lnFinal.bias", lnF.dbias);
  let dx = lnF.dx; // [b, d] for the last block, [R, d] below it
  for (let l = ctx.config.layers - 1; l >= 0; l--) {
    const pre = `blocks.${l}`;
    const c = cache.blocks[l] as BlockCache;
    const dx1 = tf.add(dx, mlpBlockBackward(ctx, dx, c.mlp, pre, grads));
    const dy = attentionBlockBackward(ctx, dx1, c.attention, l, b, grads);
    const ln1 = layerNormBackward(dy, c.ln1, ctx.param(`${pre}.ln1.gain`));
    grads.set(`${pre}.ln1.gain`, ln1.dgain);
    grads.set(`${pre}.ln1.bias`, ln1.dbias);
    dx = tf.add(l === ctx.config.layers - 1 ? padLastRows(ctx.config, dx1, b) : dx1, ln1.dx);
  }
  grads.set("positionEmbedding", columnSum(dx.reshape([b, n * d])).reshape([n, d]));
  grads.set("tokenEmbedding", tf.scatterND(cache.ids.reshape([b * n, 1]), dx, [V, d]));
  return {
    value,
    grads: ctx.names.map((name) => grads.get(name) as Tensor),
  };
}
