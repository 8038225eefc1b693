import { InvalidOptionError } from "@convexformer/tensors";
import type { FitOptions } from "./fit-options.js";
import { validateNonnegative } from "./model-input-validation.js";

/**
 * The `λ`s {@link fitConvexAttention} solves for: `options.lambda`, the end of
 * `options.lambdaPath`, or `lambdaRatio · λ_max` (default ratio 0.1); at most one may be given
 * (internal).
 */
export function chooseLambdas(options: FitOptions, top: number): number[] {
  const given = [options.lambda, options.lambdaRatio, options.lambdaPath].filter(
    (v) => v !== undefined,
  ).length;
  if (given > 1) {
    throw new InvalidOptionError(
      "options.lambda",
      options.lambda ?? options.lambdaRatio,
      "give at most one of lambda, lambdaRatio, lambdaPath",
    );
  }
  if (options.lambda !== undefined) {
    validateNonnegative("options.lambda", options.lambda, true);
    return [options.lambda];
  }
  if (options.lambdaPath !== undefined) {
    if (options.lambdaPath.length === 0)
      throw new InvalidOptionError("options.lambdaPath", [], "must hold at least one λ");
    options.lambdaPath.forEach((l, i) => {
      validateNonnegative(`options.lambdaPath[${i}]`, l, true);
    });
    return Array.from(options.lambdaPath);
  }
  const ratio = options.lambdaRatio ?? 0.1;
  validateNonnegative("options.lambdaRatio", ratio, true);
  const lambda = ratio * top;
  if (!(lambda > 0)) {
    throw new InvalidOptionError(
      "options.lambdaRatio",
      ratio,
      "λ_max is 0 (the zero model is optimal for every λ); give lambda explicitly",
    );
  }
  return [lambda];
}
