import * as tf from "@tensorflow/tfjs";
import type { TensorDataset } from "../tensor-dataset.js";
import type { Evaluation } from "../trainable.js";
import type { DecoderContext } from "./decoder-context.js";
import { decoderForward } from "./decoder-forward.js";
import { PLAIN_OPS } from "./forward-ops.js";

/** Sequences per forward pass when a whole data set is evaluated. */
const EVAL_CHUNK = 4096;

/** Mean cross-entropy and accuracy on a whole data set, in chunks (internal). */
export function evaluateDecoder(ctx: DecoderContext, data: TensorDataset): Evaluation {
  let total = 0;
  let correct = 0;
  for (let start = 0; start < data.size; start += EVAL_CHUNK) {
    const end = Math.min(data.size, start + EVAL_CHUNK);
    const out = tf.tidy(() => {
      const batch = data.slice(start, end);
      const { logits } = decoderForward(ctx, batch.inputs, PLAIN_OPS);
      const onehot = tf.oneHot(batch.targets, ctx.config.vocabSize).toFloat();
      const ce = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits))));
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), batch.targets), "float32"));
      return tf.stack([ce, hits]);
    });
    const [ce, hits] = out.dataSync() as Float32Array;
    out.dispose();
    total += ce as number;
    correct += hits as number;
  }
  const loss = total / data.size;
  return { objective: loss, loss, accuracy: correct / data.size };
}
