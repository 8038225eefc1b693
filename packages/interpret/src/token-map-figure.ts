import { getProgram } from "@convexformer/attention";
import { Matrix } from "@convexformer/tensors";
import type { Figure } from "./figure.js";
import { heatmapFigure } from "./heatmap-figure.js";
import type { SequenceTokenMap } from "./sequence-token-map.js";
import type { TokenMap } from "./token-map.js";

/**
 * The heatmap of a convex token map: for (9)/(12)/(14) one row per output (per gate and output
 * when there are several gates) with `‖z_{j,l,k}‖` across the tokens; for (33) one row per
 * feature and output with the column mass of `C⁺ − C⁻` (how strongly each source token is read).
 *
 * @param map - a token map from {@link tokenMap} (token programs) or {@link sequenceTokenMap}
 *   (sequence programs), e.g. via {@link tokenMapOf}
 * @param options - `title`: the figure title (default: "Token map of program …", naming the
 *   program)
 *
 * @example
 * ```ts
 * import { tokenMap, tokenMapFigure } from "@convexformer/interpret";
 * const m = tokenMap({ kind: "token", program: "scalar", samples: 1, gates: undefined,
 *   x: new Float64Array([0, 7 / 8]), layout: { gates: 1, outputs: 1, tokens: 2, features: 1 } });
 * const f = await tokenMapFigure(m);
 * f.data; // [{ row: "output 1", column: "1", value: 0 }, { row: "output 1", column: "2", value: 0.875 }]
 * ```
 */
export async function tokenMapFigure(
  map: TokenMap | SequenceTokenMap,
  options: { readonly title?: string } = {},
): Promise<Figure> {
  if (map.kind === "sequence") {
    const rowLabels: string[] = [];
    for (let q = 0; q < map.features; q++)
      for (let l = 0; l < map.outputs; l++) rowLabels.push(`feature ${q + 1} · output ${l + 1}`);
    return heatmapFigure({
      values: map.columnMass,
      rowLabels,
      rowTitle: "block (feature, output)",
      columnTitle: "source token",
      colorTitle: "column mass |C⁺−C⁻|",
      title: options.title ?? `Token map of program (33): column mass per block`,
    });
  }
  const rows = map.gates * map.outputs;
  const rowLabels: string[] = [];
  for (let j = 0; j < map.gates; j++) {
    for (let l = 0; l < map.outputs; l++) {
      rowLabels.push(map.gates > 1 ? `gate ${j + 1} · output ${l + 1}` : `output ${l + 1}`);
    }
  }
  const program = getProgram(map.program).equation;
  return heatmapFigure({
    values: new Matrix(rows, map.tokens, map.norms.slice()),
    rowLabels,
    rowTitle: map.gates > 1 ? "gate · output" : "output",
    columnTitle: "token",
    colorTitle: "‖z‖₂",
    title: options.title ?? `Token map of program ${program}: ‖z‖ per token`,
  });
}
