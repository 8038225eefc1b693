import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { ExperimentResult } from "@convexformer/experiments";
import type { Figure } from "@convexformer/interpret";
import { UsageError } from "@convexformer/io";
import {
  readInputJson,
  readModelFolder,
  readModelSolution,
  validateOutputDirectory,
  writeResultFolder,
} from "@convexformer/io/node";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";

/** Whether anything is at `path` (a link is not followed). */
const present = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** Files an interpret folder may hold. */
const INTERPRET_FILES = [
  "token-map.svg",
  "token-map.json",
  "heads.json",
  "heads.md",
  "sparsity.json",
  "objective.svg",
  "objective.json",
  "token-maps.svg",
  "token-maps.json",
  "grokking.svg",
  "grokking.json",
];

function markdownTable(rows: readonly Record<string, unknown>[]): string {
  const first = rows[0];
  if (first === undefined) return "(no heads: the solution is zero)\n";
  const keys = Object.keys(first);
  const cell = (v: unknown) =>
    typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(6) : String(v);
  return `${[
    `| ${keys.join(" | ")} |`,
    `|${keys.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(" | ")} |`),
  ].join("\n")}\n`;
}

/**
 * Runs `convexformer interpret <result>`: reads a model folder written by `convexformer fit`
 * (its `solution.json` and `model.json`) and writes, atomically as one folder, the token map
 * (`token-map.svg` + the JSON of what it plots), the head table (`heads.json`, `heads.md`:
 * one row per nonzero group of the convex solution, the head it becomes) and the sparsity
 * numbers (`sparsity.json`: the support against the `N·c + 1` bound, and entropy, top-k mass,
 * effective tokens and Gini of the recovered heads' token distributions); prints the terminal
 * token map. An experiment result folder (`result.json` of `convexformer experiment`) gets its
 * figures redrawn and its terminal maps printed. Returns 0 done, 2 bad usage or data.
 *
 * @param resultDir - a model folder or an experiment result folder
 * @param options - the output folder, `--json`
 * @param io - where to write
 * @example
 * ```ts
 * import { processIo, runInterpret } from "convexformer";
 * const code = await runInterpret("/nonexistent", { out: "/tmp/interpret" }, processIo());
 * code; // 2
 * ```
 */
export async function runInterpret(
  resultDir: string,
  options: { readonly out: string; readonly json?: boolean },
  io: CliIo,
): Promise<number> {
  const name = "convexformer interpret";
  try {
    // loaded here, not at start-up: the figures pull in vega
    const {
      figureJson,
      headTable,
      headTokenWeights,
      mapSparsity,
      sequenceHeadTable,
      sequenceTokenMap,
      simplexMaps,
      sparsityOf,
      terminalHeatmap,
      tokenMap,
      tokenMapFigure,
      validateSolution,
    } = await import("@convexformer/interpret");
    const { findExperiment } = await import("./experiment-job.js");
    const info = await lstat(resultDir).catch(() => undefined);
    if (info === undefined || !info.isDirectory())
      throw new UsageError(`<result> ${resultDir}: no such folder`);
    if (
      !(await present(join(resultDir, "model.json"))) &&
      (await present(join(resultDir, "result.json")))
    ) {
      const file = join(resultDir, "result.json");
      const result = (await readInputJson(file, 256 * 2 ** 20)) as ExperimentResult<
        unknown,
        unknown
      >;
      if (
        typeof result !== "object" ||
        result === null ||
        typeof result.experiment !== "string" ||
        typeof result.curves !== "object"
      )
        throw new UsageError(`${file}: not an experiment result (no "experiment" and "curves")`);
      const out = await validateOutputDirectory("--out", options.out, INTERPRET_FILES);
      const figures = findExperiment(result.experiment).figures;
      const files = figures === undefined ? {} : await figures.draw(result);
      await writeResultFolder(out, files);
      const maps = figures?.terminal?.(result) ?? "";
      if (options.json === true)
        io.stdout(
          `${JSON.stringify({ experiment: result.experiment, files: Object.keys(files), out })}\n`,
        );
      else
        io.stdout(
          `${maps === "" ? "" : `${maps}\n`}wrote ${out} (${Object.keys(files).join(", ") || "no figures for this experiment"})\n`,
        );
      return 0;
    }
    const saved = await readModelFolder(resultDir, "<result>");
    const solution = validateSolution(await readModelSolution(resultDir));
    const out = await validateOutputDirectory("--out", options.out, INTERPRET_FILES);
    let terminal: string;
    let heads: readonly Record<string, unknown>[];
    let sparsity: Record<string, unknown>;
    let figure: Figure;
    if (solution.kind === "token") {
      const map = tokenMap(solution);
      figure = await tokenMapFigure(map);
      heads = headTable(solution) as unknown as Record<string, unknown>[];
      const rowLabels = Array.from({ length: map.outputs }, (_, l) => `output ${l + 1}`);
      terminal = terminalHeatmap(map.perOutput, {
        title: `token map of program ${map.program}: Σ_j ‖z_{j,l,k}‖ per token`,
        rowLabels,
        width: 80,
      });
      const network =
        saved.model.model === "sequence" || saved.model.model === "sequence-relaxed"
          ? undefined
          : saved.model.network;
      sparsity = {
        support: map.support,
        perToken: Array.from(map.perToken),
        heads: network === undefined ? null : mapSparsity(headTokenWeights(network)),
      };
    } else {
      const map = sequenceTokenMap(solution);
      figure = await tokenMapFigure(map);
      heads = sequenceHeadTable(solution) as unknown as Record<string, unknown>[];
      terminal = terminalHeatmap(map.columnMass, {
        title: `token map of program (33): column mass per block`,
        width: 80,
      });
      sparsity = {
        headsNeeded: map.headsNeeded ?? null,
        blocks: map.blocks,
        perToken: Array.from(map.perToken),
        heads:
          saved.model.model === "sequence"
            ? sparsityOf(simplexMaps(saved.model.network).heads)
            : null,
      };
    }
    const files = {
      "token-map.svg": figure.svg,
      "token-map.json": figureJson(figure),
      "heads.json": `${JSON.stringify(heads, null, 2)}\n`,
      "heads.md": markdownTable(heads),
      "sparsity.json": `${JSON.stringify(sparsity, null, 2)}\n`,
    };
    await writeResultFolder(out, files);
    if (options.json === true)
      io.stdout(
        `${JSON.stringify({ model: saved.model.model, heads: heads.length, sparsity, out })}\n`,
      );
    else
      io.stdout(
        `${terminal}\n${heads.length} heads (nonzero groups of the convex solution)\nwrote ${out}\n`,
      );
    return 0;
  } catch (error) {
    return commandErrorExitCode(name, error, io);
  }
}

/**
 * Registers `convexformer interpret <result>` on the program.
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerInterpretCommand } from "./interpret.js"; // internal module
 * registerInterpretCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerInterpretCommand(program: Command, io: CliIo): void {
  program
    .command("interpret")
    .description(
      "figures (token map, head table, sparsity numbers) and terminal maps from a saved model or experiment result folder",
    )
    .argument("<result>", "a model folder (convexformer fit) or an experiment result folder")
    .option(
      "--out <dir>",
      "figures folder (replaced as a whole, atomically)",
      "convexformer-out/interpret",
    )
    .option("--json", "print one JSON line instead of the maps")
    .addHelpText("after", "\nExit codes: 0 done, 2 bad usage or data.")
    .action(async (result: string, o: Record<string, unknown>) => {
      process.exitCode = await runInterpret(
        result,
        { out: String(o.out), json: o.json === true },
        io,
      );
    });
}
