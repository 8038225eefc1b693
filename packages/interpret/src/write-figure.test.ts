import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { renderSpec } from "./figure.js";
import { heatmapFigure } from "./heatmap-figure.js";
import { writeFigure } from "./write-figure.js";

describe("writeFigure (node entry)", () => {
  it("writes the SVG and the JSON it re-renders from, leaving no temporary files", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "interpret-")), "nested");
    const f = await heatmapFigure({
      values: Matrix.fromRows([
        [0, 1],
        [2, 3],
      ]),
    });
    const w = await writeFigure(f, dir, "token-map");
    expect((await readdir(dir)).sort()).toEqual(["token-map.json", "token-map.svg"]);
    expect((await readFile(w.svg, "utf8")).trim()).toBe(f.svg);
    const json = JSON.parse(await readFile(w.json, "utf8"));
    expect(json.kind).toBe("token-map");
    expect(json.data).toEqual(f.data);
    expect(await renderSpec(json.spec)).toBe(f.svg);
    await writeFigure(f, dir, "token-map"); // overwrites in place
    expect(await readdir(dir)).toHaveLength(2);
  });

  it("rejects names that are not plain file stems", async () => {
    const f = await heatmapFigure({ values: Matrix.fromRows([[1]]) });
    for (const bad of ["../x", "a/b", ".hidden", ""]) {
      await expect(writeFigure(f, tmpdir(), bad)).rejects.toThrow(
        expect.objectContaining({ code: "invalid-option", argument: "name" }),
      );
    }
  });
});
