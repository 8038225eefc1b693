import { readFile, stat } from "node:fs/promises";
import type { NpyArray } from "@convexformer/tensors";
import { readNpyFile } from "@convexformer/tensors/node";
import { UsageError } from "./usage-error.js";

/**
 * Reads an input `.npy` file; a missing or unreadable file is a {@link UsageError} naming
 * it, a malformed one the tensors package's typed error (which also names it).
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { readInputNpy } from "convexformer";
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * const data = new Float64Array(6);
 * writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [3, 2], data }));
 * const X = await readInputNpy(join(dir, "X.npy"));
 * X.shape; // [3, 2]
 * ```
 */
export async function readInputNpy(path: string): Promise<NpyArray> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path}: not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: missing`);
  }
  return readNpyFile(path);
}

/**
 * Reads an input text file (e.g. `problem.json`); a missing file is a {@link UsageError}.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readInputText } from "convexformer";
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * writeFileSync(join(dir, "problem.json"), '{"kind": "group-lasso"}');
 * const text = await readInputText(join(dir, "problem.json"));
 * JSON.parse(text); // { kind: "group-lasso" }
 * ```
 */
export async function readInputText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new UsageError(`${path}: cannot read the file`);
  }
}
