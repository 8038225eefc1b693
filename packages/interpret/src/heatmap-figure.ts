import {
  InvalidOptionError,
  type Matrix,
  NonFiniteInputError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import { type Figure, type FigureDatum, makeFigure } from "./figure.js";

/**
 * What {@link heatmapFigure} draws: a nonnegative matrix with labelled rows and columns.
 *
 * @example
 * ```ts
 * import type { HeatmapInput } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const input: HeatmapInput = { values: Matrix.fromRows([[0, 0.875]]), rowLabels: ["output 1"], columnTitle: "token" };
 * ```
 */
export interface HeatmapInput {
  /** The values (`rows × cols`, finite). */
  readonly values: Matrix;
  /** Row labels (default `"1"`, `"2"`, …). */
  readonly rowLabels?: readonly string[];
  /** Column labels (default `"1"`, `"2"`, …). */
  readonly columnLabels?: readonly string[];
  /** Title of the row axis (default `"row"`). */
  readonly rowTitle?: string;
  /** Title of the column axis (default `"token"`). */
  readonly columnTitle?: string;
  /** Title of the colour legend (default `"value"`). */
  readonly colorTitle?: string;
  /** Figure title (default `"Token map"`). */
  readonly title?: string;
}

/**
 * A token-map heatmap as SVG: one rectangle per entry, labelled axes, a colour legend (the
 * "blues" scheme from 0, so an unused token is white-ish). Returns the SVG, the spec and the
 * records `{ row, column, value }` it plots.
 *
 * @param input - {@link HeatmapInput}: the `rows × cols` matrix of finite `values` (required),
 *   optional row and column labels (one per row / column), axis, legend and figure titles
 * @throws `ShapeMismatchError` when the label lists do not match the matrix;
 *   `NonFiniteInputError` for a non-finite entry (its row-major index)
 *
 * @example
 * ```ts
 * import { heatmapFigure } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const f = await heatmapFigure({ values: Matrix.fromRows([[0, 0.875]]), rowLabels: ["output 1"] });
 * f.data.length; // 2
 * ```
 */
export async function heatmapFigure(input: HeatmapInput): Promise<Figure> {
  const { values } = input;
  const rowLabels = labels("input.rowLabels", input.rowLabels, values.rows);
  const columnLabels = labels("input.columnLabels", input.columnLabels, values.cols);
  const data: FigureDatum[] = [];
  for (let i = 0; i < values.rows; i++) {
    for (let k = 0; k < values.cols; k++) {
      const v = values.data[i * values.cols + k] as number;
      if (!Number.isFinite(v))
        throw new NonFiniteInputError("input.values", i * values.cols + k, v);
      data.push({ row: rowLabels[i] as string, column: columnLabels[k] as string, value: v });
    }
  }
  return makeFigure("token-map", input.title ?? "Token map", data, {
    width: { step: cellStep(values.cols) },
    height: { step: cellStep(values.rows) },
    mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
    encoding: heatmapEncoding(rowLabels, columnLabels, input),
  });
}

/** The rect encoding shared by the heatmaps (internal). */
export function heatmapEncoding(
  rowLabels: readonly string[],
  columnLabels: readonly string[],
  input: {
    readonly rowTitle?: string;
    readonly columnTitle?: string;
    readonly colorTitle?: string;
  },
  domain?: readonly [number, number],
): Record<string, unknown> {
  return {
    x: {
      field: "column",
      type: "ordinal",
      sort: columnLabels,
      title: input.columnTitle ?? "token",
      axis: { labelAngle: 0, labelOverlap: "greedy" },
    },
    y: { field: "row", type: "ordinal", sort: rowLabels, title: input.rowTitle ?? "row" },
    color: {
      field: "value",
      type: "quantitative",
      title: input.colorTitle ?? "value",
      scale: { scheme: "blues", zero: true, ...(domain !== undefined ? { domain } : {}) },
      legend: { format: ".2~g", gradientLength: 120 },
    },
  };
}

/** Cell size in pixels: 28 for small maps, down to 8 for large ones (internal). */
export function cellStep(count: number): number {
  return Math.max(8, Math.min(28, Math.floor(480 / Math.max(1, count))));
}

/** Checked labels, or `"1"…"count"` (internal). */
export function labels(
  argument: string,
  given: readonly string[] | undefined,
  count: number,
): string[] {
  if (given === undefined) return Array.from({ length: count }, (_, i) => String(i + 1));
  if (given.length !== count) {
    throw new ShapeMismatchError(argument, `expected ${count} labels, got ${given.length}`);
  }
  if (new Set(given).size !== given.length) {
    throw new InvalidOptionError(argument, given, "labels must be distinct");
  }
  return Array.from(given);
}
