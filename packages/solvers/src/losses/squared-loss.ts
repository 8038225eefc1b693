import { Matrix, validateFinite, validateKnownOptions } from "@convexformer/tensors";
import type { SmoothLoss } from "../smooth-loss.js";
import { type LossOptions, samplesOf, validateScaling, validateSize } from "./loss-options.js";

/**
 * Options of {@link squaredLoss}.
 *
 * @example
 * ```ts
 * import { type SquaredLossOptions, squaredLoss } from "@convexformer/solvers";
 * const options: SquaredLossOptions = { outputs: 2, scaling: "mean" };
 * const loss = squaredLoss(new Float64Array([1, 1, 0, 0]), options); // N = 2 samples, c = 2
 * loss.samples; // 2
 * loss.value(new Float64Array(4)); // 0.5
 * ```
 */
export interface SquaredLossOptions extends LossOptions {
  /** Outputs per sample `c` when `targets` is a flat vector. Default 1 (a `Matrix` gives its `cols`). */
  readonly outputs?: number;
}

const OPTION_NAMES = ["scaling", "outputs"] as const;

/**
 * The squared loss `F(ŷ) = ½‖ŷ − y‖²` (divided by `N` under `scaling: "mean"`), with
 * conjugate dual `D(u) = −½‖u‖² + uᵀy` (docs/concepts.md#certificates; `−(N/2)‖u‖² + uᵀy` under mean scaling).
 *
 * @param targets - `y`: a flat `N·c` vector (sample-major) or an `N × c` matrix; copied
 * @param options - `outputs` (`c`) and `scaling`
 * @throws NonFiniteInputError when `targets` holds NaN or ±Infinity
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * const loss = squaredLoss(new Float64Array([1, -1]));
 * loss.value(new Float64Array([0, 0])); // 1
 * ```
 */
export function squaredLoss(
  targets: Float64Array | Matrix,
  options: SquaredLossOptions = {},
): SmoothLoss {
  validateKnownOptions("options", options, OPTION_NAMES);
  const flat = targets instanceof Matrix ? targets.data : targets;
  const outputs = targets instanceof Matrix ? targets.cols : (options.outputs ?? 1);
  if (
    targets instanceof Matrix &&
    options.outputs !== undefined &&
    options.outputs !== targets.cols
  ) {
    samplesOf("targets", targets.cols, options.outputs); // names the mismatch
  }
  const samples = samplesOf("targets", flat.length, outputs);
  validateFinite("targets", flat);
  const { scaling, factor } = validateScaling(options.scaling, samples);
  const y = Float64Array.from(flat);
  const size = y.length;
  return {
    name: "squared",
    samples,
    outputs,
    size,
    scaling,
    smoothness: factor,
    value(predictions) {
      validateSize("predictions", predictions, size);
      let s = 0;
      for (let i = 0; i < size; i++) {
        const r = (predictions[i] as number) - (y[i] as number);
        s += r * r;
      }
      return 0.5 * factor * s;
    },
    gradient(predictions, out) {
      validateSize("predictions", predictions, size);
      validateSize("out", out, size);
      let s = 0;
      for (let i = 0; i < size; i++) {
        const r = (predictions[i] as number) - (y[i] as number);
        s += r * r;
        out[i] = factor * r;
      }
      return 0.5 * factor * s;
    },
    hessianVector(predictions, v, out) {
      validateSize("predictions", predictions, size);
      validateSize("v", v, size);
      validateSize("out", out, size);
      for (let i = 0; i < size; i++) out[i] = factor * (v[i] as number);
    },
    dualValue(u) {
      validateSize("u", u, size);
      let quad = 0;
      let lin = 0;
      for (let i = 0; i < size; i++) {
        const ui = u[i] as number;
        quad += ui * ui;
        lin += ui * (y[i] as number);
      }
      return lin - (0.5 / factor) * quad;
    },
  };
}
