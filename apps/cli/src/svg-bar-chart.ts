/** One bar of {@link svgBarChart}. */
export interface Bar {
  /** Label under the bar. */
  readonly label: string;
  /** Height (≥ 0). */
  readonly value: number;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A self-contained SVG bar chart (no fonts or scripts to load), e.g. a token-importance
 * profile `‖z_k‖` over tokens.
 *
 * @example
 * ```ts
 * import { svgBarChart } from "convexformer";
 * const svg = svgBarChart("token importance", [{ label: "0", value: 0 }, { label: "1", value: 0.9 }]);
 * svg.startsWith("<svg"); // true
 * ```
 */
export function svgBarChart(title: string, bars: readonly Bar[], yLabel = "", xLabel = ""): string {
  const width = 80 + 48 * Math.max(1, bars.length);
  const height = 260;
  const top = 40;
  const bottom = 210;
  const left = 60;
  const max = Math.max(1e-300, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="black"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${max.toPrecision(3)}</text>`,
    `<text x="${left - 6}" y="${bottom + 4}" text-anchor="end">0</text>`,
  ];
  if (yLabel !== "") {
    parts.push(
      `<text x="16" y="${(top + bottom) / 2}" transform="rotate(-90 16 ${(top + bottom) / 2})" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    );
  }
  if (xLabel !== "") {
    parts.push(
      `<text x="${(left + width - 20) / 2}" y="${bottom + 36}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const value = Number.isFinite(bar.value) ? Math.max(0, bar.value) : 0;
    const h = ((bottom - top) * value) / max;
    const x = left + 14 + 48 * i;
    parts.push(
      `<rect x="${x}" y="${(bottom - h).toFixed(2)}" width="30" height="${h.toFixed(2)}" fill="#3b6ea8"><title>${escapeXml(bar.label)}: ${value}</title></rect>`,
      `<text x="${x + 15}" y="${bottom + 16}" text-anchor="middle">${escapeXml(bar.label)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/**
 * The same bars as terminal text, one line each, for logs.
 *
 * @example
 * ```ts
 * import { textBarChart } from "convexformer";
 * console.log(textBarChart([{ label: "token 0", value: 1 }, { label: "token 1", value: 0.5 }]));
 * ```
 */
export function textBarChart(bars: readonly Bar[], width = 40): string {
  const max = Math.max(1e-300, ...bars.map((b) => b.value));
  const labelWidth = Math.max(...bars.map((b) => b.label.length));
  return bars
    .map(
      (b) =>
        `${b.label.padEnd(labelWidth)} ${"█".repeat(Math.round((width * Math.max(0, b.value)) / max)).padEnd(width)} ${b.value.toPrecision(4)}`,
    )
    .join("\n");
}
