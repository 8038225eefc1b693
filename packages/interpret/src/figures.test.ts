import { fitConvexAttention, scalarAttentionProblem } from "@convexformer/attention";
import { getSolver, solvePath, squaredLoss } from "@convexformer/solvers";
import { Matrix, TokenBatch } from "@convexformer/tensors";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { convergenceFigure } from "./convergence-figure.js";
import { type Figure, figureJson, renderSpec } from "./figure.js";
import { grokkingFigure } from "./grokking-figure.js";
import { heatmapFigure } from "./heatmap-figure.js";
import { modelComparisonFigure } from "./model-comparison-figure.js";
import { pathSummaryOf } from "./path-summary.js";
import { sparsityPathFigure } from "./sparsity-path-figure.js";
import { tokenMapFigure } from "./token-map-figure.js";
import { tokenMapOf } from "./token-map-of.js";

type XmlNode = Record<string, unknown> & { ":@"?: Record<string, string> };

/** Parses the SVG (it must be well-formed XML) into vega's element tree. */
function parseSvg(svg: string): XmlNode[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
  });
  const tree = parser.parse(svg) as XmlNode[];
  expect(Object.keys(tree[0] ?? {})[0]).toBe("svg");
  return tree;
}

function children(node: XmlNode): XmlNode[] {
  const tag = Object.keys(node).find((k) => k !== ":@") as string;
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function walk(nodes: XmlNode[], visit: (node: XmlNode, tag: string) => void): void {
  for (const node of nodes) {
    const tag = Object.keys(node).find((k) => k !== ":@") as string;
    visit(node, tag);
    walk(children(node), visit);
  }
}

/** Number of drawn items of data marks of a type (`rect`, `line`, `rule`, …). */
function marks(svg: string, type: string): number {
  let count = 0;
  walk(parseSvg(svg), (node, tag) => {
    const cls = node[":@"]?.class ?? "";
    if (tag === "g" && cls.startsWith(`mark-${type} role-mark`)) {
      count += children(node).filter((c) => "path" in c || "line" in c || "text" in c).length;
    }
  });
  return count;
}

/** Every text drawn (axis titles and labels, legend, titles). */
function texts(svg: string): string[] {
  const out: string[] = [];
  walk(parseSvg(svg), (node, tag) => {
    if (tag !== "text") return;
    for (const c of children(node)) if ("#text" in c) out.push(String(c["#text"]));
  });
  return out;
}

async function roundTrips(figure: Figure): Promise<void> {
  const parsed = JSON.parse(figureJson(figure));
  expect(parsed).toEqual({
    kind: figure.kind,
    title: figure.title,
    spec: figure.spec,
    data: figure.data,
  });
  expect((parsed.spec as { data: { values: unknown } }).data.values).toEqual(figure.data);
  // the JSON alone re-renders the same picture
  expect(await renderSpec(parsed.spec)).toBe(figure.svg);
}

/** Rounds every number (data values and SVG coordinates) so snapshots ignore float noise. */
function rounded<T>(value: T, digits = 6): T {
  return JSON.parse(JSON.stringify(value), (_, v) =>
    typeof v === "number" ? Number(v.toPrecision(digits)) : v,
  );
}

const instance1 = () =>
  fitConvexAttention(new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1])), {
    model: "scalar",
    targets: new Float64Array([1, -1]),
    lambda: 1 / 8,
    tolerance: 1e-13,
  });

describe("figures", () => {
  it("token map heatmap of exact instance 1: labelled axes, colour legend, one rect per token", async () => {
    const f = await tokenMapFigure(tokenMapOf(instance1()));
    expect(f.kind).toBe("token-map");
    expect(marks(f.svg, "rect")).toBe(2);
    const t = texts(f.svg);
    expect(t).toEqual(
      expect.arrayContaining(["token", "output", "output 1", "1", "2", "‖z‖₂", f.title]),
    );
    expect(rounded(f.data)).toEqual([
      { row: "output 1", column: "1", value: 0.875 },
      { row: "output 1", column: "2", value: 0.875 },
    ]);
    await roundTrips(f);
    expect(f.svg.replace(/-?\d+\.\d+/g, (n) => Number(n).toFixed(1))).toMatchSnapshot();
  });

  it("heatmaps reject mismatched labels and non-finite values", async () => {
    await expect(
      heatmapFigure({ values: Matrix.fromRows([[1, 2]]), rowLabels: ["a", "b"] }),
    ).rejects.toThrow(/input\.rowLabels: expected 1 labels, got 2/);
    await expect(heatmapFigure({ values: Matrix.fromRows([[1, Number.NaN]]) })).rejects.toThrow(
      expect.objectContaining({ code: "non-finite-input", argument: "input.values" }),
    );
  });

  it("side-by-side of three models on one colour scale, rows normalized", async () => {
    const f = await modelComparisonFigure([
      { model: "convex", map: Matrix.fromRows([[0, 2]]), rowTitle: "output" },
      {
        model: "simplex",
        map: Matrix.fromRows([
          [1, 0],
          [1, 0],
        ]),
      },
      {
        model: "softmax",
        map: Matrix.fromRows([
          [0.5, 0.5],
          [0.2, 0.6],
        ]),
      },
    ]);
    expect(marks(f.svg, "rect")).toBe(10);
    expect(texts(f.svg)).toEqual(
      expect.arrayContaining([
        "convex",
        "simplex",
        "softmax",
        "query token",
        "output",
        "attention share",
      ]),
    );
    expect(f.data.filter((d) => d.model === "softmax").map((d) => d.value)).toEqual([
      0.5,
      0.5,
      0.25,
      expect.closeTo(0.75, 15),
    ]);
    await roundTrips(f);
    const spread = await modelComparisonFigure([
      { model: "convex", map: Matrix.fromRows([[3, 1, 1]]) },
      { model: "softmax", map: Matrix.fromRows([[0.2, 0.4, 0.4]]) },
    ]);
    const domains = (
      spread.spec as { hconcat: { encoding: { color: { scale: { domain: number[] } } } }[] }
    ).hconcat.map((panel) => panel.encoding.color.scale.domain);
    // one shared scale from 0 to the largest share (3/5), not to 1
    expect(domains).toEqual([
      [0, 0.6],
      [0, 0.6],
    ]);
    await expect(
      modelComparisonFigure([
        { model: "a", map: Matrix.fromRows([[1, 0]]) },
        { model: "b", map: Matrix.fromRows([[1, 0, 0]]) },
      ]),
    ).rejects.toThrow(/panels\[1\]\.map: expected 2 token columns/);
    await expect(
      modelComparisonFigure([{ model: "a", map: Matrix.fromRows([[-1]]) }]),
    ).rejects.toThrow(/panels\[0\]\.map\[0, 0\] = -1/);
  });

  it("convergence of two solvers: four log panels, one line per solver in each", async () => {
    const fit = instance1();
    const runs = ["fista", "admm"].map((s) =>
      getSolver(s).solve(fit.problem, { tolerance: 1e-10 }),
    );
    const f = await convergenceFigure(runs);
    // one line per panel and solver that has at least one point on the panel's log axes
    let lines = 0;
    for (const x of ["iteration", "timeMs"])
      for (const y of ["objective", "relativeGap"])
        for (const s of ["fista", "admm"])
          if (f.data.some((d) => d.solver === s && (d[x] as number) > 0 && d[y] !== undefined))
            lines++;
    expect(lines).toBeGreaterThanOrEqual(6);
    expect(marks(f.svg, "line")).toBe(lines);
    expect(texts(f.svg)).toEqual(
      expect.arrayContaining([
        "iteration",
        "wall time (ms)",
        "objective P(x)",
        "relative gap (P − D)/max(1, |P|)",
        "fista",
        "admm",
      ]),
    );
    const n = runs.reduce(
      (s, r) => s + r.history.filter((h) => Number.isFinite(h.objective)).length,
      0,
    );
    expect(f.data).toHaveLength(n);
    expect(f.data.every((d) => d.relativeGap === undefined || (d.relativeGap as number) > 0)).toBe(
      true,
    );
    await roundTrips(f);
    await expect(convergenceFigure([runs[0] as never, runs[0] as never])).rejects.toThrow(
      /labels must be distinct/,
    );
    await expect(convergenceFigure([])).rejects.toThrow(/runs/);
  });

  it("grokking curves: train and validation per kind on a log step axis, the 99 % line marked", async () => {
    const f = await grokkingFigure([
      {
        kind: "softmax",
        points: [
          { step: 1, trainAccuracy: 0.01, validationAccuracy: 0.01 },
          { step: 1000, trainAccuracy: 1, validationAccuracy: 0.3 },
          { step: 5000, trainAccuracy: 1, validationAccuracy: 0.995 },
        ],
      },
      {
        kind: "simplex",
        points: [
          { step: 1, trainAccuracy: 0.01, validationAccuracy: 0.01 },
          { step: 2000, trainAccuracy: 1, validationAccuracy: 0.999 },
        ],
      },
    ]);
    expect(marks(f.svg, "line")).toBe(4);
    expect(marks(f.svg, "rule")).toBe(1);
    expect(texts(f.svg)).toEqual(
      expect.arrayContaining([
        "step",
        "accuracy",
        "99 %",
        "softmax",
        "simplex",
        "train",
        "validation",
      ]),
    );
    expect(f.data).toHaveLength(10);
    await roundTrips(f);
    await expect(
      grokkingFigure([
        { kind: "a", points: [{ step: 0, trainAccuracy: 0, validationAccuracy: 0 }] },
      ]),
    ).rejects.toThrow(/curves\[0\]\.points\[0\]\.step = 0/);
    await expect(
      grokkingFigure([
        { kind: "a", points: [{ step: 1, trainAccuracy: 1.5, validationAccuracy: 0 }] },
      ]),
    ).rejects.toThrow(/trainAccuracy = 1\.5/);
  });

  it("sparsity path of a real λ path: support vs λ and errors vs tokens used", async () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const fit = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambdaPath: [1, 0.5, 1 / 8],
      tolerance: 1e-12,
    });
    const loss = squaredLoss(new Float64Array([1, -1]));
    const error = (x: Float64Array) => {
      const p = scalarAttentionProblem(X, loss, 1);
      const pred = new Float64Array(2);
      p.operator.apply(x, pred);
      return loss.value(pred);
    };
    const points = pathSummaryOf(fit, { trainError: error });
    const f = await sparsityPathFigure(points);
    expect(marks(f.svg, "line")).toBe(3); // rows, tokens; train error (no test error given)
    expect(texts(f.svg)).toEqual(
      expect.arrayContaining([
        "support size",
        "tokens used",
        "error",
        "nonzero rows (heads)",
        "train",
      ]),
    );
    expect(rounded(f.data.map((d) => [d.lambda, d.rows, d.tokens, d.trainError]))).toEqual([
      [1, 0, 0, 1],
      [0.5, 2, 2, 0.25],
      [0.125, 2, 2, 0.015625],
    ]);
    await roundTrips(f);
    const path = solvePath((l) => scalarAttentionProblem(X, loss, l), [1]);
    expect(path.results).toHaveLength(1);
    await expect(sparsityPathFigure([])).rejects.toThrow(/points/);
  });
});
