import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * The figure kinds this package draws.
 *
 * @example
 * ```ts
 * import type { FigureKind } from "@convexformer/interpret";
 * const kind: FigureKind = "token-map";
 * ```
 */
export type FigureKind =
  | "token-map"
  | "model-comparison"
  | "convergence"
  | "grokking"
  | "sparsity-path";

/**
 * One plotted record: the exact values a figure draws (JSON-safe: finite numbers, strings).
 *
 * @example
 * ```ts
 * import type { FigureDatum } from "@convexformer/interpret";
 * const d: FigureDatum = { row: "output 1", column: "token 2", value: 0.875 };
 * ```
 */
export type FigureDatum = Readonly<Record<string, string | number>>;

/**
 * A vega-lite specification as a plain JSON object (its data inline under `data.values`).
 *
 * @example
 * ```ts
 * import type { VegaLiteSpec } from "@convexformer/interpret";
 * const spec: VegaLiteSpec = { mark: "point", data: { values: [{ x: 1 }] }, encoding: { x: { field: "x", type: "quantitative" } } };
 * ```
 */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/**
 * A rendered figure: the SVG, the vega-lite spec that produced it (self-contained, data
 * inline) and the data it plots (the same records as `spec.data.values`).
 *
 * @example
 * ```ts
 * import { renderSpec, type Figure } from "@convexformer/interpret";
 * const data = [{ x: 1, y: 2 }];
 * const spec = { data: { values: data }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } };
 * const figure: Figure = { kind: "convergence", title: "demo", spec, data, svg: await renderSpec(spec) };
 * figure.svg.startsWith("<svg"); // true
 * ```
 */
export interface Figure {
  /** What the figure shows. */
  readonly kind: FigureKind;
  /** Its title. */
  readonly title: string;
  /** The SVG document (rendered by vega with `renderer: "none"`, in Node or a browser). */
  readonly svg: string;
  /** The vega-lite spec (data inline). */
  readonly spec: VegaLiteSpec;
  /** The plotted records. */
  readonly data: readonly FigureDatum[];
}

/** Font and sizes shared by every figure (readable at 100 % zoom). */
export const FIGURE_CONFIG = {
  font: "DejaVu Sans, Verdana, sans-serif",
  background: "white",
  padding: 12,
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start", offset: 10 },
  view: { stroke: "#ccc" },
} as const;

/**
 * Renders a vega-lite spec to an SVG string with vega's headless view (`renderer: "none"`,
 * `view.toSVG()`): no canvas or DOM needed, so it runs in Node and in a browser.
 *
 * @param spec - a vega-lite spec with its data inline (`data: { values: […] }`), e.g. a
 *   {@link Figure}'s `spec` or one read back from {@link figureJson}'s output
 *
 * @example
 * ```ts
 * import { renderSpec } from "@convexformer/interpret";
 * const svg = await renderSpec({ data: { values: [{ a: 1 }] }, mark: "bar",
 *   encoding: { x: { field: "a", type: "quantitative" } } });
 * svg.includes("</svg>"); // true
 * ```
 */
export async function renderSpec(spec: VegaLiteSpec): Promise<string> {
  // vega tags the records it reads (Symbol ids): give it a copy, never the caller's objects
  const json = JSON.stringify(spec);
  const vega = compile(JSON.parse(json) as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: "none" });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  return stableIds(svg, json);
}

/**
 * vega numbers gradient and clip ids with a process-wide counter, so the same spec renders
 * differently the second time. Renumber them per document and prefix a hash of the spec:
 * the SVG is then a pure function of the spec, and two figures inlined in one page keep
 * distinct ids.
 */
function stableIds(svg: string, json: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) h = Math.imul(h ^ json.charCodeAt(i), 0x01000193) >>> 0;
  const prefix = h.toString(36);
  const ids = new Map<string, string>();
  return svg.replace(/\b(gradient|clip|pattern)_(\d+)\b/g, (id, kind: string) => {
    let next = ids.get(id);
    if (next === undefined) {
      next = `${kind}_${prefix}_${ids.size}`;
      ids.set(id, next);
    }
    return next;
  });
}

/**
 * The JSON written beside a figure: `{ kind, title, spec, data }` (pretty-printed, stable key
 * order), from which {@link renderSpec} re-renders the same SVG.
 *
 * @param figure - a figure from one of this package's figure functions; its `kind`, `title`, `spec`
 *   and `data` are written (the SVG is not)
 *
 * @example
 * ```ts
 * import { figureJson } from "@convexformer/interpret";
 * const json = figureJson({ kind: "grokking", title: "t", svg: "<svg/>", spec: {}, data: [{ step: 1 }] });
 * JSON.parse(json).data[0].step; // 1
 * ```
 */
export function figureJson(figure: Figure): string {
  return `${JSON.stringify({ kind: figure.kind, title: figure.title, spec: figure.spec, data: figure.data }, null, 2)}\n`;
}

/** Builds a {@link Figure}: the spec gets the shared config, the data inline (internal). */
export async function makeFigure(
  kind: FigureKind,
  title: string,
  data: readonly FigureDatum[],
  body: Readonly<Record<string, unknown>>,
): Promise<Figure> {
  const spec: VegaLiteSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: FIGURE_CONFIG,
    data: { values: data },
    ...body,
  };
  return { kind, title, svg: await renderSpec(spec), spec, data };
}
