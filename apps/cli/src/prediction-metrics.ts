import type { LossName } from "@convexformer/attention";

/**
 * How well predictions match targets: mean squared error always, and the error rate for the
 * classification losses (sign for logistic, arg max for cross-entropy).
 *
 * @example
 * ```ts
 * import type { PredictionMetrics } from "./prediction-metrics.js"; // internal module
 * const m: PredictionMetrics = { samples: 4, meanSquaredError: 0.5, errorRate: 0.25 };
 * ```
 */
export interface PredictionMetrics {
  /** Samples evaluated. */
  readonly samples: number;
  /** Mean over samples of the squared error summed over outputs (squared loss), or `null` (logistic, cross-entropy: the outputs are scores). */
  readonly meanSquaredError: number | null;
  /** Fraction of misclassified samples (logistic, cross-entropy), or `null` (squared). */
  readonly errorRate: number | null;
}

/**
 * Scores `N × c` predictions against the targets `fitTargets` built.
 *
 * @param predictions - `N · c` model outputs
 * @param targets - `N · c` values, `N` labels ±1 or `N` class indices
 * @param outputs - `c`
 * @param loss - the loss the model was fitted with
 * @example
 * ```ts
 * import { predictionMetrics } from "./prediction-metrics.js"; // internal module
 * predictionMetrics(new Float64Array([0.5, -2]), new Float64Array([1, 1]), 1, "logistic").errorRate; // 0.5
 * ```
 */
export function predictionMetrics(
  predictions: Float64Array,
  targets: Float64Array | Int32Array,
  outputs: number,
  loss: LossName,
): PredictionMetrics {
  const N = outputs === 0 ? 0 : predictions.length / outputs;
  if (N === 0) return { samples: 0, meanSquaredError: null, errorRate: null };
  if (loss === "cross-entropy") {
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      let best = 0;
      for (let l = 1; l < outputs; l++)
        if ((predictions[i * outputs + l] as number) > (predictions[i * outputs + best] as number))
          best = l;
      if (best !== targets[i]) wrong++;
    }
    return { samples: N, meanSquaredError: null, errorRate: wrong / N };
  }
  let sse = 0;
  let wrong = 0;
  for (let e = 0; e < predictions.length; e++) {
    const r = (predictions[e] as number) - (targets[e] as number);
    sse += r * r;
    if (Math.sign(predictions[e] as number) !== Math.sign(targets[e] as number)) wrong++;
  }
  return {
    samples: N,
    meanSquaredError: loss === "logistic" ? null : sse / N,
    errorRate: loss === "logistic" ? wrong / N : null,
  };
}
