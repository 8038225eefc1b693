import { assertInteger, assertKnownOptions, InvalidOptionError } from "@convexformer/tensors";
import { plot } from "asciichart";

/**
 * One line of {@link terminalLines}: a name and its values at steps `0, 1, 2, …`.
 *
 * @example
 * ```ts
 * import type { TerminalSeries } from "@convexformer/interpret";
 * const s: TerminalSeries = { name: "fista", values: [1, 0.1, 0.01] };
 * ```
 */
export interface TerminalSeries {
  /** Legend name. */
  readonly name: string;
  /** Values (non-finite ones, and non-positive ones on a log axis, are bridged by the previous value). */
  readonly values: ArrayLike<number>;
}

/**
 * Options of {@link terminalLines}.
 *
 * @example
 * ```ts
 * import type { TerminalLinesOptions } from "@convexformer/interpret";
 * const options: TerminalLinesOptions = { title: "relative gap", logY: true, height: 10 };
 * ```
 */
export interface TerminalLinesOptions {
  /** First line. */
  readonly title?: string;
  /** Plot `log10` of the values (the axis labels say `1e…`). Default `false`. */
  readonly logY?: boolean;
  /** Rows of the plot area (default 12). */
  readonly height?: number;
  /** Maximum line width (default 80, at least 32). */
  readonly width?: number;
  /** ANSI colours per series (default `false`: plain text, series told apart by the legend order). */
  readonly colors?: boolean;
}

const PALETTE = ["\x1b[34m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[35m", "\x1b[36m"] as const;
const RESET = "\x1b[0m";
const AXIS = 10; // label width of asciichart's axis incl. " ┤"

/**
 * Line chart for the terminal with asciichart: one line per series over a shared step axis,
 * resampled so every line fits `width` columns, with a legend (the x range and the series).
 *
 * @param series - one line per series, at least one, each a name and its values at steps 0, 1, 2,
 *   …; at least one value must be plottable
 * @param options - {@link TerminalLinesOptions}: `title`, `logY` (default `false`), `height`
 *   (default 12, at least 2), `width` (default 80, at least 32), `colors` (default `false`);
 *   unknown keys are errors
 * @throws `InvalidOptionError` for no series, no finite value to plot, or bad sizes
 *
 * @example
 * ```ts
 * import { terminalLines } from "@convexformer/interpret";
 * const text = terminalLines([{ name: "gap", values: [1, 1e-2, 1e-4, 1e-8] }], { logY: true, height: 4 });
 * text.split("\n").every((line) => line.length <= 80); // true
 * ```
 */
export function terminalLines(
  series: readonly TerminalSeries[],
  options: TerminalLinesOptions = {},
): string {
  assertKnownOptions("options", options, ["title", "logY", "height", "width", "colors"]);
  const width = options.width ?? 80;
  assertInteger("options.width", width, 32);
  const height = options.height ?? 12;
  assertInteger("options.height", height, 2);
  if (series.length === 0)
    throw new InvalidOptionError("series", "[]", "must hold at least one series");
  const log = options.logY === true;
  const longest = Math.max(...series.map((s) => s.values.length));
  const room = width - AXIS - 2;
  const step = Math.max(1, longest / room);
  let lo = Infinity;
  let hi = -Infinity;
  const lines = series.map((s, i) => {
    const out: number[] = [];
    let last: number | undefined;
    for (let j = 0; j * step < s.values.length; j++) {
      const raw = s.values[Math.floor(j * step)] as number;
      const v = log ? (raw > 0 ? Math.log10(raw) : Number.NaN) : raw;
      if (Number.isFinite(v)) last = v;
      if (last !== undefined) out.push(last);
    }
    if (out.length === 0) {
      throw new InvalidOptionError(
        `series[${i}].values`,
        s.name,
        log ? "has no positive finite value" : "has no finite value",
      );
    }
    // pad the leading gap with the first finite value
    while (out.length < Math.ceil(s.values.length / step)) out.unshift(out[0] as number);
    for (const v of out) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return out;
  });
  if (hi === lo) hi = lo + 1;
  const tiny = 1e-9 * Math.max(Math.abs(lo), Math.abs(hi));
  const format = (x: number): string =>
    (log ? (10 ** x).toExponential(1) : Math.abs(x) <= tiny ? "0" : x.toPrecision(3))
      .padStart(AXIS - 2)
      .slice(-(AXIS - 2));
  const colors =
    options.colors === true ? series.map((_, i) => PALETTE[i % PALETTE.length]) : undefined;
  const chart = plot(lines, {
    height,
    min: lo,
    max: hi,
    format,
    ...(colors !== undefined ? { colors } : {}),
  });
  const text: string[] = [];
  if (options.title !== undefined) text.push(options.title.slice(0, width));
  text.push(chart);
  const legend = series
    .map((s, i) =>
      colors !== undefined ? `${colors[i]}── ${s.name}${RESET}` : `${i + 1}: ${s.name}`,
    )
    .join("   ");
  text.push(
    `${"".padStart(AXIS - 2)}steps 0…${longest - 1}${step > 1 ? ` (every ${step.toFixed(1)})` : ""}`,
  );
  text.push(legend.slice(0, colors !== undefined ? legend.length : width));
  return text.join("\n");
}
