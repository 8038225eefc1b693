import { InvalidOptionError } from "@convexformer/tensors";

/**
 * The convex losses of the whole project, by name (the one definition: the convex programs,
 * {@link fitConvexAttention}, the CLI's problem files and the tfjs baselines all use it):
 * - `"squared"`: `½‖ŷ − y‖²` per sample;
 * - `"logistic"`: `Σ_l log(1 + exp(−y_l ŷ_l))`, labels `±1`;
 * - `"cross-entropy"`: softmax cross-entropy over the `c` outputs (class indices or
 *   probability rows).
 *
 * @example
 * ```ts
 * import { LOSS_NAMES } from "@convexformer/attention";
 * LOSS_NAMES.join(", "); // "squared, logistic, cross-entropy"
 * ```
 */
export const LOSS_NAMES = ["squared", "logistic", "cross-entropy"] as const;

/**
 * One of {@link LOSS_NAMES}.
 *
 * @example
 * ```ts
 * import type { LossName } from "@convexformer/attention";
 * const loss: LossName = "logistic";
 * ```
 */
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * Throws `InvalidOptionError` naming `argument` unless `value` is one of {@link LOSS_NAMES}.
 *
 * @param argument - the name the error message gives the value (e.g. `"options.loss"`, a
 *   command-line flag)
 * @param value - the value to check; it passes when it is one of {@link LOSS_NAMES} (`"squared"`,
 *   `"logistic"`, `"cross-entropy"`)
 *
 * @example
 * ```ts
 * import { InvalidOptionError, validateLossName } from "@convexformer/attention";
 * validateLossName("loss", "squared"); // passes
 * let code = "";
 * try {
 *   validateLossName("loss", "hinge");
 * } catch (e) {
 *   if (e instanceof InvalidOptionError) code = e.code;
 * }
 * code; // "invalid-option"
 * ```
 */
export function validateLossName(argument: string, value: unknown): asserts value is LossName {
  if (!LOSS_NAMES.includes(value as LossName)) {
    throw new InvalidOptionError(argument, value, `must be one of ${LOSS_NAMES.join(", ")}`);
  }
}
