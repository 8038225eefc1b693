import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  columnSum,
  inputGradient,
  type LayerNormCache,
  layerNormBackward,
  weightGradient,
} from "../internal/backprop-ops.js";
import type { DecoderContext } from "./decoder-context.js";
import type { ForwardOps } from "./forward-ops.js";
import { layerNormBlock } from "./layer-norm-block.js";

/** What the forward pass of one MLP keeps for the backward pass. */
export interface MlpCache {
  readonly ln: LayerNormCache;
  readonly z: Tensor;
  readonly hidden: Tensor;
}

/** The MLP of block `prefix` on its LayerNorm (`x ↦ W₂ relu(W₁ LN(x) + b₁) + b₂`). */
export function mlpBlockForward(
  ctx: DecoderContext,
  x: Tensor,
  prefix: string,
  ops: ForwardOps,
): { out: Tensor; cache: MlpCache } {
  const ln = layerNormBlock(ctx, x, `${prefix}.ln2`);
  const hidden = tf.relu(
    tf.add(ops.mm(ln.y, ctx.param(`${prefix}.mlp.W1`)), ctx.param(`${prefix}.mlp.b1`)),
  );
  const out = tf.add(ops.mm(hidden, ctx.param(`${prefix}.mlp.W2`)), ctx.param(`${prefix}.mlp.b2`));
  return { out, cache: { ln: ln.cache, z: ln.y, hidden } };
}

/** Backward of {@link mlpBlockForward}: the gradient of its input; parameter gradients go into `grads`. */
export function mlpBlockBackward(
  ctx: DecoderContext,
  dout: Tensor,
  c: MlpCache,
  prefix: string,
  grads: Map<string, Tensor>,
): Tensor {
  const m = `${prefix}.mlp`;
  grads.set(`${m}.b2`, columnSum(dout));
  grads.set(`${m}.W2`, weightGradient(c.hidden, dout));
  const du = tf.mul(inputGradient(dout, ctx.param(`${m}.W2`)), tf.step(c.hidden));
  grads.set(`${m}.b1`, columnSum(du));
  grads.set(`${m}.W1`, weightGradient(c.z, du));
  const dz = inputGradient(du, ctx.param(`${m}.W1`));
  const ln = layerNormBackward(dz, c.ln, ctx.param(`${prefix}.ln2.gain`));
  grads.set(`${prefix}.ln2.gain`, ln.dgain);
  grads.set(`${prefix}.ln2.bias`, ln.dbias);
  return ln.dx;
}
