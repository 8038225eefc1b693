import {
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  type Matrix,
  ShapeMismatchError,
} from "@convexformer/tensors";

/**
 * Options of {@link terminalHeatmap}.
 *
 * @example
 * ```ts
 * import type { TerminalHeatmapOptions } from "@convexformer/interpret";
 * const options: TerminalHeatmapOptions = { title: "token map", rowLabels: ["output 1"], width: 80 };
 * ```
 */
export interface TerminalHeatmapOptions {
  /** First line of the output. */
  readonly title?: string;
  /** Row labels (default `"1"`, `"2"`, …; cut to 16 characters). */
  readonly rowLabels?: readonly string[];
  /** Maximum line width in characters (default 80, at least 24). */
  readonly width?: number;
}

/** Shades from low to high: blank is exactly 0. */
const SHADES = [" ", "░", "▒", "▓", "█"] as const;

/**
 * A heatmap for the terminal in Unicode blocks (` ░▒▓█`: exactly 0, then quarters of the
 * largest entry), with a token-index ruler and a legend, every line at most `width` columns.
 * Cells are two characters wide when that fits, else one; when even that is too wide,
 * adjacent columns are merged (their maximum) and the ruler says so.
 *
 * @param map - the `rows × n` matrix to draw, entries finite and ≥ 0 (e.g. a token map's
 *   `perOutput`)
 * @param options - {@link TerminalHeatmapOptions}: `title`, `rowLabels` (one per row) and `width`
 *   (default 80, at least 24); unknown keys are errors
 * @throws `InvalidOptionError` for a negative or non-finite entry or a bad width;
 *   `ShapeMismatchError` for a wrong number of row labels
 *
 * @example
 * ```ts
 * import { terminalHeatmap } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * console.log(terminalHeatmap(Matrix.fromRows([[0, 0.875, 0.2]]), { rowLabels: ["output 1"] }));
 * // output 1 │  ██░░│ (and a ruler and legend line)
 * ```
 */
export function terminalHeatmap(map: Matrix, options: TerminalHeatmapOptions = {}): string {
  assertKnownOptions("options", options, ["title", "rowLabels", "width"]);
  const width = options.width ?? 80;
  assertInteger("options.width", width, 24);
  const rowLabels = (
    options.rowLabels ?? Array.from({ length: map.rows }, (_, i) => String(i + 1))
  ).map((l) => (l.length > 16 ? `${l.slice(0, 15)}…` : l));
  if (rowLabels.length !== map.rows) {
    throw new ShapeMismatchError(
      "options.rowLabels",
      `expected ${map.rows} labels, got ${rowLabels.length}`,
    );
  }
  let max = 0;
  for (let e = 0; e < map.data.length; e++) {
    const v = map.data[e] as number;
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new InvalidOptionError(
        `map[${Math.floor(e / map.cols)}, ${e % map.cols}]`,
        v,
        "must be finite and >= 0",
      );
    }
    max = Math.max(max, v);
  }
  const labelWidth = Math.max(1, ...rowLabels.map((l) => l.length));
  const room = width - labelWidth - 3; // " │" before and "│" after the cells
  const n = map.cols;
  const cell = 2 * n <= room ? 2 : 1;
  const bin = Math.max(1, Math.ceil(n / Math.max(1, room)));
  const cells = Math.ceil(n / bin);
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title.slice(0, width));
  const shade = (v: number): string => {
    if (v === 0 || max === 0) return SHADES[0];
    return SHADES[Math.min(4, Math.max(1, Math.ceil((v / max) * 4)))] as string;
  };
  for (let i = 0; i < map.rows; i++) {
    let row = "";
    for (let b = 0; b < cells; b++) {
      let v = 0;
      for (let k = b * bin; k < Math.min(n, (b + 1) * bin); k++)
        v = Math.max(v, map.data[i * n + k] as number);
      row += shade(v).repeat(cell);
    }
    lines.push(`${(rowLabels[i] as string).padStart(labelWidth)} │${row}│`);
  }
  // ruler: token index of the first column of every 5th cell (and the first)
  const ruler = Array.from({ length: cells * cell }, () => " ");
  for (let b = 0; b < cells; b += 5) {
    const label = String(b * bin + 1);
    if (b * cell + label.length <= ruler.length)
      for (let c = 0; c < label.length; c++) ruler[b * cell + c] = label[c] as string;
  }
  lines.push(`${"token".padStart(labelWidth)}  ${ruler.join("")}`.slice(0, width).trimEnd());
  if (bin > 1) lines.push(`(${bin} tokens per cell, max shown)`.slice(0, width));
  const q = (f: number): string => (max * f).toPrecision(2);
  lines.push(
    `legend: "${SHADES[0]}" 0  ${SHADES[1]} ≤${q(0.25)}  ${SHADES[2]} ≤${q(0.5)}  ${SHADES[3]} ≤${q(0.75)}  ${SHADES[4]} ≤${q(1)}`.slice(
      0,
      width,
    ),
  );
  return lines.join("\n");
}
