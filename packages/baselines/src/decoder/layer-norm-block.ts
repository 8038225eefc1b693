import type { Tensor } from "@tensorflow/tfjs-core";
import { type LayerNormCache, layerNormForward } from "../internal/backprop-ops.js";
import type { DecoderContext } from "./decoder-context.js";

/** LayerNorm with the gain and bias `${prefix}.gain|bias` (internal). */
export function layerNormBlock(
  ctx: DecoderContext,
  x: Tensor,
  prefix: string,
): { y: Tensor; cache: LayerNormCache } {
  return layerNormForward(
    x,
    ctx.param(`${prefix}.gain`),
    ctx.param(`${prefix}.bias`),
    ctx.config.layerNormEpsilon,
  );
}
