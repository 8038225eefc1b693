import { readFile } from "node:fs/promises";
import {
  npyToTokenBatch,
  readNpy,
  ShapeMismatchError,
  UnsupportedFormatError,
  validateKnownOptions,
} from "@convexformer/tensors";
import { DEFAULT_MAX_BYTES, validateFileSize } from "./file-size.js";
import type { TokenDataset } from "./token-dataset.js";

/**
 * Options of {@link loadNpyTokens}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { NpyTokensOptions } from "@convexformer/io/node";
 * const options: NpyTokensOptions = { maxBytes: 2 ** 28 };
 * ```
 */
export interface NpyTokensOptions {
  /** Refuse files larger than this (default 1 GiB each). */
  readonly maxBytes?: number;
}

async function readChecked(argument: string, path: string, maxBytes: number) {
  await validateFileSize(argument, path, maxBytes);
  const bytes = await readFile(path);
  return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/**
 * Reads user features from `.npy` files: `features` an `N × n × d` array (float64, float32
 * or an integer type), `labels` an `N` or `N × c` numeric array. Sizes are checked against
 * the file before anything is read, and the header against the data by the tensors reader.
 *
 * @param features - path of the `.npy` file of features, an `N × n × d` numeric array
 * @param labels - path of the `.npy` file of labels, an `N` or `N × c` numeric array (same `N`)
 * @param options - {@link NpyTokensOptions}: `maxBytes` per file (default 1 GiB); unknown keys are
 *   errors
 * @throws `InvalidOptionError` for missing/oversized files; `CorruptFileError` /
 *   `UnsupportedFormatError` (from the reader, naming the file) for bad `.npy` contents;
 *   `ShapeMismatchError` naming the labels file when `N` differs
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpyFile } from "@convexformer/tensors/node";
 * import { loadNpyTokens } from "@convexformer/io/node";
 * const dir = mkdtempSync(join(tmpdir(), "npy-"));
 * await writeNpyFile(join(dir, "X.npy"), { dtype: "float64", shape: [2, 1, 2], data: new Float64Array([1, 2, 3, 4]) });
 * await writeNpyFile(join(dir, "y.npy"), { dtype: "float64", shape: [2], data: new Float64Array([1, -1]) });
 * const data = await loadNpyTokens(join(dir, "X.npy"), join(dir, "y.npy"));
 * data.X.samples; // 2
 * ```
 */
export async function loadNpyTokens(
  features: string,
  labels: string,
  options: NpyTokensOptions = {},
): Promise<TokenDataset> {
  validateKnownOptions("options", options, ["maxBytes"]);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const X = npyToTokenBatch(await readChecked("features", features, maxBytes), features);
  const y = await readChecked("labels", labels, maxBytes);
  if (y.dtype === "bool")
    throw new UnsupportedFormatError(labels, "labels must be numeric, not bool");
  if (y.shape.length < 1 || y.shape.length > 2 || y.shape[0] !== X.samples) {
    throw new ShapeMismatchError(
      labels,
      `expected labels of shape [${X.samples}] or [${X.samples}, c] (features ${features} has ${X.samples} samples), got [${y.shape.join(", ")}]`,
    );
  }
  const targets = Float64Array.from(y.data as ArrayLike<number>);
  for (let e = 0; e < targets.length; e++) {
    if (!Number.isFinite(targets[e] as number)) {
      throw new ShapeMismatchError(
        labels,
        `entry ${e} (sample ${Math.floor(e / (y.shape[1] ?? 1))}) is not finite: ${targets[e]}`,
      );
    }
  }
  return { X, targets, outputs: y.shape[1] ?? 1, source: `${features} + ${labels}` };
}
