import { CorruptFileError, UnsupportedFormatError } from "@convexformer/tensors";
import { ATTENTION_PROGRAM_KINDS, type AttentionProgramKind } from "./attention-program-kind.js";
import type { AttentionWeights } from "./attention-weights.js";
import { type FittedModel, type FittedModelData, fittedModel } from "./fitted-model.js";
import type { SequenceWeights } from "./sequence-weights.js";

/** The `format` field of a saved fitted model. */
const FORMAT = "convexformer/fitted-model";
/** The only version this package writes and reads. */
const VERSION = 1;
/** Largest array a saved model may declare (2^27 entries, 1 GiB as float64). */
const MAX_ENTRIES = 2 ** 27;

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
  if (model.model === "sequence-relaxed") {
    return JSON.stringify({
      ...head,
      layout: { ...model.layout },
      solution: Array.from(model.solution),
    });
  }
  if (model.model === "sequence") {
    const w = model.network;
    return JSON.stringify({
      ...head,
      network: {
        heads: w.heads,
        tokens: w.tokens,
        features: w.features,
        outputs: w.outputs,
        W1: Array.from(w.W1),
        W2: Array.from(w.W2),
        alpha: Array.from(w.alpha),
      },
    });
  }
  const w = model.network;
  const network = {
    heads: w.heads,
    tokens: w.tokens,
    features: w.features,
    outputs: w.outputs,
    w1: Array.from(w.w1),
    w2: Array.from(w.w2),
    alpha: Array.from(w.alpha),
    ...(w.gates === undefined
      ? {}
      : { gates: { u1: Array.from(w.gates.u1), u2: Array.from(w.gates.u2) } }),
  };
  return JSON.stringify({ ...head, network });
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
  const r = new FieldReader(source);
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
  if (!ATTENTION_PROGRAM_KINDS.includes(model as AttentionProgramKind)) {
    throw new CorruptFileError(
      "model",
      `${source}: must be one of ${ATTENTION_PROGRAM_KINDS.join(", ")}; got ${JSON.stringify(model)}`,
    );
  }
  const kind = model as AttentionProgramKind;
  let data: FittedModelData;
  if (kind === "sequence-relaxed") {
    const layout = r.object(top.layout, "layout");
    const n = r.size(layout.tokens, "layout.tokens");
    const d = r.size(layout.features, "layout.features");
    const c = r.size(layout.outputs, "layout.outputs");
    if (layout.signs !== 1) {
      throw new CorruptFileError(
        "layout.signs",
        `${source}: must be 1 (the relaxation), got ${JSON.stringify(layout.signs)}`,
      );
    }
    data = {
      model: kind,
      layout: { tokens: n, features: d, outputs: c, signs: 1 },
      solution: r.numbers(top.solution, "solution", [d, c, n, n]),
    };
  } else {
    const net = r.object(top.network, "network");
    const h = r.size(net.heads, "network.heads");
    const n = r.size(net.tokens, "network.tokens");
    const d = r.size(net.features, "network.features");
    const c = r.size(net.outputs, "network.outputs");
    if (kind === "sequence") {
      const network: SequenceWeights = {
        heads: h,
        tokens: n,
        features: d,
        outputs: c,
        W1: r.numbers(net.W1, "network.W1", [h, n, n]),
        W2: r.numbers(net.W2, "network.W2", [h, d, c]),
        alpha: r.numbers(net.alpha, "network.alpha", [h]),
      };
      data = { model: kind, network };
    } else {
      const base = {
        heads: h,
        tokens: n,
        features: d,
        outputs: c,
        w1: r.numbers(net.w1, "network.w1", [h, n]),
        w2: r.numbers(net.w2, "network.w2", [h, d]),
        alpha: r.numbers(net.alpha, "network.alpha", [h, c]),
      };
      let network: AttentionWeights = base;
      if (net.gates !== undefined) {
        const gates = r.object(net.gates, "network.gates");
        network = {
          ...base,
          gates: {
            u1: r.numbers(gates.u1, "network.gates.u1", [h, n]),
            u2: r.numbers(gates.u2, "network.gates.u2", [h, d]),
          },
        };
      }
      data = { model: kind, network };
    }
  }
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

/** Reads typed fields out of parsed JSON, naming the field on failure (internal). */
class FieldReader {
  constructor(private readonly source: string) {}

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CorruptFileError(
        field === "" ? "text" : field,
        `${this.source}: expected an object, got ${describe(value)}`,
      );
    }
    return value as Record<string, unknown>;
  }

  size(value: unknown, field: string): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected an integer >= 1, got ${describe(value)}`,
      );
    }
    if (value > MAX_ENTRIES) {
      throw new CorruptFileError(field, `${this.source}: ${value} exceeds ${MAX_ENTRIES}`);
    }
    return value;
  }

  numbers(value: unknown, field: string, dims: readonly number[]): Float64Array {
    let length = 1;
    for (const v of dims) length *= v;
    if (length > MAX_ENTRIES) {
      throw new CorruptFileError(
        field,
        `${this.source}: ${dims.join(" × ")} = ${length} entries exceed ${MAX_ENTRIES}`,
      );
    }
    if (!Array.isArray(value)) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected an array of ${length} numbers, got ${describe(value)}`,
      );
    }
    if (value.length !== length) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected ${dims.join(" × ")} = ${length} numbers, got ${value.length}`,
      );
    }
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const v: unknown = value[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new CorruptFileError(
          `${field}[${i}]`,
          `${this.source}: expected a finite number, got ${describe(v)}`,
        );
      }
      out[i] = v;
    }
    return out;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}
