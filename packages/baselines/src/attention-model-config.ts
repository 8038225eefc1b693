import { type LossName, validateLossName } from "@convexformer/attention";
import { InvalidOptionError, validateInteger } from "@convexformer/tensors";

/**
 * The shape of a model's output per sample: `"scalar"` (`ŷ ∈ R`), `"vector"` (`ŷ ∈ R^c`) or
 * `"sequence"` (`Ŷ ∈ R^{n×c}`, one output row per token).
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { StandardAttention, type OutputKind } from "@convexformer/baselines";
 * const output: OutputKind = "sequence";
 * const m = new StandardAttention({ tokens: 3, features: 4, heads: 2, outputs: 2, output });
 * m.predict(TokenBatch.zeros(5, 3, 4)).length; // 30 (5 samples × 3 tokens × 2 outputs)
 * m.dispose();
 * ```
 */
export type OutputKind = "scalar" | "vector" | "sequence";

/**
 * How simplex-constrained attention weights are kept on the simplex:
 * `"softmax"` trains free logits `θ` and uses `softmax(θ)` (initialized at `θ = 0`, the
 * uniform distribution); `"projection"` trains the weights themselves and projects them
 * onto the simplex (Euclidean projection) after every optimizer step.
 *
 * @example
 * ```ts
 * import { SimplexHeads, type SimplexParameterization } from "@convexformer/baselines";
 * const simplex: SimplexParameterization = "projection";
 * const m = new SimplexHeads({ tokens: 3, features: 2, heads: 1, simplex });
 * Object.keys(m.parameters()); // ["w1", "w2", "alpha"] (softmax trains "w1Logits" instead)
 * Array.from(m.parameters().w1?.data ?? []); // ≈ [0.3333333, 0.3333333, 0.3333333]
 * m.dispose();
 * ```
 */
export type SimplexParameterization = "softmax" | "projection";

/**
 * Options shared by every attention model of this package.
 *
 * @example
 * ```ts
 * import { SimplexHeads, type AttentionModelOptions } from "@convexformer/baselines";
 * const common: AttentionModelOptions = { tokens: 4, features: 3, loss: "logistic", scaling: "mean", beta: 0.01, seed: 7 };
 * const m = new SimplexHeads({ ...common, heads: 2 });
 * m.config.scaling; // "mean"
 * m.config.outputs; // 1
 * m.dispose();
 * ```
 */
export interface AttentionModelOptions {
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `c`: outputs per sample (or per token for sequence outputs); default 1. */
  readonly outputs?: number;
  /** The loss (default `"squared"`). Cross-entropy needs `outputs ≥ 2`. */
  readonly loss?: LossName;
  /**
   * How the data term adds up over samples, the `scaling` of `@convexformer/attention`'s
   * losses: `"sum"` (default, as in the paper) or `"mean"` (divided by the number of samples
   * `N`; the regularizer is not divided).
   */
  readonly scaling?: "sum" | "mean";
  /** `β ≥ 0`, the weight-decay strength of the regularized objective (default 0). */
  readonly beta?: number;
  /** Seed of the initialization (default 0). */
  readonly seed?: number;
}

/**
 * The resolved common configuration of a model.
 *
 * @example
 * ```ts
 * import { SimplexHeads, type AttentionModelConfig } from "@convexformer/baselines";
 * const m = new SimplexHeads({ tokens: 4, features: 3, heads: 2, outputs: 2 });
 * const config: AttentionModelConfig = m.config;
 * config.output; // "vector"
 * config.loss; // "squared"
 * config.scaling; // "sum"
 * config.beta; // 0
 * m.dispose();
 * ```
 */
export interface AttentionModelConfig {
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `c`: outputs. */
  readonly outputs: number;
  /** Output shape per sample. */
  readonly output: OutputKind;
  /** The loss. */
  readonly loss: LossName;
  /** The data term's scaling over samples: `"sum"` or `"mean"`. */
  readonly scaling: "sum" | "mean";
  /** `β`. */
  readonly beta: number;
  /** Initialization seed. */
  readonly seed: number;
}

/** @internal validates the common options and fills in their defaults */
export function validateCommonOptions(
  options: AttentionModelOptions,
  output: OutputKind,
): AttentionModelConfig {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  validateInteger("tokens", options.tokens, 1);
  validateInteger("features", options.features, 1);
  const outputs = options.outputs ?? 1;
  validateInteger("outputs", outputs, 1);
  const loss = options.loss ?? "squared";
  validateLossName("loss", loss);
  const scaling = options.scaling ?? "sum";
  if (scaling !== "sum" && scaling !== "mean") {
    throw new InvalidOptionError("scaling", scaling, 'must be "sum" or "mean"');
  }
  const beta = options.beta ?? 0;
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta < 0) {
    throw new InvalidOptionError("beta", beta, "must be a finite number >= 0");
  }
  const seed = options.seed ?? 0;
  validateInteger("seed", seed, 0);
  if (output === "scalar" && outputs !== 1) {
    throw new InvalidOptionError("outputs", outputs, "a scalar output needs outputs = 1");
  }
  if (loss === "cross-entropy" && outputs < 2) {
    throw new InvalidOptionError("loss", loss, "cross-entropy needs outputs >= 2");
  }
  return {
    tokens: options.tokens,
    features: options.features,
    outputs,
    output,
    loss,
    scaling,
    beta,
    seed,
  };
}
