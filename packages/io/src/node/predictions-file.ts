import { lstat, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeNpy } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";
import { writeFileAtomic } from "./atomic-write.js";

/**
 * Checks, before any work, that `out` can receive a predictions file: it ends in `.npy` or
 * `.jsonl`, its folder exists (one missing level is created) and it is not something other
 * than a file. Throws a {@link UsageError} naming `option` otherwise.
 *
 * @param option - the option's name for messages, e.g. `"--out"`
 * @param out - the predictions file
 * @example
 * ```ts
 * import { validatePredictionsFile } from "@convexformer/io/node";
 * await validatePredictionsFile("--out", "p.csv"); // throws UsageError
 * ```
 */
export async function validatePredictionsFile(option: string, out: string): Promise<void> {
  const lower = out.toLowerCase();
  if (!lower.endsWith(".npy") && !lower.endsWith(".jsonl"))
    throw new UsageError(`${option} ${out}: must end in .npy or .jsonl`, option);
  let parent = await lstat(dirname(out)).catch(() => undefined);
  if (parent === undefined) {
    // one missing level (the default convexformer-out/) is created
    await mkdir(dirname(out)).catch(() => {});
    parent = await lstat(dirname(out)).catch(() => undefined);
  }
  if (parent === undefined || !parent.isDirectory())
    throw new UsageError(`${option} ${out}: ${dirname(out)} is not an existing folder`, option);
  const existing = await lstat(out).catch(() => undefined);
  if (existing !== undefined && !existing.isFile())
    throw new UsageError(`${option} ${out}: exists and is not a file`, option);
}

/**
 * Writes predictions atomically ({@link writeFileAtomic}): `.npy`: float64 `N` (one output)
 * or `N × c`; `.jsonl`: one `{"prediction": …, "label": …}` per sample (a number when there
 * is one value, else an array).
 *
 * @param out - the file; its extension (`.npy` or `.jsonl`, any case) chooses the format
 * @param predictions - `N · c` predictions, sample-major
 * @param samples - `N`
 * @param labels - `N · k` labels, sample-major, for `.jsonl`
 * @param labelsPerSample - `k`
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writePredictionsFile } from "@convexformer/io/node";
 * const file = join(mkdtempSync(join(tmpdir(), "p-")), "p.jsonl");
 * await writePredictionsFile(file, new Float64Array([0.5, -1]), 2, new Float64Array([1, -1]), 1);
 * readFileSync(file, "utf8").split("\n")[0]; // '{"prediction":0.5,"label":1}'
 * ```
 */
export async function writePredictionsFile(
  out: string,
  predictions: Float64Array,
  samples: number,
  labels: Float64Array,
  labelsPerSample: number,
): Promise<void> {
  const N = samples;
  const width = predictions.length / N;
  if (out.toLowerCase().endsWith(".npy")) {
    await writeFileAtomic(
      out,
      writeNpy({ dtype: "float64", shape: width === 1 ? [N] : [N, width], data: predictions }),
    );
    return;
  }
  const k = labelsPerSample;
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const p = Array.from(predictions.subarray(i * width, (i + 1) * width));
    const y = Array.from(labels.subarray(i * k, (i + 1) * k));
    lines.push(JSON.stringify({ prediction: width === 1 ? p[0] : p, label: k === 1 ? y[0] : y }));
  }
  await writeFileAtomic(out, `${lines.join("\n")}\n`);
}
