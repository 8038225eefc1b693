import { InvalidOptionError, type Matrix, ShapeMismatchError } from "@convexformer/tensors";
import { type Figure, type FigureDatum, makeFigure } from "./figure.js";
import { cellStep, heatmapEncoding, labels } from "./heatmap-figure.js";

/**
 * One panel of {@link modelComparisonFigure}: a model's attention map over the same tokens.
 *
 * @example
 * ```ts
 * import type { ComparisonPanel } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const panel: ComparisonPanel = { model: "convex (12)", map: Matrix.fromRows([[0, 1, 0]]), rowTitle: "output" };
 * ```
 */
export interface ComparisonPanel {
  /** The model's name (the panel title; distinct across panels). */
  readonly model: string;
  /** Its map, nonnegative, `rows × n` (all panels have the same `n`). */
  readonly map: Matrix;
  /** Row labels (default `"1"`, `"2"`, …). */
  readonly rowLabels?: readonly string[];
  /** Title of the row axis (default `"query token"`). */
  readonly rowTitle?: string;
}

/**
 * Side-by-side heatmaps of several models' attention maps (convex / nonconvex simplex /
 * standard softmax) on one shared colour scale. Every row is normalized to sum 1 first, so
 * each row is the share of attention per token (a convex token-importance row `‖z_k‖` becomes
 * its token profile); all-zero rows stay 0. The records are `{ model, row, column, value }`.
 * The colour scale runs from 0 to the largest share in any panel (so that maps spread over
 * many tokens keep their contrast), the same scale for every panel.
 *
 * @param panels - one panel per model, at least one, with distinct `model` names; each `map` is a
 *   nonnegative `rows × n` matrix, `n` the same for every panel
 * @param options - `title`: the figure title (default "Attention maps side by side (rows
 *   normalized)")
 * @throws `ShapeMismatchError` when the panels have different token counts; `InvalidOptionError`
 *   for a negative entry, no panels or repeated model names
 *
 * @example
 * ```ts
 * import { modelComparisonFigure } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const f = await modelComparisonFigure([
 *   { model: "convex", map: Matrix.fromRows([[0, 2]]) },
 *   { model: "softmax", map: Matrix.fromRows([[0.5, 0.5], [0.4, 0.6]]) },
 * ]);
 * f.data[1]; // { model: "convex", row: "1", column: "2", value: 1 }
 * ```
 */
export async function modelComparisonFigure(
  panels: readonly ComparisonPanel[],
  options: { readonly title?: string } = {},
): Promise<Figure> {
  const first = panels[0];
  if (first === undefined)
    throw new InvalidOptionError("panels", "[]", "must hold at least one panel");
  const n = first.map.cols;
  if (new Set(panels.map((p) => p.model)).size !== panels.length) {
    throw new InvalidOptionError(
      "panels",
      panels.map((p) => p.model),
      "model names must be distinct",
    );
  }
  const columnLabels = labels("columns", undefined, n);
  const data: FigureDatum[] = [];
  const panelRows: { panel: ComparisonPanel; rowLabels: readonly string[] }[] = [];
  let largestShare = 0;
  panels.forEach((panel, p) => {
    const { map } = panel;
    if (map.cols !== n) {
      throw new ShapeMismatchError(
        `panels[${p}].map`,
        `expected ${n} token columns (as panels[0]), got ${map.cols}`,
      );
    }
    const rowLabels = labels(`panels[${p}].rowLabels`, panel.rowLabels, map.rows);
    for (let i = 0; i < map.rows; i++) {
      let total = 0;
      for (let k = 0; k < n; k++) {
        const v = map.data[i * n + k] as number;
        if (!(Number.isFinite(v) && v >= 0)) {
          throw new InvalidOptionError(
            `panels[${p}].map[${i}, ${k}]`,
            v,
            "must be finite and >= 0",
          );
        }
        total += v;
      }
      for (let k = 0; k < n; k++) {
        const v = map.data[i * n + k] as number;
        data.push({
          model: panel.model,
          row: rowLabels[i] as string,
          column: columnLabels[k] as string,
          value: total > 0 ? v / total : 0,
        });
        if (total > 0) largestShare = Math.max(largestShare, v / total);
      }
    }
    panelRows.push({ panel, rowLabels });
  });
  const colorDomain: readonly [number, number] = [0, largestShare > 0 ? largestShare : 1];
  const specs = panelRows.map(({ panel, rowLabels }) => ({
    title: { text: panel.model, fontSize: 12 },
    transform: [{ filter: { field: "model", equal: panel.model } }],
    width: { step: cellStep(n) },
    height: { step: cellStep(panel.map.rows) },
    mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
    encoding: heatmapEncoding(
      rowLabels,
      columnLabels,
      {
        rowTitle: panel.rowTitle ?? "query token",
        columnTitle: "token",
        colorTitle: "attention share",
      },
      colorDomain,
    ),
  }));
  return makeFigure(
    "model-comparison",
    options.title ?? "Attention maps side by side (rows normalized)",
    data,
    {
      hconcat: specs,
      spacing: 28,
      resolve: { scale: { color: "shared" } },
    },
  );
}
