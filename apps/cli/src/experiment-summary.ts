import type { ExperimentResult } from "@convexformer/experiments";
import { rowSparsity } from "@convexformer/interpret";

type AnyResult = ExperimentResult<unknown, unknown>;

function num(v: unknown, digits = 4): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toPrecision(digits) : "–";
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
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

interface StudentMetrics {
  readonly objective?: number;
  readonly testError?: number;
  readonly milliseconds?: number;
  readonly relativeGap?: number;
  readonly headsNeeded?: number;
  readonly heads?: number;
  readonly tokenMap?: readonly number[];
}

/**
 * A plain-text summary of an experiment's result for the terminal: the comparison table of E1
 * and the text task (regularized objective, test error, time, relative gap, heads: those the
 * recovered convex network needs and the fixed heads of the Adam-trained models, and the
 * token-sparsity numbers of each student's map: normalized entropy, effective number of
 * tokens, top-1 mass) with a line explaining the columns, E2's fit and generalization steps,
 * E2-convex's accuracies, E3's rows.
 *
 * @param result - an experiment's result as its runner returns it (or as read back from its
 *   `result.json`); a missing number prints as `–`
 * @example
 * ```ts
 * import { experimentSummary } from "./experiment-summary.js"; // internal module
 * experimentSummary({
 *   experiment: "e2-convex", status: "complete", config: {}, seed: 0, software: { runtime: "node" },
 *   startedAt: "", timings: {}, curves: {},
 *   metrics: { trainAccuracy: 1, validationAccuracy: 0.5, relativeGap: 1e-7, status: "converged" },
 * }).includes("validation accuracy 0.5000"); // true
 * ```
 */
export function experimentSummary(result: AnyResult): string {
  const m = result.metrics as Record<string, unknown>;
  const head = `${result.experiment}: ${result.status}, seed ${result.seed}`;
  if (result.experiment === "e1" || result.experiment === "text") {
    const rows = (["convex", "simplex", "standard"] as const).map((name) => {
      const s = (m[name] ?? {}) as StudentMetrics;
      const map = s.tokenMap ?? [];
      const sparsity =
        map.length > 1 && map.some((v) => v > 0) ? rowSparsity(map, { topK: 1 }) : undefined;
      return [
        name,
        num(s.objective, 6),
        num(s.testError),
        s.milliseconds === undefined ? "–" : `${(s.milliseconds / 1000).toFixed(2)} s`,
        name === "convex" ? num(s.relativeGap, 2) : "–",
        String((name === "convex" ? s.headsNeeded : s.heads) ?? "–"),
        num(sparsity?.entropy, 3),
        num(sparsity?.effectiveTokens, 3),
        num(sparsity?.topKMass, 3),
      ];
    });
    return `${head}\n${table(
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
  if (result.experiment === "e2") {
    return `${head}\n${table(
      ["attention", "fit step", "generalized step", "steps", "train acc", "val acc", "ms/step"],
      [
        [
          String((result.config as { attention?: string }).attention ?? "–"),
          String(m.fitStep ?? "never"),
          String(m.generalizedStep ?? "never"),
          String(m.steps ?? "–"),
          num(m.trainAccuracy),
          num(m.validationAccuracy),
          num(m.msPerStep, 3),
        ],
      ],
    )}\n`;
  }
  if (result.experiment === "e2-convex") {
    return `${head}\ntrain accuracy ${num(m.trainAccuracy)}, validation accuracy ${num(m.validationAccuracy)}, relative gap ${num(m.relativeGap, 2)} (${String(m.status ?? "–")})\n`;
  }
  const rows = (m.rows ?? []) as readonly {
    program: string;
    size: string;
    solver: string;
    status: string;
    reached: readonly { gap: number; milliseconds: number | null; iterations: number | null }[];
  }[];
  // every gap any row was timed to (Adam's rows add 1e-3), largest first; "" where a row was
  // not timed to that gap, "–" where it was but never reached it
  const gaps = [...new Set(rows.flatMap((r) => r.reached.map((x) => x.gap)))].sort((a, b) => b - a);
  return `${head}\n${table(
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
