import type { NpyArray, NpyInput } from "./npy-array.js";
import { readNpy } from "./read-npy.js";
import { writeNpy } from "./write-npy.js";

// node:fs is imported lazily so that importing @convexformer/tensors stays browser-safe.

/**
 * Reads an `.npy` file from disk (Node only; the parsing is {@link readNpy}). Errors name the
 * path.
 *
 * @param path - the file to read
 * @throws {@link CorruptFileError} / {@link UnsupportedFormatError} as {@link readNpy}
 *
 * @example
 * ```ts
 * import { readNpyFile, npyToMatrix } from "@convexformer/tensors";
 * const X = npyToMatrix(await readNpyFile("X.npy"), "X.npy");
 * ```
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(path);
  return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/**
 * Writes an array to an `.npy` file that `numpy.load` reads (Node only; the serialisation is
 * {@link writeNpy}).
 *
 * @param path - the file to write (replaced if it exists)
 * @param array - an {@link NpyArray}, a `Matrix` or a `TokenBatch`
 *
 * @example
 * ```ts
 * import { Matrix, writeNpyFile } from "@convexformer/tensors";
 * await writeNpyFile("W.npy", Matrix.fromRows([[1, 2], [3, 4]]));
 * // python: np.load("W.npy") → array([[1., 2.], [3., 4.]])
 * ```
 */
export async function writeNpyFile(path: string, array: NpyInput): Promise<void> {
  const bytes = writeNpy(array);
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path, bytes);
}
