import { lstat, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { UsageError } from "@convexformer/io";
import {
  loadModelData,
  type ModelDataSpec,
  readModelFolder,
  writeFileAtomic,
} from "@convexformer/io/node";
import { writeNpy } from "@convexformer/tensors";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
import { fitTargets } from "../fit-targets.js";
import { type PredictionMetrics, predictionMetrics } from "../prediction-metrics.js";
import { addDataOptions, dataSpec } from "./fit.js";

/**
 * Runs `convexformer predict <model> <data>`: loads a model folder written by `fit`, loads the
 * data with the same loaders (text: the model's pipeline, its embeddings unless
 * `--embeddings` names others, and its number of tokens), predicts, scores against the
 * data's labels with the model's loss, and writes the predictions atomically to `--out`
 * (`.npy`: float64 `N` or `N × c`; `.jsonl`: one `{"prediction": [...], "label": …}` per
 * sample). Returns the exit code: 0 done, 2 bad usage or data.
 *
 * @param modelDir - the model folder
 * @param data - where the data is
 * @param options - the predictions file, `--json`
 * @param io - where to write
 * @example
 * ```ts
 * import { processIo, runPredict } from "convexformer";
 * const code = await runPredict("/nonexistent", { data: "d.jsonl" }, { out: "p.npy" }, processIo());
 * code; // 2
 * ```
 */
export async function runPredict(
  modelDir: string,
  data: ModelDataSpec,
  options: { readonly out: string; readonly json?: boolean },
  io: CliIo,
): Promise<number> {
  const name = "convexformer predict";
  try {
    const out = options.out;
    const lower = out.toLowerCase();
    if (!lower.endsWith(".npy") && !lower.endsWith(".jsonl"))
      throw new UsageError(`--out ${out}: must end in .npy or .jsonl`);
    let parent = await lstat(dirname(out)).catch(() => undefined);
    if (parent === undefined) {
      // one missing level (the default convexformer-out/) is created
      await mkdir(dirname(out)).catch(() => {});
      parent = await lstat(dirname(out)).catch(() => undefined);
    }
    if (parent === undefined || !parent.isDirectory())
      throw new UsageError(`--out ${out}: ${dirname(out)} is not an existing folder`);
    const existing = await lstat(out).catch(() => undefined);
    if (existing !== undefined && !existing.isFile())
      throw new UsageError(`--out ${out}: exists and is not a file`);
    const saved = await readModelFolder(modelDir, "<model>");
    let spec = data;
    if (saved.text !== undefined) {
      if (data.tokens !== undefined && data.tokens !== saved.text.tokens)
        throw new UsageError(
          `--tokens ${data.tokens}: the model was fitted on ${saved.text.tokens} tokens per text`,
        );
      spec = {
        ...data,
        embeddings: data.embeddings ?? saved.text.embeddings,
        tokens: saved.text.tokens,
        positionalScale: saved.text.positionalScale,
        textField: data.textField ?? saved.text.textField,
        labelField: data.labelField ?? saved.text.labelField,
      };
    } else if (data.embeddings !== undefined) {
      throw new UsageError(`--embeddings: the model ${modelDir} was not fitted on text`);
    }
    const d = await loadModelData(spec);
    const predictions = saved.model.predict(d.X);
    const N = d.X.samples;
    const width = predictions.length / N;
    let metrics: PredictionMetrics | null = null;
    try {
      const t = fitTargets(d.labels, d.outputs, saved.loss);
      metrics = predictionMetrics(predictions, t.targets, width, saved.loss);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`${name}: labels not scored (${error.message})\n`);
    }
    if (lower.endsWith(".npy")) {
      await writeFileAtomic(
        out,
        writeNpy({ dtype: "float64", shape: width === 1 ? [N] : [N, width], data: predictions }),
      );
    } else {
      const lines: string[] = [];
      for (let i = 0; i < N; i++) {
        const p = Array.from(predictions.subarray(i * width, (i + 1) * width));
        const y = Array.from(d.labels.subarray(i * d.outputs, (i + 1) * d.outputs));
        lines.push(
          JSON.stringify({ prediction: width === 1 ? p[0] : p, label: d.outputs === 1 ? y[0] : y }),
        );
      }
      await writeFileAtomic(out, `${lines.join("\n")}\n`);
    }
    if (options.json === true) {
      io.stdout(
        `${JSON.stringify({ model: saved.model.model, samples: N, outputs: width, metrics, out })}\n`,
      );
    } else {
      const m =
        metrics === null
          ? ""
          : [
              metrics.errorRate === null ? "" : `, error ${(100 * metrics.errorRate).toFixed(1)} %`,
              metrics.meanSquaredError === null
                ? ""
                : `, MSE ${metrics.meanSquaredError.toPrecision(4)}`,
            ].join("");
      io.stdout(`${saved.model.model} model: ${N} samples predicted${m}\nwrote ${out}\n`);
    }
    return 0;
  } catch (error) {
    return commandErrorExitCode(name, error, io);
  }
}

/**
 * Registers `convexformer predict <model> [data]` on the program.
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo, registerPredictCommand } from "convexformer";
 * registerPredictCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerPredictCommand(program: Command, io: CliIo): void {
  addDataOptions(
    program
      .command("predict")
      .description(
        "predict with a model folder written by convexformer fit on new data (same formats as fit)",
      )
      .argument("<model>", "the model folder")
      .argument("[data]", "a folder with X.npy and y.npy, or a .json/.jsonl records file"),
  )
    .option(
      "--out <file>",
      "predictions: .npy (float64) or .jsonl",
      "convexformer-out/predictions.npy",
    )
    .option("--json", "print one JSON line instead of the summary")
    .addHelpText("after", "\nExit codes: 0 done, 2 bad usage or data.")
    .action(async (model: string, data: string | undefined, o: Record<string, unknown>) => {
      process.exitCode = await runPredict(
        model,
        dataSpec(data, o),
        { out: String(o.out), json: o.json === true },
        io,
      );
    });
}
