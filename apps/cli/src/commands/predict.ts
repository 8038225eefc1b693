import {
  type PredictionMetrics,
  predictionMetrics,
  targetsFromLabels,
} from "@convexformer/attention";
import { UsageError } from "@convexformer/io";
import {
  loadModelData,
  type ModelDataSpec,
  readModelFolder,
  validatePredictionsFile,
  writePredictionsFile,
} from "@convexformer/io/node";
import { ConvexformerError } from "@convexformer/tensors";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
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
    await validatePredictionsFile("--out", out);
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
      const t = targetsFromLabels(d.labels, {
        loss: saved.loss,
        shape: d.outputs === 1 ? [N] : [N, d.outputs],
        argument: `--loss ${saved.loss}`,
      });
      metrics = predictionMetrics(predictions, t.targets, { loss: saved.loss, outputs: width });
    } catch (error) {
      if (!(error instanceof ConvexformerError)) throw error;
      io.stderr(`${name}: labels not scored (${error.message})\n`);
    }
    await writePredictionsFile(out, predictions, N, d.labels, d.outputs);
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
 * import { processIo } from "convexformer";
 * import { registerPredictCommand } from "./predict.js"; // internal module
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
