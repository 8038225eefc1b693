import type { ExperimentResult } from "@convexformer/experiments";
import {
  convergenceFigure,
  type Figure,
  figureJson,
  grokkingFigure,
  modelComparisonFigure,
  terminalHeatmap,
} from "@convexformer/interpret";
import type { IterationRecord } from "@convexformer/solvers";
import { Matrix } from "@convexformer/tensors";

type AnyResult = ExperimentResult<unknown, unknown>;
type Series = Readonly<Record<string, readonly (number | null)[]>>;

/** A curve's values as numbers (`null` → `NaN`). */
function column(curve: Series, ...names: string[]): number[] | undefined {
  for (const name of names) {
    const values = curve[name];
    if (values !== undefined) return values.map((v) => (v === null ? Number.NaN : v));
  }
  return undefined;
}

/** The objective curves of E1 (convex solver iterations, Adam steps) as iteration records. */
function objectiveRuns(result: AnyResult): { solver: string; history: IterationRecord[] }[] {
  const runs: { solver: string; history: IterationRecord[] }[] = [];
  for (const [name, curve] of Object.entries(result.curves)) {
    const step = column(curve, "iteration", "step");
    const objective = column(curve, "objective");
    const wall = column(curve, "wallMs", "elapsedMs");
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

/** The E1 token maps (convex `‖z_k‖`, simplex `w_1`, standard softmax row), each as shares summing to 1. */
function e1Maps(result: AnyResult): { model: string; map: Matrix }[] {
  const metrics = result.metrics as Record<string, { tokenMap?: readonly number[] } | undefined>;
  const out: { model: string; map: Matrix }[] = [];
  for (const model of ["convex", "simplex", "standard"]) {
    const map = metrics[model]?.tokenMap;
    if (map === undefined || map.length === 0) continue;
    // as shares of the whole map, so the three students read on one colour scale
    const total = map.reduce((a, b) => a + Math.abs(b), 0);
    const share = Float64Array.from(map, (v) => (total > 0 ? Math.abs(v) / total : 0));
    out.push({ model, map: new Matrix(1, map.length, share) });
  }
  return out;
}

/**
 * The figures of an experiment's result folder, each as SVG plus the JSON of exactly what it
 * plots (through `@convexformer/interpret`): E1 and the text task: the three students'
 * regularized objective against iterations and time, and their token maps side by side; E2:
 * the grokking curves (train and validation accuracy against the step, the 99 % line).
 * Returns file name → contents (`objective.svg`, `objective.json`, `token-maps.svg`,
 * `token-maps.json` for E1; `grokking.svg`, `grokking.json` for E2; none for E2-convex, E3).
 *
 * @param result - an experiment's result as its runner returns it (or as read back from its
 *   `result.json`); the curves and token maps it lacks are left out of the figures
 * @example
 * ```ts
 * import { experimentFigures } from "./experiment-figures.js"; // internal module
 * const files = await experimentFigures({
 *   experiment: "e2", status: "complete", seed: 0, software: { runtime: "node" },
 *   startedAt: "", timings: {}, metrics: {}, config: { attention: "simplex" },
 *   curves: { accuracy: { step: [1, 10, 100], trainAccuracy: [0.1, 0.9, 1], validationAccuracy: [0, 0.2, 1] } },
 * });
 * Object.keys(files); // ["grokking.svg", "grokking.json"]
 * ```
 */
export async function experimentFigures(result: AnyResult): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if (result.experiment === "e1" || result.experiment === "text") {
    const runs = objectiveRuns(result);
    if (runs.length > 0)
      add(
        files,
        "objective",
        await convergenceFigure(runs, { title: "Regularized training objective" }),
      );
    const maps = e1Maps(result);
    if (maps.length > 0)
      add(files, "token-maps", await modelComparisonFigure(maps, { title: "Token maps" }));
  } else if (result.experiment === "e2") {
    const curve = result.curves.accuracy;
    const step = curve === undefined ? undefined : column(curve, "step");
    const train = curve === undefined ? undefined : column(curve, "trainAccuracy");
    const validation = curve === undefined ? undefined : column(curve, "validationAccuracy");
    if (step !== undefined && train !== undefined && validation !== undefined) {
      const config = result.config as { attention?: string };
      const points = step
        .map((s, i) => ({
          step: s,
          trainAccuracy: train[i] as number,
          validationAccuracy: validation[i] as number,
        }))
        .filter(
          (p) =>
            p.step > 0 && Number.isFinite(p.trainAccuracy) && Number.isFinite(p.validationAccuracy),
        );
      if (points.length > 0)
        add(
          files,
          "grokking",
          await grokkingFigure([{ kind: config.attention ?? "model", points }]),
        );
    }
  }
  return files;
}

/**
 * Terminal token maps of an E1-style result (one Unicode-block heatmap per student), fitting
 * 80 columns; empty for other experiments.
 *
 * @param result - an experiment's result (E1 or text: its `metrics.convex`, `simplex` and
 *   `standard` token maps are drawn; any other experiment gives `""`)
 * @example
 * ```ts
 * import { experimentTerminalMaps } from "./experiment-figures.js"; // internal module
 * experimentTerminalMaps({
 *   experiment: "e3", status: "complete", config: {}, seed: 0, software: { runtime: "node" },
 *   startedAt: "", timings: {}, metrics: {}, curves: {},
 * }); // ""
 * ```
 */
export function experimentTerminalMaps(result: AnyResult): string {
  if (result.experiment !== "e1" && result.experiment !== "text") return "";
  return e1Maps(result)
    .map(({ model, map }) =>
      terminalHeatmap(map, { title: `${model}: token map`, rowLabels: [model], width: 80 }),
    )
    .join("\n");
}
