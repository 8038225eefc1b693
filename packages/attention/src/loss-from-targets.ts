import {
  crossEntropyLoss,
  logisticLoss,
  type SmoothLoss,
  squaredLoss,
} from "@convexformer/solvers";
import {
  assertFinite,
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import { type LossName, validateLossName } from "./loss-names.js";

/**
 * Options of {@link lossFromTargets}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { LossFromTargetsOptions } from "@convexformer/attention";
 * const options: LossFromTargetsOptions = { loss: "cross-entropy", rows: 4, outputs: 3 };
 * ```
 */
export interface LossFromTargetsOptions {
  /** The loss (default `"squared"`). */
  readonly loss?: LossName;
  /** Number of prediction rows: samples (scalar, vector, gated) or samples × tokens (sequence). */
  readonly rows: number;
  /** `c`: outputs / classes; inferred from the targets' length except for class indices. */
  readonly outputs?: number;
  /** `"sum"` over rows (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /** Name of the targets in error messages (default `"targets"`), e.g. a file name. */
  readonly argument?: string;
}

const OPTION_NAMES = ["loss", "rows", "outputs", "scaling", "argument"] as const;

/**
 * Targets → the `SmoothLoss` of a convex program (the one definition of this step, used by
 * {@link fitConvexAttention} and the CLI). The targets hold `rows × c` values row-major
 * (labels `±1` for `"logistic"`, probability rows for `"cross-entropy"`), or, for
 * `"cross-entropy"` only, `rows` class indices in an `Int32Array` (then `outputs` is required).
 *
 * @param targets - `rows × c` values row-major in a `Float64Array` (labels `±1` for `"logistic"`,
 *   probability rows for `"cross-entropy"`), or `rows` class indices in `[0, c)` in an `Int32Array`
 *   (`"cross-entropy"` only); finite entries
 * @param options - {@link LossFromTargetsOptions}: `rows` (an integer ≥ 1) is required; `loss`
 *   (default `"squared"`), `outputs` (required with class indices), `scaling` (default `"sum"`),
 *   `argument`; unknown keys are errors
 * @throws `ShapeMismatchError` naming the targets when their length is not `rows × c`;
 *   `InvalidOptionError` for a class index out of `[0, c)`, class indices with another loss,
 *   a missing `outputs`, an unknown loss or option; `NonFiniteInputError` for non-finite targets
 *
 * @example
 * ```ts
 * import { lossFromTargets } from "@convexformer/attention";
 * const loss = lossFromTargets(new Int32Array([0, 2, 1]), { loss: "cross-entropy", rows: 3, outputs: 3 });
 * loss.size;    // 9: three rows of three logits
 * const squared = lossFromTargets(new Float64Array([1, -1, 0, 2]), { rows: 2 });
 * squared.outputs; // 2 (inferred: 4 values / 2 rows)
 * squared.value(new Float64Array([1, -1, 0, 2])); // 0
 * ```
 */
export function lossFromTargets(
  targets: Float64Array | Int32Array,
  options: LossFromTargetsOptions,
): SmoothLoss {
  assertKnownOptions("options", options, OPTION_NAMES);
  const argument = options.argument ?? "targets";
  if (typeof argument !== "string") {
    throw new InvalidOptionError("options.argument", argument, "must be a string");
  }
  const kind = options.loss ?? "squared";
  validateLossName("options.loss", kind);
  assertInteger("options.rows", options.rows, 1);
  const rows = options.rows;
  if (!(targets instanceof Float64Array || targets instanceof Int32Array)) {
    throw new InvalidOptionError(
      argument,
      typeof targets,
      "must be a Float64Array or an Int32Array of class indices",
    );
  }
  assertFinite(argument, targets);
  const scaling = options.scaling ?? "sum";
  if (scaling !== "sum" && scaling !== "mean") {
    throw new InvalidOptionError("options.scaling", scaling, 'must be "sum" or "mean"');
  }
  if (options.outputs !== undefined) assertInteger("options.outputs", options.outputs, 1);
  if (targets instanceof Int32Array) {
    if (kind !== "cross-entropy") {
      throw new InvalidOptionError(
        argument,
        "Int32Array",
        `class indices need loss "cross-entropy", not "${kind}"`,
      );
    }
    if (targets.length !== rows) {
      throw new ShapeMismatchError(
        argument,
        `expected ${rows} class indices, got ${targets.length}`,
      );
    }
    const classes = options.outputs;
    if (classes === undefined) {
      throw new InvalidOptionError(
        "options.outputs",
        undefined,
        "the number of classes is required with class indices",
      );
    }
    for (let i = 0; i < targets.length; i++) {
      const k = targets[i] as number;
      if (k < 0 || k >= classes) {
        throw new InvalidOptionError(`${argument}[${i}]`, k, `must be a class in [0, ${classes})`);
      }
    }
    return crossEntropyLoss(targets, { classes, scaling });
  }
  const c = outputsOf(argument, targets.length, rows, options.outputs);
  if (kind === "cross-entropy") return crossEntropyLoss(targets, { classes: c, scaling });
  if (kind === "logistic") return logisticLoss(targets, { outputs: c, scaling });
  return squaredLoss(targets, { outputs: c, scaling });
}

function outputsOf(
  argument: string,
  length: number,
  rows: number,
  outputs: number | undefined,
): number {
  const c = outputs ?? length / rows;
  if (!Number.isSafeInteger(c) || c < 1 || length !== rows * c) {
    throw new ShapeMismatchError(
      argument,
      `expected ${rows} × c values${outputs !== undefined ? ` (c = ${outputs})` : ""}, got ${length}`,
    );
  }
  return c;
}
