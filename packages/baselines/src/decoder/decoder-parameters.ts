import { createRng } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import { seededNormal, seededUniform } from "../tfjs-init.js";
import type { DecoderConfig } from "./decoder-options.js";

/**
 * The parameters of a decoder, by name in creation order (the layout of
 * `DecoderTransformer.exportWeights`), initialized as PyTorch's defaults from `config.seed`
 * (internal).
 */
export function createDecoderParameters(config: DecoderConfig): Map<string, Variable> {
  const params = new Map<string, Variable>();
  const add = (name: string, initial: Tensor): void => {
    params.set(name, tf.variable(initial, true));
    initial.dispose();
  };
  const seed = config.seed;
  const V = config.vocabSize;
  const n = config.sequenceLength;
  const d = config.width;
  const h = config.heads;
  const H = config.hidden;
  const rng = createRng(seed);
  const lin = (fanIn: number, shape: number[]): Tensor =>
    seededUniform(rng, shape, 1 / Math.sqrt(fanIn));
  add("tokenEmbedding", seededNormal(rng, [V, d], 1));
  add("positionEmbedding", seededNormal(rng, [n, d], 0.02));
  for (let l = 0; l < config.layers; l++) {
    const p = `blocks.${l}`;
    add(`${p}.ln1.gain`, tf.ones([d]));
    add(`${p}.ln1.bias`, tf.zeros([d]));
    if (config.attention === "softmax") {
      add(`${p}.attn.WQ`, lin(d, [d, d]));
      add(`${p}.attn.WK`, lin(d, [d, d]));
    } else {
      add(`${p}.attn.logits`, tf.zeros([h, n, n]));
    }
    add(`${p}.attn.WV`, lin(d, [d, d]));
    add(`${p}.attn.WO`, lin(d, [d, d]));
    add(`${p}.ln2.gain`, tf.ones([d]));
    add(`${p}.ln2.bias`, tf.zeros([d]));
    add(`${p}.mlp.W1`, lin(d, [d, H]));
    add(`${p}.mlp.b1`, lin(d, [H]));
    add(`${p}.mlp.W2`, lin(H, [H, d]));
    add(`${p}.mlp.b2`, lin(H, [d]));
  }
  add("lnFinal.gain", tf.ones([d]));
  add("lnFinal.bias", tf.zeros([d]));
  add("readout", lin(d, [d, V]));
  return params;
}

/** The additive causal mask `[n, n]`: 0 on and below the diagonal, −10⁹ above (internal). */
export function causalMask(n: number): Tensor {
  const m = new Float32Array(n * n);
  for (let r = 0; r < n; r++) for (let k = r + 1; k < n; k++) m[r * n + k] = -1e9;
  return tf.tensor(m, [n, n], "float32");
}
