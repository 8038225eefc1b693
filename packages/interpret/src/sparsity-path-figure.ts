import { InvalidOptionError } from "@convexformer/tensors";
import { type Figure, type FigureDatum, makeFigure } from "./figure.js";
import type { PathPoint } from "./path-summary.js";

/**
 * A regularization path as a picture (scnn's "test accuracy vs neuron sparsity", for tokens):
 * left, the support (nonzero rows and tokens used) against `λ` on a log axis, decreasing to
 * the right; right, the train and test errors against the tokens used, when the path summary
 * has them. The records are `{ lambda, rows, tokens, relativeGap, trainError?, testError? }`.
 *
 * @param points - the path, at least one point (e.g. from {@link pathSummary}); the error panel is
 *   drawn when the points have `trainError` or `testError`
 * @param options - `title`: the figure title (default "Token sparsity along the λ path");
 *   `errorTitle`: the error axis title (default "error")
 * @throws `InvalidOptionError` for an empty path
 *
 * @example
 * ```ts
 * import { sparsityPathFigure, type PathPoint } from "@convexformer/interpret";
 * const base = { relativeGap: 0, status: "converged", iterations: 1, objective: 1 } as const;
 * const points: PathPoint[] = [
 *   { ...base, index: 0, lambda: 1, rows: 0, tokens: 0, trainError: 1, testError: 1 },
 *   { ...base, index: 1, lambda: 0.1, rows: 3, tokens: 2, trainError: 0.2, testError: 0.3 },
 * ];
 * const f = await sparsityPathFigure(points);
 * f.data.length; // 2
 * ```
 */
export async function sparsityPathFigure(
  points: readonly PathPoint[],
  options: { readonly title?: string; readonly errorTitle?: string } = {},
): Promise<Figure> {
  if (points.length === 0) throw new InvalidOptionError("points", "[]", "the path is empty");
  const data: FigureDatum[] = points.map((p, i) => {
    if (!(Number.isFinite(p.lambda) && p.lambda > 0)) {
      throw new InvalidOptionError(`points[${i}].lambda`, p.lambda, "must be finite and > 0");
    }
    const d: Record<string, string | number> = { lambda: p.lambda, rows: p.rows, tokens: p.tokens };
    if (Number.isFinite(p.relativeGap)) d.relativeGap = p.relativeGap;
    if (p.trainError !== undefined && Number.isFinite(p.trainError)) d.trainError = p.trainError;
    if (p.testError !== undefined && Number.isFinite(p.testError)) d.testError = p.testError;
    return d;
  });
  const support = {
    width: 300,
    height: 200,
    transform: [{ fold: ["rows", "tokens"], as: ["measure", "count"] }],
    mark: { type: "line", point: true },
    encoding: {
      x: {
        field: "lambda",
        type: "quantitative",
        title: "λ (log scale, decreasing →)",
        scale: { type: "log", reverse: true, nice: false },
        axis: { format: ".1e", labelOverlap: "greedy" },
      },
      y: { field: "count", type: "quantitative", title: "support size" },
      color: {
        field: "measure",
        type: "nominal",
        title: "support",
        scale: { domain: ["rows", "tokens"], range: ["#4c78a8", "#f58518"] },
        legend: {
          labelExpr: "datum.label === 'rows' ? 'nonzero rows (heads)' : 'tokens used'",
          labelLimit: 240,
        },
      },
    },
  };
  const errorFields = ["trainError", "testError"].filter((f) =>
    data.some((d) => d[f] !== undefined),
  );
  const panels: Record<string, unknown>[] = [support];
  if (errorFields.length > 0) {
    panels.push({
      width: 300,
      height: 200,
      transform: [
        { fold: errorFields, as: ["split", "error"] },
        { filter: "isValid(datum.error)" },
      ],
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "tokens",
          type: "quantitative",
          title: "tokens used",
          axis: { tickMinStep: 1, format: "d" },
        },
        y: { field: "error", type: "quantitative", title: options.errorTitle ?? "error" },
        order: { field: "lambda", sort: "descending" },
        color: {
          field: "split",
          type: "nominal",
          title: "split",
          scale: { domain: ["trainError", "testError"], range: ["#54a24b", "#e45756"] },
          legend: { labelExpr: "datum.label === 'trainError' ? 'train' : 'test'" },
        },
      },
    });
  }
  return makeFigure("sparsity-path", options.title ?? "Token sparsity along the λ path", data, {
    hconcat: panels,
    spacing: 32,
    resolve: { scale: { color: "independent" } },
  });
}
