import { InvalidOptionError, validateInteger } from "@convexformer/tensors";

/**
 * The attention of a decoder block: `"softmax"` (standard causal multi-head attention with
 * bias-free Q/K/V/O and scores scaled by `1/√(d/h)`) or `"simplex"` (each head's attention
 * matrix is a learned, input-independent row-stochastic matrix: a causally masked softmax
 * over free logits, initialized at zero; the relaxation (4) inside the network; bias-free
 * V/O).
 *
 * @example
 * ```ts
 * import type { AttentionKind } from "@convexformer/baselines";
 * const kind: AttentionKind = "simplex";
 * ```
 */
export type AttentionKind = "softmax" | "simplex";

/**
 * Options of {@link DecoderTransformer}.
 *
 * @example
 * ```ts
 * import type { DecoderTransformerOptions } from "@convexformer/baselines";
 * // the grokking model of E2 for p = 97: tokens x, op, y, = over 97 + 2 ids
 * const options: DecoderTransformerOptions = { vocabSize: 99, sequenceLength: 4, width: 128, heads: 4, layers: 2 };
 * ```
 */
export interface DecoderTransformerOptions {
  /** Vocabulary size (`p + 2` for the modular-arithmetic task of E2). */
  readonly vocabSize: number;
  /** Tokens per sequence `n` (4 for `[x, op, y, =]`). */
  readonly sequenceLength: number;
  /** Model width `d`. */
  readonly width: number;
  /** Heads `h`; must divide `width`. */
  readonly heads: number;
  /** Number of blocks. */
  readonly layers: number;
  /** Attention kind (default `"softmax"`). */
  readonly attention?: AttentionKind;
  /** MLP hidden width as a multiple of `d` (default 4). */
  readonly mlpRatio?: number;
  /** LayerNorm `ε` (default 1e-5). */
  readonly layerNormEpsilon?: number;
  /** Initialization seed (default 0). */
  readonly seed?: number;
}

const KINDS: readonly AttentionKind[] = ["softmax", "simplex"];

/** The checked options of a decoder with their defaults filled in (internal). */
export interface DecoderConfig {
  readonly vocabSize: number;
  readonly sequenceLength: number;
  readonly width: number;
  readonly heads: number;
  readonly layers: number;
  readonly attention: AttentionKind;
  /** MLP hidden width `mlpRatio · width`. */
  readonly hidden: number;
  readonly layerNormEpsilon: number;
  readonly seed: number;
}

/**
 * Checks {@link DecoderTransformerOptions} and fills in the defaults (internal).
 *
 * @throws `InvalidOptionError` naming the option
 */
export function validateDecoderOptions(options: DecoderTransformerOptions): DecoderConfig {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  validateInteger("vocabSize", options.vocabSize, 1);
  validateInteger("sequenceLength", options.sequenceLength, 1);
  validateInteger("width", options.width, 1);
  validateInteger("heads", options.heads, 1);
  validateInteger("layers", options.layers, 1);
  if (options.width % options.heads !== 0) {
    throw new InvalidOptionError(
      "heads",
      options.heads,
      `width (${options.width}) must be divisible by heads`,
    );
  }
  const attention = options.attention ?? "softmax";
  if (!KINDS.includes(attention)) {
    throw new InvalidOptionError(
      "attention",
      attention,
      'unknown attention kind; must be "softmax" or "simplex"',
    );
  }
  const ratio = options.mlpRatio ?? 4;
  validateInteger("mlpRatio", ratio, 1);
  const eps = options.layerNormEpsilon ?? 1e-5;
  if (!(eps > 0 && Number.isFinite(eps)))
    throw new InvalidOptionError("layerNormEpsilon", eps, "must be > 0");
  const seed = options.seed ?? 0;
  validateInteger("seed", seed, 0);
  return {
    vocabSize: options.vocabSize,
    sequenceLength: options.sequenceLength,
    width: options.width,
    heads: options.heads,
    layers: options.layers,
    attention,
    hidden: ratio * options.width,
    layerNormEpsilon: eps,
    seed,
  };
}
