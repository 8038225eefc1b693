import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  type ConvexAttentionLayout,
  type FitResult,
  type FittedModel,
  type GateVectors,
  LOSS_NAMES,
  type LossName,
  parseFittedModel,
  type SequenceLayout,
  serializeFittedModel,
} from "@convexformer/attention";
import { InvalidOptionError, writeNpy } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";
import { readInputJson, readInputText } from "./input-files.js";
import type { TextPipeline } from "./model-data.js";
import { pathExists } from "./path-exists.js";
import { writeResultFolder } from "./write-result-folder.js";

/**
 * The files a model folder may hold: those {@link writeModelFolder} writes and those
 * `convexformer fit` adds (`token-map.svg`, `token-map.json`, `command.txt`). A folder
 * holding only these may be replaced by a new fit.
 *
 * @example
 * ```ts
 * import { MODEL_FOLDER_FILES } from "@convexformer/io/node";
 * MODEL_FOLDER_FILES.includes("model.json"); // true
 * ```
 */
export const MODEL_FOLDER_FILES: readonly string[] = [
  "model.json",
  "certificate.json",
  "solution.json",
  "metrics.json",
  "fit.json",
  "predictions.npy",
  "token-map.svg",
  "token-map.json",
  "text.json",
  "command.txt",
];

/**
 * What a model folder is written from: the fit, the record of how it was made (`fit.json`,
 * with the loss), the metrics, the predictions of every sample, and for text the pipeline.
 *
 * @example
 * ```ts
 * import type { ModelFolderContents } from "@convexformer/io/node";
 * const loss = (c: ModelFolderContents) => c.record.loss;
 * ```
 */
export interface ModelFolderContents {
  /** The result of `fitConvexAttention` (`model.json`, `certificate.json`, `solution.json`). */
  readonly fit: FitResult;
  /** `fit.json`: how the model was fitted; its `loss` is read back by {@link readModelFolder}. */
  readonly record: {
    /** The loss of the fit. */
    readonly loss: LossName;
    readonly [field: string]: unknown;
  };
  /** `metrics.json` (any JSON object, e.g. `{ loss, train, test, solveMs }`). */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** The training samples of the fit (recorded in `solution.json`). */
  readonly trainSamples: number;
  /** `predictions.npy`: the predictions of every sample, sample-major (`samples` rows). */
  readonly predictions: Float64Array;
  /** `N`: every sample (train and held out), the rows of `predictions`. */
  readonly samples: number;
  /** `text.json`: the text pipeline, for models fitted on text. */
  readonly text?: TextPipeline;
  /**
   * Further files written after the model's (figures, `command.txt`): plain file names, none of
   * the model's own (an `InvalidOptionError` otherwise).
   */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
}

/**
 * A model folder, read back: the fitted model, the loss it was fitted with and, for text, the
 * pipeline that embeds new texts.
 *
 * @example
 * ```ts
 * import type { ModelFolder } from "@convexformer/io/node";
 * const program = (m: ModelFolder) => m.model.model;
 * ```
 */
export interface ModelFolder {
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
 * The convex solution of a model folder (`solution.json`), in the form
 * `validateSolution` of `@convexformer/interpret` checks and interprets.
 *
 * @example
 * ```ts
 * import type { ModelFolderSolution } from "@convexformer/io/node";
 * const entries = (s: ModelFolderSolution) => s.x.length;
 * ```
 */
export type ModelFolderSolution =
  | {
      /** A token program (9), (12) or (14). */
      readonly kind: "token";
      /** Which program. */
      readonly program: "scalar" | "vector" | "gated";
      /** The convex variable. */
      readonly x: Float64Array;
      /** `N`: training samples. */
      readonly samples: number;
      /** The variable's layout. */
      readonly layout: ConvexAttentionLayout;
      /** The gate vectors of (14); `undefined` for (9) and (12). */
      readonly gates: GateVectors | undefined;
    }
  | {
      /** A sequence program. */
      readonly kind: "sequence";
      /** The exact (33) or its relaxation. */
      readonly program: "sequence" | "sequence-relaxed";
      /** The convex variable. */
      readonly x: Float64Array;
      /** `N`: training samples. */
      readonly samples: number;
      /** The variable's layout. */
      readonly layout: SequenceLayout;
    };

function modelFolderFiles(contents: ModelFolderContents): Record<string, string | Uint8Array> {
  const { fit } = contents;
  const c = fit.certificate;
  const solution =
    fit.model === "sequence" || fit.model === "sequence-relaxed"
      ? { kind: "sequence", program: fit.model, layout: { ...fit.problem.layout } }
      : {
          kind: "token",
          program: fit.model,
          layout: { ...fit.problem.layout },
          ...(fit.problem.gates === undefined
            ? {}
            : {
                gates: {
                  u1: Array.from(fit.problem.gates.u1),
                  u2: Array.from(fit.problem.gates.u2),
                },
              }),
        };
  const all = contents.predictions;
  const N = contents.samples;
  const width = all.length / N;
  const files: Record<string, string | Uint8Array> = {
    "model.json": `${serializeFittedModel(fit)}\n`,
    "certificate.json": `${JSON.stringify(
      {
        status: fit.solve.status,
        solver: fit.solve.solver,
        iterations: fit.solve.iterations,
        lambda: fit.lambda,
        lambdaMax: fit.lambdaMax,
        objective: c.objective,
        dualObjective: c.dualObjective,
        relativeGap: c.relativeGap,
        kktResidual: c.kktResidual,
        headsNeeded: fit.headsNeeded,
        timings: fit.solve.timings,
      },
      null,
      2,
    )}\n`,
    "solution.json": `${JSON.stringify({ ...solution, samples: contents.trainSamples, x: Array.from(fit.solution) })}\n`,
    "metrics.json": `${JSON.stringify(contents.metrics, null, 2)}\n`,
    "fit.json": `${JSON.stringify(contents.record, null, 2)}\n`,
    "predictions.npy": writeNpy({
      dtype: "float64",
      shape: width === 1 ? [N] : [N, width],
      data: all,
    }),
  };
  if (contents.text !== undefined)
    files["text.json"] = `${JSON.stringify(contents.text, null, 2)}\n`;
  for (const name of Object.keys(contents.files ?? {}))
    if (name in files)
      throw new InvalidOptionError("contents.files", name, "is a file the model folder writes");
  return { ...files, ...contents.files };
}

/**
 * Writes a model folder atomically (through `writeResultFolder`, replacing `dir` as a whole):
 * `model.json` (the fitted model, `serializeFittedModel` of `@convexformer/attention`),
 * `certificate.json`, `solution.json` (the convex solution, for interpretation),
 * `metrics.json`, `fit.json`, `predictions.npy` (float64 `N` or `N × c`), `text.json` for text,
 * then `contents.files`. {@link readModelFolder} reads it back; so do `convexformer predict`,
 * `recover` and `interpret`, which use these same functions.
 *
 * @param dir - the model folder (replaced as a whole; missing parents are created)
 * @param contents - the fit and what is recorded beside it
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { readModelFolder, writeModelFolder } from "@convexformer/io/node";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * const dir = join(mkdtempSync(join(tmpdir(), "model-")), "model");
 * await writeModelFolder(dir, {
 *   fit, record: { loss: "squared" }, metrics: {}, trainSamples: 2, samples: 2, predictions: fit.predict(X),
 * });
 * const saved = await readModelFolder(dir);
 * saved.loss; // "squared"
 * saved.model.predict(X)[0] === fit.predict(X)[0]; // true
 * ```
 */
export async function writeModelFolder(dir: string, contents: ModelFolderContents): Promise<void> {
  await writeResultFolder(dir, modelFolderFiles(contents));
}

/**
 * Reads a model folder written by {@link writeModelFolder} (or `convexformer fit`):
 * `model.json`, `fit.json` (the loss) and `text.json` when fitted on text. Sizes are checked
 * before reading (64 MiB at most per file); a missing folder or file, or a file that is not
 * what the writer writes, throws a {@link UsageError} (or the parser's `CorruptFileError`)
 * naming the file.
 *
 * @param dir - the model folder
 * @param argument - the argument's name for messages (default `"<model>"`)
 * @example
 * ```ts
 * import { readModelFolder } from "@convexformer/io/node";
 * await readModelFolder("/nonexistent").catch((e: Error) => e.message); // "<model> /nonexistent: no such folder"
 * ```
 */
export async function readModelFolder(dir: string, argument = "<model>"): Promise<ModelFolder> {
  let info: Awaited<ReturnType<typeof lstat>> | undefined;
  try {
    info = await lstat(dir);
  } catch {
    info = undefined;
  }
  if (info === undefined) throw new UsageError(`${argument} ${dir}: no such folder`, argument);
  if (!info.isDirectory())
    throw new UsageError(
      `${argument} ${dir}: not a folder (a model folder written by convexformer fit)`,
      argument,
    );
  const modelFile = join(dir, "model.json");
  if (!(await pathExists(modelFile)))
    throw new UsageError(
      `${argument} ${dir}: no model.json (not a model folder written by convexformer fit)`,
      argument,
    );
  const model = parseFittedModel(await readInputText(modelFile, 64 * 2 ** 20), modelFile);
  let loss: LossName = "squared";
  const fitFile = join(dir, "fit.json");
  if (await pathExists(fitFile)) {
    const record = jsonObject(await readInputJson(fitFile, 64 * 2 ** 20), fitFile) as {
      loss?: unknown;
    };
    if (!LOSS_NAMES.includes(record.loss as LossName))
      throw new UsageError(
        `${fitFile}: "loss" must be one of ${LOSS_NAMES.join(", ")}; got ${JSON.stringify(record.loss)}`,
        fitFile,
      );
    loss = record.loss as LossName;
  }
  const textFile = join(dir, "text.json");
  if (!(await pathExists(textFile))) return { dir, model, loss };
  const t = jsonObject(await readInputJson(textFile, 64 * 2 ** 20), textFile) as Record<
    string,
    unknown
  >;
  for (const field of ["embeddings", "textField", "labelField"] as const)
    if (typeof t[field] !== "string")
      throw new UsageError(
        `${textFile}: "${field}" must be a string; got ${JSON.stringify(t[field])}`,
        textFile,
      );
  for (const field of ["tokens", "positionalScale", "dimension"] as const)
    if (typeof t[field] !== "number" || !Number.isFinite(t[field]))
      throw new UsageError(
        `${textFile}: "${field}" must be a number; got ${JSON.stringify(t[field])}`,
        textFile,
      );
  return { dir, model, loss, text: t as unknown as TextPipeline };
}

/**
 * Reads `solution.json` of a model folder: the convex solution with its layout and number of
 * training samples. The file is size-checked (256 MiB at most) and its fields are checked
 * (`validateSolution` of `@convexformer/interpret` checks the lengths against the layout);
 * errors are {@link UsageError}s naming the file and the field.
 *
 * @param dir - the model folder
 * @example
 * ```ts
 * import { readModelSolution } from "@convexformer/io/node";
 * await readModelSolution("/nonexistent").catch(() => "missing"); // "missing"
 * ```
 */
export async function readModelSolution(dir: string): Promise<ModelFolderSolution> {
  const file = join(dir, "solution.json");
  const root = (await readInputJson(file, 256 * 2 ** 20)) as Record<string, unknown>;
  const bad = (why: string): never => {
    throw new UsageError(`${file}: ${why}`, file);
  };
  if (typeof root !== "object" || root === null) bad("expected a JSON object");
  const layout = root.layout;
  if (typeof layout !== "object" || layout === null) bad('"layout" must be an object');
  const samples = root.samples;
  if (typeof samples !== "number") return bad('"samples" must be a number');
  const x = numbers(file, "x", root.x);
  if (root.kind === "sequence") {
    if (root.program !== "sequence" && root.program !== "sequence-relaxed")
      bad(`"program" must be sequence or sequence-relaxed; got ${JSON.stringify(root.program)}`);
    return {
      kind: "sequence",
      program: root.program as "sequence" | "sequence-relaxed",
      x,
      samples,
      layout: layout as SequenceLayout,
    };
  }
  if (root.kind !== "token")
    bad(`"kind" must be token or sequence; got ${JSON.stringify(root.kind)}`);
  if (root.program !== "scalar" && root.program !== "vector" && root.program !== "gated")
    bad(`"program" must be scalar, vector or gated; got ${JSON.stringify(root.program)}`);
  const g = root.gates as { u1?: unknown; u2?: unknown } | undefined;
  const gates =
    g === undefined
      ? undefined
      : { u1: numbers(file, "gates.u1", g.u1), u2: numbers(file, "gates.u2", g.u2) };
  return {
    kind: "token",
    program: root.program as "scalar" | "vector" | "gated",
    x,
    samples,
    layout: layout as ConvexAttentionLayout,
    gates,
  };
}

function numbers(file: string, field: string, value: unknown): Float64Array {
  if (!Array.isArray(value))
    throw new UsageError(`${file}: "${field}" must be an array of numbers`, file);
  const out = new Float64Array(value.length);
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new UsageError(
        `${file}: ${field}[${i}] must be a finite number; got ${JSON.stringify(v)}`,
        file,
      );
    out[i] = v;
  });
  return out;
}

function jsonObject(value: unknown, file: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${file}: expected a JSON object`, file);
  return value;
}
