import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InvalidOptionError } from "@convexformer/tensors";
import { type Figure, figureJson } from "./figure.js";

/**
 * The two files {@link writeFigure} wrote.
 *
 * @example
 * ```ts
 * import type { WrittenFigure } from "@convexformer/interpret/node";
 * const w: WrittenFigure = { svg: "docs/figures/token-map.svg", json: "docs/figures/token-map.json" };
 * ```
 */
export interface WrittenFigure {
  /** Path of the SVG. */
  readonly svg: string;
  /** Path of the JSON (`{ kind, title, spec, data }`). */
  readonly json: string;
}

/**
 * Writes `<name>.svg` and `<name>.json` into `directory` (created if missing), each atomically
 * (a temporary file renamed into place), so a reader never sees a half-written figure.
 *
 * @param figure - a figure from one of the figure functions of `@convexformer/interpret`
 * @param directory - the folder to write into (created, with its parents, if missing)
 * @param name - file stem: letters, digits, `.`, `_`, `-` only
 * @throws `InvalidOptionError` for a bad name
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { heatmapFigure } from "@convexformer/interpret";
 * import { writeFigure } from "@convexformer/interpret/node";
 * import { Matrix } from "@convexformer/tensors";
 * const dir = await mkdtemp(join(tmpdir(), "figures-"));
 * const written = await writeFigure(await heatmapFigure({ values: Matrix.fromRows([[0, 1]]) }), dir, "map");
 * written.svg.endsWith("map.svg"); // true
 * ```
 */
export async function writeFigure(
  figure: Figure,
  directory: string,
  name: string,
): Promise<WrittenFigure> {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith(".")) {
    throw new InvalidOptionError(
      "name",
      name,
      "must be a file stem of letters, digits, '.', '_', '-'",
    );
  }
  await mkdir(directory, { recursive: true });
  const svg = join(directory, `${name}.svg`);
  const json = join(directory, `${name}.json`);
  await atomic(svg, figure.svg.endsWith("\n") ? figure.svg : `${figure.svg}\n`);
  await atomic(json, figureJson(figure));
  return { svg, json };
}

async function atomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text, "utf8");
  await rename(temporary, path);
}
