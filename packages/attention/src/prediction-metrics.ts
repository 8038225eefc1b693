import { InvalidOptionError } from "@convexformer/tensors";
import type { LossName } from "./loss-names.js";

/**
 * How well predictions match targets: the mean squared error (squared loss) and the error rate
 * (logistic, cross-entropy).
 *
 * @example
 * ```ts
 * import type { PredictionMetrics } from "@convexformer/attention";
 * const m: PredictionMetrics = { samples: 4, meanSquaredError: 0.5, errorRate: null };
 * ```
 */
export interface PredictionMetrics {
  /** Samples (prediction rows) evaluated. */
  readonly samples: number;
  /**
   * Squared loss: the sum of squared errors divided by the samples (`average: "sample"`, the
   * squared error summed over the `c` outputs, then averaged) or by the entries (`"entry"`, `N·c`:
   * averaged over outputs too); `null` for the classification losses (their outputs are scores).
   */
  readonly meanSquaredError: number | null;
  /**
   * Classification losses: the fraction of wrong signs over the `N·c` entries (logistic, labels
   * ±1) or of wrong arg-max classes over the `N` rows (cross-entropy); `null` for squared.
   */
  readonly errorRate: number | null;
}

/**
 * Options of {@link predictionMetrics}.
 *
 * @example
 * ```ts
 * import type { PredictionMetricsOptions } from "@convexformer/attention";
 * const options: PredictionMetricsOptions = { loss: "squared", outputs: 3, average: "entry" };
 * ```
 */
export interface PredictionMetricsOptions {
  /** The loss the model was fitted with. */
  readonly loss: LossName;
  /** `c`: predictions per row. */
  readonly outputs: number;
  /**
   * What the squared error is averaged over: `"sample"` (default: divided by `N`, so a vector
   * output's error is summed over its `c` entries, as `convexformer fit` reports it) or
   * `"entry"` (divided by `N·c`, as the experiments' test error).
   */
  readonly average?: "sample" | "entry";
}

/**
 * Scores `N × c` predictions against the targets {@link targetsFromLabels} built (the one
 * definition of the prediction metrics: `fit`, `predict` and the experiments use it).
 *
 * @param predictions - `N · c` model outputs, row-major
 * @param targets - `N · c` values (squared), `N · c` labels ±1 (logistic) or `N` class indices
 *   (cross-entropy)
 * @param options - {@link PredictionMetricsOptions}: the loss, `c`, and the squared error's
 *   normalization (`average`)
 * @throws `InvalidOptionError` for `outputs` not an integer ≥ 1 or an unknown `average`
 *
 * @example
 * ```ts
 * import { predictionMetrics } from "@convexformer/attention";
 * const p = new Float64Array([1, 2, 3, 4]);
 * const y = new Float64Array([0, 2, 3, 6]);
 * predictionMetrics(p, y, { loss: "squared", outputs: 2 }).meanSquaredError; // 2.5: (1 + 4) / 2 samples
 * predictionMetrics(p, y, { loss: "squared", outputs: 2, average: "entry" }).meanSquaredError; // 1.25
 * predictionMetrics(new Float64Array([0.5, -2]), new Float64Array([1, 1]), { loss: "logistic", outputs: 1 }).errorRate; // 0.5
 * ```
 */
export function predictionMetrics(
  predictions: Float64Array,
  targets: Float64Array | Int32Array,
  options: PredictionMetricsOptions,
): PredictionMetrics {
  const { loss, outputs } = options;
  if (!Number.isSafeInteger(outputs) || outputs < 1)
    throw new InvalidOptionError("options.outputs", outputs, "must be an integer >= 1");
  const average = options.average ?? "sample";
  if (average !== "sample" && average !== "entry")
    throw new InvalidOptionError("options.average", average, 'must be "sample" or "entry"');
  const N = predictions.length / outputs;
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
    meanSquaredError: loss === "logistic" ? null : sse / (average === "sample" ? N : N * outputs),
    errorRate: loss === "logistic" ? wrong / predictions.length : null,
  };
}
