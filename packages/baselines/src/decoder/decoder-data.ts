import { InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { TensorDataset } from "../tensor-dataset.js";
import type { DecoderConfig } from "./decoder-options.js";

/**
 * A data set of token sequences (`Int32Array`, `N × n`, ids in `[0, V)`) and next-token
 * labels (`Int32Array`, `N`), checked (internal; see `DecoderTransformer.dataset`).
 */
export function decoderDataset(
  config: DecoderConfig,
  tokens: Int32Array,
  labels: Int32Array,
): TensorDataset {
  const n = config.sequenceLength;
  if (!(tokens instanceof Int32Array))
    throw new InvalidOptionError("tokens", typeof tokens, "must be an Int32Array");
  if (!(labels instanceof Int32Array))
    throw new InvalidOptionError("labels", typeof labels, "must be an Int32Array");
  if (tokens.length !== labels.length * n) {
    throw new ShapeMismatchError(
      "tokens",
      `expected ${labels.length} x ${n} = ${labels.length * n} ids, got ${tokens.length}`,
    );
  }
  validateTokenIds(config.vocabSize, "tokens", tokens);
  validateTokenIds(config.vocabSize, "labels", labels);
  return new TensorDataset(
    tf.tensor2d(tokens, [labels.length, n], "int32"),
    tf.tensor1d(labels, "int32"),
  );
}

/** Throws `InvalidOptionError` naming `argument[i]` unless every id is in `[0, vocabSize)`. */
export function validateTokenIds(vocabSize: number, argument: string, ids: Int32Array): void {
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i] as number;
    if (t < 0 || t >= vocabSize)
      throw new InvalidOptionError(
        `${argument}[${i}]`,
        t,
        `must be a token id in [0, ${vocabSize})`,
      );
  }
}
