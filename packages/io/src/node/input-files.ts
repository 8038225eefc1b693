import { readFile, stat } from "node:fs/promises";
import { type NpyArray, readNpy } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";
import { formatBytes } from "./memory-limit.js";

/**
 * Reads an input `.npy` file; a missing, unreadable, looping or oversized file is a
 * {@link UsageError} naming it (checked before reading), a malformed one the tensors package's
 * typed error (which also names it).
 *
 * @param path - the file
 * @param maxBytes - the largest file accepted (default: no limit)
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { readInputNpy } from "@convexformer/io/node";
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * const data = new Float64Array(6);
 * writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [3, 2], data }));
 * const X = await readInputNpy(join(dir, "X.npy"));
 * X.shape; // [3, 2]
 * ```
 */
export async function readInputNpy(
  path: string,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<NpyArray> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path}: not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: ${fileError(error)}`);
  }
  if (size > maxBytes)
    throw new UsageError(
      `${path}: ${formatBytes(size)} exceeds the memory limit of ${formatBytes(maxBytes)} (CONVEXFORMER_MEMORY_LIMIT)`,
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`${path}: ${fileError(error)}`);
  }
  return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/**
 * Reads an input text file (e.g. `problem.json`); a missing file is a {@link UsageError}.
 *
 * @param path - the file
 * @param maxBytes - the largest file accepted (default 16 MiB)
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readInputText } from "@convexformer/io/node";
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * writeFileSync(join(dir, "problem.json"), '{"kind": "group-lasso"}');
 * const text = await readInputText(join(dir, "problem.json"));
 * JSON.parse(text); // { kind: "group-lasso" }
 * ```
 */
export async function readInputText(path: string, maxBytes = 16 * 2 ** 20): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path}: not a file`);
    if (info.size > maxBytes)
      throw new UsageError(
        `${path}: ${formatBytes(info.size)}; at most ${formatBytes(maxBytes)} accepted`,
      );
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: ${fileError(error)}`);
  }
}

/**
 * Reads and parses an input JSON file: {@link readInputText}'s checks, then a
 * {@link UsageError} `<path>: not JSON (…)` for text that does not parse.
 *
 * @param path - the file
 * @param maxBytes - the largest file accepted (default 16 MiB)
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readInputJson } from "@convexformer/io/node";
 * const dir = mkdtempSync(join(tmpdir(), "json-"));
 * writeFileSync(join(dir, "a.json"), '{"kind": "group-lasso"}');
 * await readInputJson(join(dir, "a.json")); // { kind: "group-lasso" }
 * writeFileSync(join(dir, "b.json"), "{");
 * await readInputJson(join(dir, "b.json")); // throws UsageError
 * ```
 */
export async function readInputJson(path: string, maxBytes = 16 * 2 ** 20): Promise<unknown> {
  const text = await readInputText(path, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path}: not JSON (${(error as Error).message})`, path);
  }
}

function fileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "missing";
    case "ELOOP":
      return "symbolic link loop";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a path component is not a directory";
    case "ENAMETOOLONG":
      return "name too long";
    default:
      return `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}
