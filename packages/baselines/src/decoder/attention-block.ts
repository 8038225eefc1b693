import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import { inputGradient, softmaxBackward, weightGradient } from "../internal/backprop-ops.js";
import type { DecoderContext } from "./decoder-context.js";
import type { ForwardOps } from "./forward-ops.js";
import { lastRows, mergeHeads, padLastRows, splitHeads } from "./head-reshapes.js";

/** What the forward pass of one attention keeps for the backward pass. */
export type AttentionCache =
  | {
      readonly kind: "softmax";
      readonly y: Tensor;
      readonly qh: Tensor;
      readonly kh: Tensor;
      readonly vh: Tensor;
      readonly a: Tensor;
      readonly merged: Tensor;
      readonly scale: number;
    }
  | {
      readonly kind: "simplex";
      readonly y: Tensor;
      readonly a: Tensor;
      readonly stacked: Tensor;
      readonly merged: Tensor;
    }
  | {
      readonly kind: "simplex-last";
      readonly y: Tensor;
      readonly a: Tensor;
      readonly v4: Tensor;
      readonly weights: Tensor;
      readonly merged: Tensor;
    };

/**
 * Attention of block `l` (output projection included) from its LayerNorm output `y`
 * `[R, d]`: every position (`last = false`, output `[R, d]`) or the last position only
 * (`last = true`, output `[b, d]`; keys and values still cover every position).
 */ export function attentionBlockForward(
  ctx: DecoderContext,
  y: Tensor,
  l: number,
  b: number,
  last: boolean,
  ops: ForwardOps,
): { out: Tensor; cache: AttentionCache } {
  const n = ctx.config.sequenceLength;
  const d = ctx.config.width;
  const h = ctx.config.heads;
  const dk = d / h;
  const p = `blocks.${l}.attn`;
  const v = ops.mm(y, ctx.param(`${p}.WV`)); // [R, d]
  let merged: Tensor;
  let cache: AttentionCache;
  if (ctx.config.attention === "softmax") {
    const kh = splitHeads(ctx.config, ops.mm(y, ctx.param(`${p}.WK`)), b); // [b·h, n, dk]
    const vh = splitHeads(ctx.config, v, b);
    const scale = 1 / Math.sqrt(dk);
    let qh: Tensor;
    let a: Tensor;
    if (last) {
      // one query per sequence; the last row of the causal mask is all zeros
      qh = ops.mm(lastRows(ctx.config, y, b), ctx.param(`${p}.WQ`)).reshape([b * h, 1, dk]);
      a = tf.softmax(tf.mul(ops.bmm(qh, kh, false, true), scale), -1); // [b·h, 1, n]
      merged = ops.bmm(a, vh).reshape([b, d]);
    } else {
      qh = splitHeads(ctx.config, ops.mm(y, ctx.param(`${p}.WQ`)), b);
      a = tf.softmax(tf.add(tf.mul(ops.bmm(qh, kh, false, true), scale), ctx.mask), -1);
      merged = mergeHeads(ctx.config, ops.bmm(a, vh), b);
    }
    cache = { kind: "softmax", y, qh, kh, vh, a, merged, scale };
  } else {
    const a = tf.softmax(tf.add(ctx.param(`${p}.logits`), ctx.mask), -1); // [h, n, n]
    const v4 = v.reshape([b, n, h, dk]);
    if (last) {
      const aLast = tf.transpose(tf.slice(a, [0, n - 1, 0], [h, 1, n]).reshape([h, n]));
      const weights = aLast.reshape([1, n, h, 1]); // [1, n, h, 1]
      merged = tf.sum(tf.mul(v4, weights), 1).reshape([b, d]);
      cache = { kind: "simplex-last", y, a, v4, weights, merged };
    } else {
      const stacked = tf.transpose(v4, [2, 1, 0, 3]).reshape([h, n, b * dk]);
      const o = ops.bmm(a, stacked).reshape([h, n, b, dk]);
      merged = tf.transpose(o, [2, 1, 0, 3]).reshape([b * n, d]);
      cache = { kind: "simplex", y, a, stacked, merged };
    }
  }
  return { out: ops.mm(merged, ctx.param(`${p}.WO`)), cache };
}

/**
 * Backward of {@link attentionBlockForward}: the gradient of its input `y`
 * (`[R, d]`) for the output gradient `dout`; parameter gradients go into `grads`.
 */ export function attentionBlockBackward(
  ctx: DecoderContext,
  dout: Tensor,
  c: AttentionCache,
  l: number,
  b: number,
  grads: Map<string, Tensor>,
): Tensor {
  const n = ctx.config.sequenceLength;
  const d = ctx.config.width;
  const h = ctx.config.heads;
  const dk = d / h;
  const p = `blocks.${l}.attn`;
  grads.set(`${p}.WO`, weightGradient(c.merged, dout));
  const dmerged = inputGradient(dout, ctx.param(`${p}.WO`));
  const yT = tf.transpose(c.y); // [d, R], shared by the weight gradients
  let dv: Tensor;
  let dy: Tensor;
  if (c.kind === "softmax") {
    const single = c.qh.shape[1] === 1;
    const dO = single ? dmerged.reshape([b * h, 1, dk]) : splitHeads(ctx.config, dmerged, b);
    const da = tf.matMul(dO, c.vh, false, true);
    const ds = tf.mul(softmaxBackward(c.a, da), c.scale);
    const dqh = tf.matMul(ds, c.kh);
    // with a single query the products aᵀ·dO and dsᵀ·q are outer products: a broadcast
    // multiply is about three times faster than the batched product
    const dvh = single ? tf.mul(c.a.reshape([b * h, n, 1]), dO) : tf.matMul(c.a, dO, true, false);
    const dkh = single ? tf.mul(ds.reshape([b * h, n, 1]), c.qh) : tf.matMul(ds, c.qh, true, false);
    dv = mergeHeads(ctx.config, dvh, b);
    const dk_ = mergeHeads(ctx.config, dkh, b);
    grads.set(`${p}.WK`, tf.matMul(yT, dk_));
    dy = tf.add(inputGradient(dk_, ctx.param(`${p}.WK`)), inputGradient(dv, ctx.param(`${p}.WV`)));
    if (single) {
      const dq = dqh.reshape([b, d]);
      const yLast = lastRows(ctx.config, c.y, b);
      grads.set(`${p}.WQ`, weightGradient(yLast, dq));
      dy = tf.add(dy, padLastRows(ctx.config, inputGradient(dq, ctx.param(`${p}.WQ`)), b));
    } else {
      const dq = mergeHeads(ctx.config, dqh, b);
      grads.set(`${p}.WQ`, tf.matMul(yT, dq));
      dy = tf.add(dy, inputGradient(dq, ctx.param(`${p}.WQ`)));
    }
  } else if (c.kind === "simplex") {
    const dO = tf.transpose(dmerged.reshape([b, n, h, dk]), [2, 1, 0, 3]).reshape([h, n, b * dk]);
    const da = tf.matMul(dO, c.stacked, false, true); // [h, n, n]
    const dstacked = tf.matMul(c.a, dO, true, false); // [h, n, b·dk]
    grads.set(`${p}.logits`, softmaxBackward(c.a, da));
    dv = tf.transpose(dstacked.reshape([h, n, b, dk]), [2, 1, 0, 3]).reshape([b * n, d]);
    dy = inputGradient(dv, ctx.param(`${p}.WV`));
  } else {
    const dO = dmerged.reshape([b, 1, h, dk]);
    dv = tf.mul(dO, c.weights).reshape([b * n, d]); // [b, n, h, dk]
    const dWeights = tf.sum(tf.mul(c.v4, dO), [0, 3]); // [n, h]
    const daLast = tf.transpose(dWeights).reshape([h, 1, n]);
    const da = tf.pad(daLast, [
      [0, 0],
      [n - 1, 0],
      [0, 0],
    ]);
    grads.set(`${p}.logits`, softmaxBackward(c.a, da));
    dy = inputGradient(dv, ctx.param(`${p}.WV`));
  }
  grads.set(`${p}.WV`, tf.matMul(yT, dv));
  return dy;
}
