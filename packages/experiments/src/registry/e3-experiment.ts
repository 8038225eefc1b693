import { type E3Config, type E3Result, runE3 } from "../runners/run-e3.js";
import { defineExperiment } from "./define-experiment.js";
import { summaryTable } from "./summary-table.js";

/**
 * E3's rows: per program × size × solver, the time and iterations to each gap any row was
 * timed to (Adam's rows add 1e-3), largest first; `""` where a row was not timed to that gap,
 * `–` where it was but never reached it.
 */
function e3Summary(result: E3Result): string {
  const rows = result.metrics.rows;
  const gaps = [...new Set(rows.flatMap((r) => r.reached.map((x) => x.gap)))].sort((a, b) => b - a);
  return `${result.experiment}: ${result.status}, seed ${result.seed}\n${summaryTable(
    ["program", "size", "solver", "status", ...gaps.map((g) => `to ${g.toExponential(0)}`)],
    rows.map((r) => [
      r.program,
      r.size,
      r.solver,
      r.status,
      ...gaps.map((g) => {
        const x = r.reached.find((y) => y.gap === g);
        if (x === undefined) return "";
        return x.milliseconds === null
          ? "–"
          : `${(x.milliseconds / 1000).toFixed(2)} s / ${x.iterations}`;
      }),
    ]),
  )}\n`;
}

/** E3: every convex program × solver, time and iterations to relative gaps. */
export const e3Experiment = defineExperiment<E3Config, E3Result>({
  name: "e3",
  description:
    "E3: every convex program × solver, time and iterations to relative gaps 1e-4/1e-6/1e-8",
  options: {
    programs: {
      kind: "list",
      values: ["scalar", "vector-ce", "gated", "sequence", "scnn"],
      flag: "--programs <list>",
      help: "programs",
      default: ["scalar", "vector-ce", "gated", "sequence", "scnn"],
    },
    sizes: {
      kind: "list",
      values: ["small", "medium", "large"],
      flag: "--sizes <list>",
      help: "sizes",
      default: ["small", "medium"],
    },
    solvers: {
      kind: "list",
      flag: "--solvers <list>",
      help: "solvers (default: every registered one)",
    },
    adam: {
      kind: "switch",
      flag: "--adam",
      help: "also train the nonconvex alternative with Adam (time to 1e-3 of the optimum and to each gap)",
      default: true,
    },
    timeLimitMs: {
      kind: "decimal",
      min: 0,
      scale: 1000,
      flag: "--time-limit <seconds>",
      help: "limit per solve",
      default: 30,
    },
    seed: { kind: "integer", min: 0, flag: "--seed <n>", help: "seed", default: 0 },
    gaps: "hidden",
    lambdaRatio: "hidden",
    maxIterations: "hidden",
    adamSteps: "hidden",
    adamLearningRate: "hidden",
  },
  run: runE3,
  checkpoints: false,
  summary: e3Summary,
});
