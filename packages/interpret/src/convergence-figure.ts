import type { IterationRecord } from "@convexformer/solvers";
import { InvalidOptionError } from "@convexformer/tensors";
import { type Figure, type FigureDatum, makeFigure } from "./figure.js";

/**
 * One solver's run for {@link convergenceFigure}: a `SolveResult` (or anything with its
 * `solver` name and iteration `history`).
 *
 * @example
 * ```ts
 * import type { ConvergenceRun } from "@convexformer/interpret";
 * const run: ConvergenceRun = { solver: "fista", history: [
 *   { iteration: 1, objective: 2, dualObjective: 0, relativeGap: 1, elapsedMs: 0.1 },
 * ] };
 * ```
 */
export interface ConvergenceRun {
  /** Solver name; the line's label unless `label` is given. */
  readonly solver: string;
  /** Distinct label of the line (default `solver`). */
  readonly label?: string;
  /** The solver's iteration records. */
  readonly history: readonly IterationRecord[];
}

/**
 * Convergence of one or more solvers on the same problem: objective and relative duality gap
 * against iterations and against wall time, four panels with log axes (objective on a log axis
 * when all objectives are positive), one line per solver. The records are
 * `{ solver, iteration, timeMs, objective, relativeGap }`; `relativeGap` is left out of a record
 * while it is not yet finite or is exactly 0, and `timeMs` while it is 0; the record of
 * iteration 0 (the starting point) appears in the time panels only (a log axis cannot show 0).
 *
 * @param runs - one entry per line, at least one: a solver name, an optional distinct `label` and a
 *   non-empty iteration history (a `SolveResult` of `@convexformer/solvers` fits as it is)
 * @param options - `title`: the figure title (default "Convergence: objective and relative duality
 *   gap")
 * @throws `InvalidOptionError` for no runs, an empty history or repeated labels
 *
 * @example
 * ```ts
 * import { scalarAttentionProblem } from "@convexformer/attention";
 * import { getSolver, squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * import { convergenceFigure } from "@convexformer/interpret";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const problem = scalarAttentionProblem(X, squaredLoss(new Float64Array([1, -1])), 1 / 8);
 * const runs = ["fista", "admm"].map((s) => getSolver(s).solve(problem, { tolerance: 1e-10 }));
 * const f = await convergenceFigure(runs);
 * f.svg.includes("relative gap"); // true
 * ```
 */
export async function convergenceFigure(
  runs: readonly ConvergenceRun[],
  options: { readonly title?: string } = {},
): Promise<Figure> {
  if (runs.length === 0) throw new InvalidOptionError("runs", "[]", "must hold at least one run");
  const names = runs.map((r) => r.label ?? r.solver);
  if (new Set(names).size !== names.length) {
    throw new InvalidOptionError("runs", names, "line labels must be distinct (give label)");
  }
  const data: FigureDatum[] = [];
  let positive = true;
  runs.forEach((run, r) => {
    if (run.history.length === 0) {
      throw new InvalidOptionError(`runs[${r}].history`, "[]", "holds no iteration records");
    }
    for (const rec of run.history) {
      if (!Number.isFinite(rec.objective)) continue;
      if (rec.objective <= 0) positive = false;
      const d: Record<string, string | number> = {
        solver: names[r] as string,
        iteration: rec.iteration,
        objective: rec.objective,
      };
      if (rec.elapsedMs > 0 && Number.isFinite(rec.elapsedMs)) d.timeMs = rec.elapsedMs;
      if (rec.relativeGap > 0 && Number.isFinite(rec.relativeGap)) d.relativeGap = rec.relativeGap;
      data.push(d);
    }
  });
  const color = {
    field: "solver",
    type: "nominal",
    title: "solver",
    sort: names,
    legend: { labelLimit: 240 },
  };
  const panel = (
    x: "iteration" | "timeMs",
    y: "objective" | "relativeGap",
  ): Record<string, unknown> => ({
    width: 260,
    height: 180,
    transform: [{ filter: `isValid(datum.${x}) && isValid(datum.${y}) && datum.${x} > 0` }],
    mark: { type: "line", point: { size: 12 }, strokeWidth: 1.5 },
    encoding: {
      x: {
        field: x,
        type: "quantitative",
        title: x === "iteration" ? "iteration" : "wall time (ms)",
        scale: { type: "log", nice: false },
        axis: { format: "~g", labelOverlap: "greedy" },
      },
      y: {
        field: y,
        type: "quantitative",
        title: y === "objective" ? "objective P(x)" : "relative gap (P − D)/max(1, |P|)",
        scale: y === "relativeGap" || positive ? { type: "log" } : { zero: false },
        axis: { format: y === "relativeGap" ? ".0e" : "~g", labelOverlap: "greedy" },
      },
      color,
    },
  });
  return makeFigure(
    "convergence",
    options.title ?? "Convergence: objective and relative duality gap",
    data,
    {
      vconcat: [
        { hconcat: [panel("iteration", "objective"), panel("timeMs", "objective")] },
        { hconcat: [panel("iteration", "relativeGap"), panel("timeMs", "relativeGap")] },
      ],
      spacing: 24,
    },
  );
}
