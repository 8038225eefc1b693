/**
 * A number for a summary table: `digits` significant digits, `–` when missing or not finite.
 *
 * @param value - the number (missing or `null` prints as `–`)
 * @param digits - significant digits (default 4)
 */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toPrecision(digits) : "–";
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
}

/**
 * A plain-text table: the header, a rule, the rows; columns padded to their widest cell.
 *
 * @param header - the column titles
 * @param rows - the cells, row by row
 */
export function summaryTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [
    pad(header, widths),
    pad(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
    ...rows.map((r) => pad(r, widths)),
  ].join("\n");
}
