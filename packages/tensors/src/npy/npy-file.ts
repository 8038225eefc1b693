import { randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { CorruptFileError } from "../errors.js";
import type { NpyArray, NpyInput } from "./npy-array.js";
import { readNpy } from "./read-npy.js";
import { writeNpy } from "./write-npy.js";

// Node only: exported from `@convexformer/tensors/node`, never from the browser-safe main entry.

/** The largest `.npy` file {@link readNpyFile} reads (2 GiB, the largest Node buffer here). */
const MAX_NPY_FILE_BYTES = 2 ** 31 - 1;

/**
 * Reads an `.npy` file from disk (Node only; the parsing is `readNpy` of
 * `@convexformer/tensors`). The size is checked before the file is read; errors name the path.
 *
 * @param path - the file to read
 * @throws `CorruptFileError` / `UnsupportedFormatError` as `readNpy`, and
 *   `CorruptFileError` for a file over 2 GiB
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { Matrix, npyToMatrix } from "@convexformer/tensors";
 * import { readNpyFile, writeNpyFile } from "@convexformer/tensors/node";
 * const file = join(mkdtempSync(join(tmpdir(), "npy-")), "X.npy");
 * await writeNpyFile(file, Matrix.fromRows([[1, 2], [3, 4]]));
 * const X = npyToMatrix(await readNpyFile(file), file);
 * X.toRows(); // [[1, 2], [3, 4]]
 * ```
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  const { size } = await stat(path);
  if (size > MAX_NPY_FILE_BYTES) {
    throw new CorruptFileError(
      path,
      `file is ${size} bytes, over the ${MAX_NPY_FILE_BYTES}-byte limit`,
    );
  }
  const bytes = await readFile(path);
  return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/**
 * Writes an array to an `.npy` file that `numpy.load` reads (Node only; the serialisation is
 * `writeNpy` of `@convexformer/tensors`). The write is atomic: the bytes go to a temporary file
 * beside `path`, which is then renamed over it, so a reader never sees a partial file.
 *
 * @param path - the file to write (replaced if it exists)
 * @param array - an `NpyArray`, a `Matrix` or a `TokenBatch`
 *
 * @example
 * ```ts
 * import { mkdtempSync, statSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { Matrix } from "@convexformer/tensors";
 * import { writeNpyFile } from "@convexformer/tensors/node";
 * const file = join(mkdtempSync(join(tmpdir(), "npy-")), "W.npy");
 * await writeNpyFile(file, Matrix.fromRows([[1, 2], [3, 4]]));
 * statSync(file).size; // 160
 * // python: np.load("W.npy") → array([[1., 2.], [3., 4.]])
 * ```
 */
export async function writeNpyFile(path: string, array: NpyInput): Promise<void> {
  const bytes = writeNpy(array);
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
