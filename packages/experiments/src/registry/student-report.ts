import {
  convergenceFigure,
  type Figure,
  figureJson,
  modelComparisonFigure,
  rowSparsity,
  terminalHeatmap,
} from "@convexformer/interpret";
import type { IterationRecord } from "@convexformer/solvers";
import { Matrix } from "@convexformer/tensors";
import type { Curve, ExperimentResult } from "../runners/experiment-result.js";
import type { E1Metrics } from "../runners/student-metrics.js";
import { formatNumber as num, summaryTable } from "./summary-table.js";

/** A result of a student comparison (E1, the text task): the three students' metrics. */
export type StudentResult = ExperimentResult<
  unknown,
  Pick<E1Metrics, "convex" | "simplex" | "standard">
>;

const STUDENTS = ["convex", "simplex", "standard"] as const;

/**
 * The comparison table of the three students (regularized objective, test error, time,
 * relative gap, heads: those the recovered convex network needs and the fixed heads of the
 * Adam-trained models, and the token-sparsity numbers of each map: normalized entropy,
 * effective number of tokens, top-1 mass) with lines explaining the columns.
 *
 * @param result - an E1 or text result
 */
export function studentSummary(result: StudentResult): string {
  const m = result.metrics;
  const rows = STUDENTS.map((name) => {
    const s = m[name];
    const map = s.tokenMap;
    const sparsity =
      map.length > 1 && map.some((v) => v > 0) ? rowSparsity(map, { topK: 1 }) : undefined;
    return [
      name,
      num(s.objective, 6),
      num(s.testError),
      `${(s.milliseconds / 1000).toFixed(2)} s`,
      name === "convex" ? num(m.convex.relativeGap, 2) : "–",
      String((name === "convex" ? m.convex.headsNeeded : s.heads) ?? "–"),
      num(sparsity?.entropy, 3),
      num(sparsity?.effectiveTokens, 3),
      num(sparsity?.topKMass, 3),
    ];
  });
  return `${result.experiment}: ${result.status}, seed ${result.seed}\n${summaryTable(
    [
      "model",
      "reg. objective",
      "test error",
      "time",
      "rel. gap",
      "heads",
      "entropy",
      "eff. tokens",
      "top-1 mass",
    ],
    rows,
  )}\nheads: needed by the recovered convex network; fixed for the Adam-trained models.\nentropy, eff. tokens, top-1 mass: token-map sparsity (1, n, 1/n if uniform over n tokens).\n`;
}

/**
 * The token maps of the three students for the terminal (one Unicode-block heatmap each,
 * 80 columns).
 *
 * @param result - an E1 or text result
 */
export function studentTerminalMaps(result: StudentResult): string {
  return tokenMaps(result)
    .map(({ model, map }) =>
      terminalHeatmap(map, { title: `${model}: token map`, rowLabels: [model], width: 80 }),
    )
    .join("\n");
}

/** The token maps (convex `‖z_k‖`, simplex `w_1`, standard softmax row), each as shares summing to 1. */
function tokenMaps(result: StudentResult): { model: string; map: Matrix }[] {
  const out: { model: string; map: Matrix }[] = [];
  for (const model of STUDENTS) {
    const map = result.metrics[model].tokenMap;
    if (map.length === 0) continue;
    // as shares of the whole map, so the three students read on one colour scale
    const total = map.reduce((a, b) => a + Math.abs(b), 0);
    const share = Float64Array.from(map, (v) => (total > 0 ? Math.abs(v) / total : 0));
    out.push({ model, map: new Matrix(1, map.length, share) });
  }
  return out;
}

/** A curve's values as numbers (`null` → `NaN`). */
function column(curve: Curve, name: string): number[] | undefined {
  return curve[name]?.map((v) => (v === null ? Number.NaN : v));
}

/**
 * The objective curves (the convex solver's iterations, each Adam run's steps) as iteration
 * records: the convex curve has `iteration`, the Adam curves `step`; both `wallMs`, `objective`.
 */
function objectiveRuns(result: StudentResult): { solver: string; history: IterationRecord[] }[] {
  const runs: { solver: string; history: IterationRecord[] }[] = [];
  for (const [name, curve] of Object.entries(result.curves)) {
    const step = column(curve, "iteration") ?? column(curve, "step");
    const objective = column(curve, "objective");
    const wall = column(curve, "wallMs");
    if (step === undefined || objective === undefined || wall === undefined) continue;
    const gap = column(curve, "relativeGap");
    const history: IterationRecord[] = [];
    for (let i = 0; i < step.length; i++) {
      const o = objective[i] as number;
      if (!Number.isFinite(o)) continue;
      history.push({
        iteration: step[i] as number,
        objective: o,
        dualObjective: Number.NEGATIVE_INFINITY,
        relativeGap: gap?.[i] ?? Number.POSITIVE_INFINITY,
        elapsedMs: wall[i] as number,
      });
    }
    if (history.length > 0) runs.push({ solver: name, history });
  }
  return runs;
}

function add(files: Record<string, string>, name: string, figure: Figure): void {
  files[`${name}.svg`] = figure.svg;
  files[`${name}.json`] = figureJson(figure);
}

/** The figure files of a student comparison. */
export const STUDENT_FIGURE_FILES = [
  "objective.svg",
  "objective.json",
  "token-maps.svg",
  "token-maps.json",
] as const;

/**
 * The figures of a student comparison: the students' regularized objective against
 * iterations and time, and their token maps side by side (each as SVG plus the JSON of what
 * it plots); a figure with nothing to plot is left out.
 *
 * @param result - an E1 or text result
 */
export async function studentFigures(result: StudentResult): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const runs = objectiveRuns(result);
  if (runs.length > 0)
    add(
      files,
      "objective",
      await convergenceFigure(runs, { title: "Regularized training objective" }),
    );
  const maps = tokenMaps(result);
  if (maps.length > 0)
    add(files, "token-maps", await modelComparisonFigure(maps, { title: "Token maps" }));
  return files;
}
