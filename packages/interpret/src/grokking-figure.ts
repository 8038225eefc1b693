import { InvalidOptionError } from "@convexformer/tensors";
import { type Figure, type FigureDatum, makeFigure } from "./figure.js";

/**
 * One evaluation of a training run: accuracies on the train and validation splits at a step.
 *
 * @example
 * ```ts
 * import type { AccuracyPoint } from "@convexformer/interpret";
 * const p: AccuracyPoint = { step: 250, trainAccuracy: 1, validationAccuracy: 0.42 };
 * ```
 */
export interface AccuracyPoint {
  /** Optimizer step (or solver iteration), `≥ 1` (the axis is logarithmic). */
  readonly step: number;
  /** Train accuracy in `[0, 1]`. */
  readonly trainAccuracy: number;
  /** Validation accuracy in `[0, 1]`. */
  readonly validationAccuracy: number;
}

/**
 * The evaluations of one training run, labelled by its attention kind.
 *
 * @example
 * ```ts
 * import type { AccuracyCurve } from "@convexformer/interpret";
 * const c: AccuracyCurve = { kind: "simplex", points: [{ step: 1, trainAccuracy: 0.1, validationAccuracy: 0.1 }] };
 * ```
 */
export interface AccuracyCurve {
  /** Attention kind (`"softmax"`, `"simplex"`, `"convex (14)"`, …); distinct across curves. */
  readonly kind: string;
  /** Evaluations in increasing step order. */
  readonly points: readonly AccuracyPoint[];
}

/**
 * Grokking curves (experiment E2): train and validation accuracy against the step on a log
 * axis, one colour per attention kind, solid for train and dashed for validation, with the
 * 99 % line marked. The records are `{ kind, split, step, accuracy }`.
 *
 * @param curves - one curve per attention kind, at least one, with distinct `kind`s; each a
 *   non-empty list of `{ step, trainAccuracy, validationAccuracy }` with steps ≥ 1 in increasing
 *   order and accuracies in `[0, 1]`
 * @param options - `title`: the figure title (default "Train and validation accuracy")
 * @throws `InvalidOptionError` for no curves, repeated kinds, an empty curve, a step `< 1`,
 *   steps out of order, or an accuracy outside `[0, 1]`
 *
 * @example
 * ```ts
 * import { grokkingFigure } from "@convexformer/interpret";
 * const f = await grokkingFigure([{ kind: "simplex", points: [
 *   { step: 1, trainAccuracy: 0.1, validationAccuracy: 0.05 },
 *   { step: 100, trainAccuracy: 1, validationAccuracy: 0.995 },
 * ] }]);
 * f.data.length; // 4
 * ```
 */
export async function grokkingFigure(
  curves: readonly AccuracyCurve[],
  options: { readonly title?: string } = {},
): Promise<Figure> {
  if (curves.length === 0)
    throw new InvalidOptionError("curves", "[]", "must hold at least one curve");
  const kinds = curves.map((c) => c.kind);
  if (new Set(kinds).size !== kinds.length) {
    throw new InvalidOptionError("curves", kinds, "attention kinds must be distinct");
  }
  const data: FigureDatum[] = [];
  curves.forEach((curve, c) => {
    if (curve.points.length === 0)
      throw new InvalidOptionError(`curves[${c}].points`, "[]", "is empty");
    let last = 0;
    curve.points.forEach((p, i) => {
      const at = `curves[${c}].points[${i}]`;
      if (!(Number.isFinite(p.step) && p.step >= 1 && p.step > last)) {
        throw new InvalidOptionError(`${at}.step`, p.step, "steps must be >= 1 and increasing");
      }
      last = p.step;
      for (const [name, v] of [
        ["trainAccuracy", p.trainAccuracy],
        ["validationAccuracy", p.validationAccuracy],
      ] as const) {
        if (!(v >= 0 && v <= 1))
          throw new InvalidOptionError(`${at}.${name}`, v, "must be in [0, 1]");
      }
      data.push({ kind: curve.kind, split: "train", step: p.step, accuracy: p.trainAccuracy });
      data.push({
        kind: curve.kind,
        split: "validation",
        step: p.step,
        accuracy: p.validationAccuracy,
      });
    });
  });
  return makeFigure("grokking", options.title ?? "Train and validation accuracy", data, {
    width: 440,
    height: 240,
    layer: [
      {
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          x: {
            field: "step",
            type: "quantitative",
            title: "step",
            scale: { type: "log", nice: false },
            axis: { format: "~s" },
          },
          y: {
            field: "accuracy",
            type: "quantitative",
            title: "accuracy",
            scale: { domain: [0, 1] },
            axis: { format: "%" },
          },
          color: {
            field: "kind",
            type: "nominal",
            title: "attention",
            sort: kinds,
            legend: { labelLimit: 280 },
          },
          strokeDash: {
            field: "split",
            type: "nominal",
            title: "split",
            sort: ["train", "validation"],
          },
          detail: { field: "split" },
        },
      },
      {
        data: { values: [{ accuracy: 0.99, label: "99 %" }] },
        layer: [
          {
            mark: { type: "rule", color: "#888", strokeDash: [2, 2] },
            encoding: { y: { field: "accuracy", type: "quantitative" } },
          },
          {
            mark: {
              type: "text",
              align: "left",
              baseline: "top",
              dx: 4,
              dy: 4,
              color: "#555",
              fontSize: 11,
            },
            encoding: {
              y: { field: "accuracy", type: "quantitative" },
              x: { value: 0 },
              text: { field: "label" },
            },
          },
        ],
      },
    ],
  });
}
