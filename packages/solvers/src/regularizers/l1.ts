import { assertInteger, assertKnownOptions } from "@convexformer/tensors";
import type { Regularizer } from "../regularizer.js";
import { GroupL2Regularizer, validateGroups } from "./group-l2.js";

/**
 * Options of {@link l1}.
 *
 * @example
 * ```ts
 * import { type L1Options, l1 } from "@convexformer/solvers";
 * const options: L1Options = { weights: [1, 10] };
 * const reg = l1(2, options);
 * reg.value(new Float64Array([-1, 0.5])); // 6
 * ```
 */
export interface L1Options {
  /** `dim` positive finite weights. Default all 1. */
  readonly weights?: Float64Array | readonly number[];
}

/**
 * The weighted ℓ1 norm `R(x) = Σ_i w_i |x_i|`: group ℓ2 with groups of size one (prox:
 * soft-thresholding; polar: `max_i |v_i| / w_i`).
 *
 * @param dim - length of `x`, an integer `≥ 1`
 * @param options - `weights`: `dim` positive finite weights `w_i` (default all 1); unknown
 *   keys throw `InvalidOptionError`
 * @example
 * ```ts
 * import { l1 } from "@convexformer/solvers";
 * l1(3).value(new Float64Array([1, -2, 0])); // 3
 * ```
 */
export function l1(dim: number, options: L1Options = {}): Regularizer {
  assertInteger("dim", dim, 1);
  assertKnownOptions("options", options, ["weights"]);
  const ptr = new Int32Array(dim + 1);
  for (let i = 0; i <= dim; i++) ptr[i] = i;
  const groups =
    options.weights === undefined
      ? validateGroups({ ptr })
      : validateGroups({ ptr, weights: options.weights });
  return new GroupL2Regularizer("l1", groups);
}
