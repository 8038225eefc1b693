import { assertFinite, assertKnownOptions, InvalidOptionError } from "@convexformer/tensors";
import type { SmoothLoss } from "../smooth-loss.js";
import { PROBABILITY_SLACK, sigmoid, softplus, xlogxNeg } from "./entropy.js";
import { type LossOptions, samplesOf, validateScaling, validateSize } from "./loss-options.js";

/**
 * Options of {@link logisticLoss}.
 *
 * @example
 * ```ts
 * import { type LogisticLossOptions, logisticLoss } from "@convexformer/solvers";
 * const options: LogisticLossOptions = { outputs: 2 };
 * const loss = logisticLoss(new Float64Array([1, -1, 1, 1]), options);
 * loss.samples; // 2
 * loss.value(new Float64Array(4)); // 4 * Math.log(2)
 * ```
 */
export interface LogisticLossOptions extends LossOptions {
  /** Independent binary outputs per sample. Default 1. */
  readonly outputs?: number;
}

const OPTION_NAMES = ["scaling", "outputs"] as const;

/**
 * The logistic loss `F(ŷ) = Σ_i log(1 + exp(−y_i ŷ_i))` for labels `y_i ∈ {−1, +1}` (divided by
 * `N` under `scaling: "mean"`). Its dual value is the binary entropy (docs/concepts.md#certificates):
 * `D(u) = Σ_i H(y_i u_i)`, `−Infinity` unless every `y_i u_i ∈ [0, 1]`.
 *
 * @param labels - one label per prediction, each exactly `−1` or `+1`; copied
 * @param options - `outputs` and `scaling`
 * @throws InvalidOptionError naming `labels[i]` for a label that is not ±1
 * @example
 * ```ts
 * import { logisticLoss } from "@convexformer/solvers";
 * const loss = logisticLoss(new Float64Array([1, -1]));
 * loss.value(new Float64Array([0, 0])); // 2 * Math.log(2)
 * ```
 */
export function logisticLoss(
  labels: ArrayLike<number>,
  options: LogisticLossOptions = {},
): SmoothLoss {
  assertKnownOptions("options", options, OPTION_NAMES);
  const outputs = options.outputs ?? 1;
  const samples = samplesOf("labels", labels.length, outputs);
  const y = Float64Array.from(labels);
  assertFinite("labels", y);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1 && y[i] !== -1)
      throw new InvalidOptionError(`labels[${i}]`, y[i], "must be -1 or +1");
  }
  const { scaling, factor } = validateScaling(options.scaling, samples);
  const size = y.length;
  return {
    name: "logistic",
    samples,
    outputs,
    size,
    scaling,
    smoothness: 0.25 * factor,
    value(predictions) {
      validateSize("predictions", predictions, size);
      let s = 0;
      for (let i = 0; i < size; i++) s += softplus(-(y[i] as number) * (predictions[i] as number));
      return factor * s;
    },
    gradient(predictions, out) {
      validateSize("predictions", predictions, size);
      validateSize("out", out, size);
      let s = 0;
      for (let i = 0; i < size; i++) {
        const yi = y[i] as number;
        const m = -yi * (predictions[i] as number);
        s += softplus(m);
        out[i] = -factor * yi * sigmoid(m);
      }
      return factor * s;
    },
    hessianVector(predictions, v, out) {
      validateSize("predictions", predictions, size);
      validateSize("v", v, size);
      validateSize("out", out, size);
      for (let i = 0; i < size; i++) {
        const p = sigmoid(predictions[i] as number);
        out[i] = factor * p * (1 - p) * (v[i] as number);
      }
    },
    dualValue(u) {
      validateSize("u", u, size);
      let h = 0;
      for (let i = 0; i < size; i++) {
        let q = ((y[i] as number) * (u[i] as number)) / factor;
        if (!(q >= -PROBABILITY_SLACK && q <= 1 + PROBABILITY_SLACK))
          return Number.NEGATIVE_INFINITY;
        q = Math.min(1, Math.max(0, q));
        h += xlogxNeg(q) + xlogxNeg(1 - q);
      }
      return factor * h;
    },
  };
}
