import { writeResultFolder } from "@convexformer/io/node";
import { EXPERIMENTS } from "../registry/experiments.js";
import type { ExperimentResult } from "../runners/experiment-result.js";

/**
 * Figures for a result folder: file name → contents (SVG, or the JSON of what a figure
 * plots), or a promise of them. By default {@link saveExperiment} draws the registered
 * experiment's figures (its descriptor's `figures.draw`); a maker replaces them.
 *
 * @param result - the runner's result the figures are drawn from
 * @example
 * ```ts
 * import type { FigureMaker } from "@convexformer/experiments/node";
 * const none: FigureMaker = () => ({});
 * ```
 */
export type FigureMaker = (
  result: ExperimentResult<unknown, unknown>,
) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;

/**
 * Writes a runner's result as a folder, atomically (see {@link writeResultFolder}):
 * `result.json` (the whole result: config, seed, software, timings, metrics, curves),
 * `command.txt` when `command` is given (how to reproduce it), and the figures: those of the
 * registered experiment of `result.experiment` (as `convexformer experiment` writes them), or
 * those `figures` returns.
 *
 * @param dir - the result folder, replaced as a whole (missing parents are created; see
 *   {@link writeResultFolder})
 * @param result - a runner's result (`runE1`, `runE2`, …), written as `result.json`
 * @param options - `command`: the command line to reproduce the run, written as
 *   `command.txt` (none when absent); `figures`: a {@link FigureMaker} whose files are added
 *   instead of the registered experiment's figures
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { runE2Convex } from "@convexformer/experiments";
 * import { saveExperiment } from "@convexformer/experiments/node";
 * const dir = join(mkdtempSync(join(tmpdir(), "e2c-")), "run");
 * await saveExperiment(dir, await runE2Convex({ prime: 5, gates: 2, maxIterations: 50 }), { command: "pnpm e2 --convex" });
 * JSON.parse(readFileSync(join(dir, "result.json"), "utf8")).experiment; // "e2-convex"
 * ```
 */
export async function saveExperiment(
  dir: string,
  result: ExperimentResult<unknown, unknown>,
  options: { readonly command?: string; readonly figures?: FigureMaker } = {},
): Promise<void> {
  const files: Record<string, string> = { "result.json": `${JSON.stringify(result, null, 2)}\n` };
  if (options.command !== undefined) files["command.txt"] = `${options.command}\n`;
  const draw =
    options.figures ?? EXPERIMENTS.find((e) => e.name === result.experiment)?.figures?.draw;
  if (draw !== undefined) {
    for (const [name, contents] of Object.entries(await draw(result))) files[name] = contents;
  }
  await writeResultFolder(dir, files);
}
