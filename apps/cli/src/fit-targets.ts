import type { LossName } from "@convexformer/attention";
import { UsageError } from "@convexformer/io";
import { MAX_INFERRED_CLASSES } from "./problem-files.js";

/**
 * The targets a loss needs, built from the labels as written in the data file.
 *
 * @example
 * ```ts
 * import { fitTargets } from "./fit-targets.js"; // internal module
 * const t = fitTargets(new Float64Array([0, 1, 1]), 1, "logistic");
 * Array.from(t.targets); // [-1, 1, 1]
 * ```
 */
export interface FitTargets {
  /** `N · c` values (squared), `N` labels ±1 (logistic) or `N` class indices (cross-entropy). */
  readonly targets: Float64Array | Int32Array;
  /** `c`: outputs of the model (classes for cross-entropy). */
  readonly outputs: number;
  /** How the labels were mapped (`"as is"`, `"0 → -1"`, `"class indices"`). */
  readonly mapping: string;
}

/**
 * Builds the targets of `fitConvexAttention` from the labels: squared takes them as they
 * are (`N × c`); logistic needs one label per sample in `{-1, 1}` or `{0, 1}` (0 becomes -1);
 * cross-entropy needs one class index `0 … C−1` per sample (`C ≤ 1000`, at least 2). Bad
 * labels throw a {@link UsageError} naming the sample and the value.
 *
 * @param labels - `N · labelsPerSample` labels
 * @param labelsPerSample - labels per sample in the file
 * @param loss - the loss
 * @example
 * ```ts
 * import { fitTargets } from "./fit-targets.js"; // internal module
 * fitTargets(new Float64Array([2, 0, 1]), 1, "cross-entropy").outputs; // 3
 * ```
 */
export function fitTargets(
  labels: Float64Array,
  labelsPerSample: number,
  loss: LossName,
): FitTargets {
  if (loss === "squared") return { targets: labels, outputs: labelsPerSample, mapping: "as is" };
  if (labelsPerSample !== 1)
    throw new UsageError(
      `--loss ${loss}: needs one label per sample; the data has ${labelsPerSample} per sample (use --loss squared)`,
    );
  if (loss === "logistic") {
    const zeroOne = labels.every((y) => y === 0 || y === 1);
    const signs = labels.every((y) => y === -1 || y === 1);
    if (!zeroOne && !signs) {
      const i = labels.findIndex((y) => y !== -1 && y !== 1 && y !== 0);
      throw new UsageError(
        `--loss logistic: labels must be -1/1 or 0/1; sample ${i} has label ${labels[i]}`,
      );
    }
    return {
      targets: zeroOne ? Float64Array.from(labels, (y) => 2 * y - 1) : labels,
      outputs: 1,
      mapping: zeroOne ? "0 → -1, 1 → 1" : "as is",
    };
  }
  let classes = 0;
  labels.forEach((y, i) => {
    if (!Number.isSafeInteger(y) || y < 0)
      throw new UsageError(
        `--loss cross-entropy: labels must be class indices (integers >= 0); sample ${i} has label ${y}`,
      );
    if (y >= MAX_INFERRED_CLASSES)
      throw new UsageError(
        `--loss cross-entropy: sample ${i} has label ${y}, more than ${MAX_INFERRED_CLASSES} classes`,
      );
    classes = Math.max(classes, y + 1);
  });
  if (classes < 2)
    throw new UsageError(`--loss cross-entropy: needs at least two classes; got ${classes}`);
  return { targets: Int32Array.from(labels), outputs: classes, mapping: "class indices" };
}
