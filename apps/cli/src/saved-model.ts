import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  type FittedModel,
  LOSS_NAMES,
  type LossName,
  parseFittedModel,
} from "@convexformer/attention";
import { readInputText } from "./input-files.js";
import type { TextPipeline } from "./model-data.js";
import { pathExists } from "./path-exists.js";
import { UsageError } from "./usage-error.js";

/**
 * A model folder written by `convexformer fit`, loaded: the fitted model, the loss it was
 * fitted with and, for text, the pipeline that embeds new texts.
 *
 * @example
 * ```ts
 * import type { SavedModel } from "convexformer";
 * const program = (m: SavedModel) => m.model.model;
 * ```
 */
export interface SavedModel {
  /** The folder. */
  readonly dir: string;
  /** The fitted model (`parseFittedModel` of `model.json`). */
  readonly model: FittedModel;
  /** The loss of the fit (from `fit.json`; `"squared"` when the folder has none). */
  readonly loss: LossName;
  /** The text pipeline (`text.json`), for models fitted on text. */
  readonly text?: TextPipeline;
}

/**
 * Loads a model folder written by `convexformer fit` (`model.json`, `fit.json`, and
 * `text.json` when fitted on text). Sizes are checked before reading (64 MiB at most per
 * file); a missing folder or file, or a file that is not what fit writes, throws a
 * {@link UsageError} (or the parser's `CorruptFileError`) naming the file.
 *
 * @param dir - the model folder
 * @param argument - the argument's name for messages (e.g. `"<model>"`)
 * @example
 * ```ts
 * import { loadSavedModel } from "convexformer";
 * await loadSavedModel("/nonexistent", "<model>").catch((e: Error) => e.message); // "<model> /nonexistent: no such folder"
 * ```
 */
export async function loadSavedModel(dir: string, argument: string): Promise<SavedModel> {
  let info: Awaited<ReturnType<typeof lstat>> | undefined;
  try {
    info = await lstat(dir);
  } catch {
    info = undefined;
  }
  if (info === undefined) throw new UsageError(`${argument} ${dir}: no such folder`);
  if (!info.isDirectory())
    throw new UsageError(
      `${argument} ${dir}: not a folder (a model folder written by convexformer fit)`,
    );
  const modelFile = join(dir, "model.json");
  if (!(await pathExists(modelFile)))
    throw new UsageError(
      `${argument} ${dir}: no model.json (not a model folder written by convexformer fit)`,
    );
  const model = parseFittedModel(await readInputText(modelFile, 64 * 2 ** 20), modelFile);
  let loss: LossName = "squared";
  const fitFile = join(dir, "fit.json");
  if (await pathExists(fitFile)) {
    const record = parseJson(await readInputText(fitFile, 64 * 2 ** 20), fitFile) as {
      loss?: unknown;
    };
    if (!LOSS_NAMES.includes(record.loss as LossName))
      throw new UsageError(
        `${fitFile}: "loss" must be one of ${LOSS_NAMES.join(", ")}; got ${JSON.stringify(record.loss)}`,
      );
    loss = record.loss as LossName;
  }
  const textFile = join(dir, "text.json");
  if (!(await pathExists(textFile))) return { dir, model, loss };
  const t = parseJson(await readInputText(textFile, 64 * 2 ** 20), textFile) as Record<
    string,
    unknown
  >;
  for (const field of ["embeddings", "textField", "labelField"] as const)
    if (typeof t[field] !== "string")
      throw new UsageError(
        `${textFile}: "${field}" must be a string; got ${JSON.stringify(t[field])}`,
      );
  for (const field of ["tokens", "positionalScale", "dimension"] as const)
    if (typeof t[field] !== "number" || !Number.isFinite(t[field]))
      throw new UsageError(
        `${textFile}: "${field}" must be a number; got ${JSON.stringify(t[field])}`,
      );
  return { dir, model, loss, text: t as unknown as TextPipeline };
}

function parseJson(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${file}: expected a JSON object`);
  return value;
}
