import { Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { terminalHeatmap } from "./terminal-heatmap.js";
import { terminalLines } from "./terminal-lines.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const widths = (s: string) =>
  plain(s)
    .split("\n")
    .map((l) => [...l].length);

describe("terminal heatmaps", () => {
  it("shades quarters of the maximum, blank for exact zeros, with a ruler and a legend", () => {
    const text = terminalHeatmap(Matrix.fromRows([[0, 1, 2, 3, 4]]), {
      rowLabels: ["out 1"],
      title: "map",
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe("map");
    expect(lines[1]).toBe("out 1 │  ░░▒▒▓▓██│");
    expect(lines[2]).toBe("token  1");
    expect(lines[3]).toBe('legend: " " 0  ░ ≤1.0  ▒ ≤2.0  ▓ ≤3.0  █ ≤4.0');
  });

  it("fits 80 columns: single-width cells, then merged columns", () => {
    const wide = new Matrix(
      3,
      60,
      Float64Array.from({ length: 180 }, (_, i) => i % 7),
    );
    const a = terminalHeatmap(wide, { rowLabels: ["gate 1 · output 1", "b", "c"] });
    expect(Math.max(...widths(a))).toBeLessThanOrEqual(80);
    expect(a.split("\n")[0]).toContain("│");
    const huge = new Matrix(
      2,
      500,
      Float64Array.from({ length: 1000 }, (_, i) => (i === 999 ? 5 : 1)),
    );
    const b = terminalHeatmap(huge);
    expect(Math.max(...widths(b))).toBeLessThanOrEqual(80);
    expect(b).toContain("tokens per cell, max shown");
    // the last (merged) cell of row 2 holds the maximum
    expect(b.split("\n")[1]).toMatch(/█│$/);
    expect(Math.max(...widths(terminalHeatmap(huge, { width: 40 })))).toBeLessThanOrEqual(40);
  });

  it("rejects negative entries, a bad width and wrong label counts", () => {
    expect(() => terminalHeatmap(Matrix.fromRows([[1, -2]]))).toThrow(/map\[0, 1\] = -2/);
    expect(() => terminalHeatmap(Matrix.fromRows([[1]]), { width: 10 })).toThrow(
      /options\.width = 10/,
    );
    expect(() => terminalHeatmap(Matrix.fromRows([[1]]), { rowLabels: ["a", "b"] })).toThrow(
      /options\.rowLabels/,
    );
  });
});

describe("terminal line charts", () => {
  it("plots every series within 80 columns, resampling long ones, with a legend", () => {
    const long = Array.from({ length: 5000 }, (_, i) => 10 ** (-i / 500));
    const text = terminalLines(
      [
        { name: "fista", values: long },
        { name: "admm", values: long.slice(0, 2000) },
      ],
      { title: "relative gap", logY: true, height: 8 },
    );
    expect(Math.max(...widths(text))).toBeLessThanOrEqual(80);
    const lines = text.split("\n");
    expect(lines[0]).toBe("relative gap");
    expect(lines).toHaveLength(1 + 9 + 2); // title, height + 1 chart rows, x range, legend
    expect(lines.at(-1)).toBe("1: fista   2: admm");
    expect(text).toContain("1.0e+0");
    expect(text).toMatch(/\de-10 ┼/);
    expect(lines.at(-2)).toContain("steps 0…4999");
  });

  it("colours series on request and bridges values a log axis cannot show", () => {
    const text = terminalLines([{ name: "gap", values: [Infinity, 1, 0, 1e-3] }], {
      logY: true,
      colors: true,
      height: 3,
    });
    expect(text).toContain("\x1b[34m");
    expect(Math.max(...widths(text))).toBeLessThanOrEqual(80);
    expect(() => terminalLines([{ name: "bad", values: [0, -1] }], { logY: true })).toThrow(
      /series\[0\]\.values/,
    );
    expect(() => terminalLines([])).toThrow(/series/);
    expect(() => terminalLines([{ name: "a", values: [1] }], { height: 1 })).toThrow(
      /options\.height = 1/,
    );
  });
});
