import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs-core";
import type { OutputKind } from "../attention-model-config.js";

/** Applies the readout to `[b, n, c]` outputs: `[b]` (scalar), `[b, c]` (vector), or as is. */
export function applyReadout(y: Tensor, output: OutputKind, readout: number | "mean"): Tensor {
  if (output === "sequence") return y;
  const [b, , c] = y.shape as [number, number, number];
  const row =
    readout === "mean" ? tf.mean(y, 1) : tf.slice(y, [0, readout, 0], [b, 1, c]).reshape([b, c]);
  return output === "scalar" ? row.reshape([b]) : row;
}
