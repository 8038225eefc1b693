import { InvalidOptionError, ShapeMismatchError, validateInteger } from "@convexformer/tensors";

/**
 * Options shared by the shipped losses.
 *
 * @example
 * ```ts
 * import { type LossOptions, squaredLoss } from "@convexformer/solvers";
 * const mean: LossOptions = { scaling: "mean" };
 * const y = new Float64Array([2, 0, 0, 0]);
 * squaredLoss(y).value(new Float64Array(4)); // 2
 * squaredLoss(y, mean).value(new Float64Array(4)); // 0.5
 * ```
 */
export interface LossOptions {
  /**
   * `"sum"` (default) sums the loss over samples; `"mean"` divides the value, gradient,
   * Hessian and conjugate by the number of samples.
   */
  readonly scaling?: "sum" | "mean";
}

/** @internal Validates `scaling`, returns it and the factor `1/N` or `1`. */
export function validateScaling(
  scaling: unknown,
  samples: number,
): { scaling: "sum" | "mean"; factor: number } {
  if (scaling === undefined || scaling === "sum") return { scaling: "sum", factor: 1 };
  if (scaling === "mean") return { scaling: "mean", factor: samples > 0 ? 1 / samples : 1 };
  throw new InvalidOptionError("options.scaling", scaling, 'must be "sum" or "mean"');
}

/** @internal Number of samples of a label vector of `length` entries with `outputs` per sample. */
export function samplesOf(argument: string, length: number, outputs: number): number {
  validateInteger("options.outputs", outputs, 1);
  if (length === 0) throw new ShapeMismatchError(argument, "is empty; a loss needs samples >= 1");
  if (length % outputs !== 0) {
    throw new ShapeMismatchError(
      argument,
      `length ${length} is not a multiple of outputs = ${outputs}`,
    );
  }
  return length / outputs;
}

/** @internal Checks the length of a predictions-shaped argument. */
export function validateSize(argument: string, array: Float64Array, size: number): void {
  if (array.length !== size) {
    throw new ShapeMismatchError(argument, `expected length ${size}, got ${array.length}`);
  }
}
