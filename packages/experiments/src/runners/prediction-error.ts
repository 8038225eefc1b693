import type { LossName } from "@convexformer/attention";

/**
 * Test error of predictions: mean squared error for the squared loss, the error rate of the
 * sign for logistic (`±1` labels), of the arg-max for cross-entropy (class indices).
 */
export function predictionError(
  loss: LossName,
  predictions: Float64Array,
  targets: Float64Array | Int32Array,
  outputs: number,
): number {
  if (loss === "squared") {
    let s = 0;
    for (let e = 0; e < targets.length; e++)
      s += ((predictions[e] as number) - (targets[e] as number)) ** 2;
    return s / targets.length;
  }
  if (loss === "logistic") {
    let wrong = 0;
    for (let i = 0; i < targets.length; i++)
      if ((predictions[i] as number) * (targets[i] as number) <= 0) wrong++;
    return wrong / targets.length;
  }
  let wrong = 0;
  for (let i = 0; i < targets.length; i++) {
    let best = 0;
    for (let l = 1; l < outputs; l++) {
      if ((predictions[i * outputs + l] as number) > (predictions[i * outputs + best] as number))
        best = l;
    }
    if (best !== targets[i]) wrong++;
  }
  return wrong / targets.length;
}
