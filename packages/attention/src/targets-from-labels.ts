import { ConvexformerError, ShapeMismatchError } from "@convexformer/tensors";
import type { LossName } from "./loss-names.js";

/**
 * Largest class count inferred from labels without an explicit `classes`.
 *
 * @example
 * ```ts
 * import { MAX_INFERRED_CLASSES } from "@convexformer/attention";
 * MAX_INFERRED_CLASSES; // 1000
 * ```
 */
export const MAX_INFERRED_CLASSES = 1000;

/**
 * Options of {@link targetsFromLabels}.
 *
 * @example
 * ```ts
 * import type { TargetsFromLabelsOptions } from "@convexformer/attention";
 * const options: TargetsFromLabelsOptions = { loss: "cross-entropy", shape: [4], argument: "y.npy" };
 * ```
 */
export interface TargetsFromLabelsOptions {
  /** The loss the targets are for. */
  readonly loss: LossName;
  /** The labels' shape: the row axes (`[N]`, or `[N, n]` for one row per token), then optionally `c`. */
  readonly shape: readonly number[];
  /** How many leading axes index prediction rows: 1 (samples, default) or 2 (samples × tokens). */
  readonly rowAxes?: 1 | 2;
  /** Cross-entropy: the number of classes (default the largest label + 1, at least 2). */
  readonly classes?: number;
  /** Names the labels in error messages (default `"labels"`; a file name, a flag). */
  readonly argument?: string;
}

/**
 * Targets built from labels, with how they were mapped.
 *
 * @example
 * ```ts
 * import { targetsFromLabels } from "@convexformer/attention";
 * const t = targetsFromLabels(new Float64Array([0, 1, 1]), { loss: "logistic", shape: [3] });
 * t.mapping; // "0 → -1, 1 → 1"
 * ```
 */
export interface LabelTargets {
  /** `rows · c` values (squared, logistic ±1) or `rows` class indices (cross-entropy). */
  readonly targets: Float64Array | Int32Array;
  /** `c`: outputs per row (classes for cross-entropy). */
  readonly outputs: number;
  /** Prediction rows: the product of the row axes. */
  readonly rows: number;
  /** How the labels were mapped: `"as is"`, `"0 → -1, 1 → 1"` or `"class indices"`. */
  readonly mapping: string;
}

/**
 * Labels as a user writes them → the targets of a loss (the one definition of this step: `fit`,
 * `predict`, `solve`'s problem files and {@link problemFromArrays} use it). The rules:
 * - `"squared"`: the labels as they are, `c` per row;
 * - `"logistic"`: `c` labels per row, all in `{-1, 1}` or all in `{0, 1}` (then 0 → −1); the
 *   two spellings are not mixed. (Where the earlier copies disagreed — `fit` took 0/1, problem
 *   files did not — both are taken now.)
 * - `"cross-entropy"`: one class index per row, an integer `≥ 0`; below `classes` when it is
 *   given, otherwise the count is the largest label + 1 (at least 2), refused above
 *   {@link MAX_INFERRED_CLASSES}.
 *
 * @param labels - the labels, row-major in `shape`; finite
 * @param options - {@link TargetsFromLabelsOptions}: the loss and the shape are required
 * @throws `ShapeMismatchError` for a shape that does not fit the loss; `ConvexformerError`
 *   (`invalid-option`) naming the entry (`sample 2`, `sample 1, token 0`) and its value for a
 *   label the loss does not take
 *
 * @example
 * ```ts
 * import { targetsFromLabels } from "@convexformer/attention";
 * targetsFromLabels(new Float64Array([2, 0, 1]), { loss: "cross-entropy", shape: [3] }).outputs; // 3
 * let message = "";
 * try {
 *   targetsFromLabels(new Float64Array([1, 0.5]), { loss: "logistic", shape: [2], argument: "y.npy" });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message; // "y.npy: sample 1 is 0.5; logistic labels must be -1/1 or 0/1"
 * ```
 */
export function targetsFromLabels(
  labels: Float64Array,
  options: TargetsFromLabelsOptions,
): LabelTargets {
  const { loss, shape } = options;
  const argument = options.argument ?? "labels";
  const leading = options.rowAxes ?? 1;
  if (shape.length < leading || shape.length > leading + 1) {
    throw new ShapeMismatchError(
      argument,
      `expected shape ${leading === 1 ? "[N] or [N, c]" : "[N, n] or [N, n, c]"}, got [${shape.join(", ")}]`,
    );
  }
  const rows = shape.slice(0, leading).reduce((a, b) => a * b, 1);
  const c = shape.length === leading + 1 ? (shape[leading] as number) : 1;
  if (labels.length !== rows * c) {
    throw new ShapeMismatchError(
      argument,
      `shape [${shape.join(", ")}] holds ${rows * c} labels, got ${labels.length}`,
    );
  }
  const axes = leading === 1 ? ["sample"] : ["sample", "token"];
  const where = (i: number, withOutput: boolean) =>
    describeLabel(shape, withOutput ? [...axes, "output"] : axes, i);
  const bad = (detail: string) =>
    new ConvexformerError("invalid-option", `${argument}: ${detail}`, argument);
  if (loss === "squared") return { targets: labels, outputs: c, rows, mapping: "as is" };
  if (loss === "logistic") {
    const first = labels.findIndex((y) => y !== 1 && y !== -1 && y !== 0);
    if (first >= 0)
      throw bad(`${where(first, true)} is ${labels[first]}; logistic labels must be -1/1 or 0/1`);
    const zero = labels.indexOf(0);
    const minus = labels.indexOf(-1);
    if (zero >= 0 && minus >= 0)
      throw bad(
        `${where(Math.max(zero, minus), true)} is ${labels[Math.max(zero, minus)]}, ${where(Math.min(zero, minus), true)} is ${labels[Math.min(zero, minus)]}; logistic labels must be -1/1 or 0/1, not both`,
      );
    return zero >= 0
      ? {
          targets: Float64Array.from(labels, (y) => 2 * y - 1),
          outputs: c,
          rows,
          mapping: "0 → -1, 1 → 1",
        }
      : { targets: labels, outputs: c, rows, mapping: "as is" };
  }
  if (c !== 1)
    throw new ShapeMismatchError(
      argument,
      `cross-entropy takes integer class labels, shape ${leading === 1 ? "[N]" : "[N, n]"}; got [${shape.join(", ")}]`,
    );
  let max = -1;
  let argmax = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < 0)
      throw bad(`${where(i, false)} is ${v}; cross-entropy labels must be integers >= 0`);
    if (options.classes !== undefined && v >= options.classes)
      throw bad(
        `${where(i, false)} is ${v}; with classes = ${options.classes} labels must be < ${options.classes}`,
      );
    if (v > max) {
      max = v;
      argmax = i;
    }
  }
  if (options.classes === undefined && max + 1 > MAX_INFERRED_CLASSES)
    throw bad(
      `the largest label, ${max} (${where(argmax, false)}), would mean ${max + 1} classes; set "classes" if that many are meant (inferred counts stop at ${MAX_INFERRED_CLASSES})`,
    );
  const classes = options.classes ?? Math.max(2, max + 1);
  return { targets: Int32Array.from(labels), outputs: classes, rows, mapping: "class indices" };
}

/** `"sample 3, token 1"`: the entry `flat` of an array of this shape, by its axes (internal). */
function describeLabel(shape: readonly number[], axes: readonly string[], flat: number): string {
  const index: number[] = [];
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const size = shape[k] as number;
    index[k] = size > 0 ? rest % size : 0;
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  return index.map((i, k) => `${axes[k] ?? `axis ${k}`} ${i}`).join(", ");
}
