import { CorruptFileError, UnsupportedFormatError } from "@convexformer/tensors";
import { type FittedModel, fittedModel } from "./fitted-model.js";
import { JsonFieldReader } from "./json-field-reader.js";
import { getProgram, listPrograms } from "./program-registry.js";

/** The `format` field of a saved fitted model. */
const FORMAT = "convexformer/fitted-model";
/** The only version this package writes and reads. */
const VERSION = 1;

/**
 * Saves a fitted model (a {@link FitResult} or a {@link FittedModel}) as JSON text: the
 * program name and the network (or, for the relaxation, the solution and its layout), every
 * number written exactly (JSON round-trips float64 values bit for bit). Nothing else of a fit
 * result (certificate, solver trace, problem) is saved.
 *
 * Format: `{ "format": "convexformer/fitted-model", "version": 1, "model": …, "network": {…} }`
 * (`"layout"` and `"solution"` instead of `"network"` for `"sequence-relaxed"`).
 *
 * @param model - a fitted model: a {@link FitResult} or what {@link fittedModel} returns; only its
 *   `model` and `network` (or `layout` and `solution`) are written
 *
 * @example
 * ```ts
 * import { fittedModel, parseFittedModel, serializeFittedModel } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const m = fittedModel({ model: "scalar", network: { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0, 1]), w2: new Float64Array([0.1]), alpha: new Float64Array([3]) } });
 * const loaded = parseFittedModel(serializeFittedModel(m));
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, 2]));
 * loaded.predict(X)[0] === m.predict(X)[0]; // true
 * ```
 */
export function serializeFittedModel(model: FittedModel): string {
  const head = { format: FORMAT, version: VERSION, model: model.model };
  return JSON.stringify({ ...head, ...getProgram(model.model, "model.model").toJson(model) });
}

/**
 * Loads a fitted model saved by {@link serializeFittedModel}; its `predict` gives the same
 * numbers as the model that was saved. Every field is checked before arrays are built: types,
 * sizes (at most 2^27 entries each), lengths against the sizes, finiteness, then the model's
 * own checks (simplex rows, gates).
 *
 * @param text - the JSON text
 * @param source - a name for the text in error messages (e.g. its file name)
 * @throws `CorruptFileError` naming the field (`network.w1`, `network.w1[3]`, `model`, …)
 *   for malformed JSON, missing or mistyped fields, wrong lengths, non-finite numbers or
 *   weights the model rejects; `UnsupportedFormatError` for another format or version
 *
 * @example
 * ```ts
 * import { CorruptFileError, parseFittedModel } from "@convexformer/attention";
 * let field: string | undefined;
 * try {
 *   parseFittedModel('{"format":"convexformer/fitted-model","version":1,"model":"scalar","network":{}}');
 * } catch (e) {
 *   if (e instanceof CorruptFileError) field = e.argument;
 * }
 * field; // "network.heads"
 * ```
 */
export function parseFittedModel(text: string, source = "fitted model"): FittedModel {
  if (typeof text !== "string") {
    throw new CorruptFileError("text", `${source}: expected JSON text, got ${typeof text}`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new CorruptFileError("text", `${source}: not JSON (${(e as Error).message})`);
  }
  const r = new JsonFieldReader(source);
  const top = r.object(root, "");
  if (top.format !== FORMAT) {
    throw new UnsupportedFormatError(
      "format",
      `${source}: expected "${FORMAT}", got ${JSON.stringify(top.format)}`,
    );
  }
  if (top.version !== VERSION) {
    throw new UnsupportedFormatError(
      "version",
      `${source}: this package reads version ${VERSION}, got ${JSON.stringify(top.version)}`,
    );
  }
  const model = top.model;
  const kinds = listPrograms().map((p) => p.kind);
  if (typeof model !== "string" || !kinds.includes(model)) {
    throw new CorruptFileError(
      "model",
      `${source}: must be one of ${kinds.join(", ")}; got ${JSON.stringify(model)}`,
    );
  }
  const data = getProgram(model).fromJson(top, r);
  try {
    return fittedModel(data);
  } catch (e) {
    const argument = (e as { argument?: unknown }).argument;
    if (typeof argument !== "string") throw e;
    // the model's checks name `weights.*` / `data.*`; in a file the field is `network.*`
    const field = argument.replace(/^weights\./, "network.").replace(/^data\./, "");
    throw new CorruptFileError(field, `${source}: ${(e as Error).message}`);
  }
}
