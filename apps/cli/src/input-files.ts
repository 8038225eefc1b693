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
 * import { readInputNpy } from "convexformer";
 * const X = await readInputNpy("problem/X.npy");
 * X.shape; // e.g. [100, 8, 16]
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
 * import { readInputText } from "convexformer";
 * const text = await readInputText("problem/problem.json");
 * ```
 */
export async function readInputText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new UsageError(`${path}: cannot read the file`);
  }
}
