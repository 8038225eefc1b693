import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import type { LayerNormCache } from "../internal/backprop-ops.js";
import { type AttentionCache, attentionBlockForward } from "./attention-block.js";
import type { DecoderContext } from "./decoder-context.js";
import type { ForwardOps } from "./forward-ops.js";
import { lastRows } from "./head-reshapes.js";
import { layerNormBlock } from "./layer-norm-block.js";
import { type MlpCache, mlpBlockForward } from "./mlp-block.js";

/** What the forward pass of one block keeps. */
export interface BlockCache {
  readonly ln1: LayerNormCache;
  readonly attention: AttentionCache;
  readonly mlp: MlpCache;
}

/** What the forward pass keeps for the hand-written backward pass. */
export interface ForwardCache {
  readonly ids: Tensor;
  readonly blocks: readonly BlockCache[];
  readonly lnFinal: LayerNormCache;
  readonly features: Tensor;
}

/**
 * Logits `[b, V]` at the last position for int32 token ids `[b, n]`, and what the
 * hand-written backward pass needs. Only the last position is read out, so the last
 * block computes keys and values for every position but queries, attention output and
 * MLP for the last position only (same function, less work). `ops` decides how products
 * are taken: through the custom-gradient `fastMatMul` when tfjs's tape records
 * (`batchLoss` under `tf.variableGrads`), or as plain `matMul` for the hand-written
 * backward pass; the values are the same.
 */ export function decoderForward(
  ctx: DecoderContext,
  tokens: Tensor,
  ops: ForwardOps,
): { logits: Tensor; cache: ForwardCache } {
  const b = tokens.shape[0] as number;
  const n = ctx.config.sequenceLength;
  const d = ctx.config.width;
  const ids = tokens.reshape([b * n]);
  let x = tf
    .add(
      ops.embed(ctx.param("tokenEmbedding"), ids).reshape([b, n, d]),
      ctx.param("positionEmbedding"),
    )
    .reshape([b * n, d]);
  const blocks: BlockCache[] = [];
  for (let l = 0; l < ctx.config.layers; l++) {
    const pre = `blocks.${l}`;
    const last = l === ctx.config.layers - 1;
    const ln1 = layerNormBlock(ctx, x, `${pre}.ln1`);
    const attn = attentionBlockForward(ctx, ln1.y, l, b, last, ops);
    const x1 = tf.add(last ? lastRows(ctx.config, x, b) : x, attn.out);
    const mlp = mlpBlockForward(ctx, x1, pre, ops);
    x = tf.add(x1, mlp.out);
    blocks.push({ ln1: ln1.cache, attention: attn.cache, mlp: mlp.cache });
  }
  const lnFinal = layerNormBlock(ctx, x, "lnFinal");
  const logits = ops.mm(lnFinal.y, ctx.param("readout"));
  return { logits, cache: { ids, blocks, lnFinal: lnFinal.cache, features: lnFinal.y } };
}
