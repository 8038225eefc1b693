import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import type { DecoderConfig } from "./decoder-options.js";

/** What the forward and backward passes of a decoder read (internal). */
export interface DecoderContext {
  /** The checked configuration. */
  readonly config: DecoderConfig;
  /** The parameter called `name` (see `createDecoderParameters`). */
  param(name: string): Variable;
  /** Parameter names in creation order (the order of the gradients). */
  readonly names: readonly string[];
  /** The additive causal mask `[n, n]`. */
  readonly mask: Tensor;
}
