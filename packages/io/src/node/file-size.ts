import { stat } from "node:fs/promises";
import { InvalidOptionError } from "@convexformer/tensors";

/**
 * Default cap on the size of a data file a loader reads: 1 GiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_BYTES } from "@convexformer/io/node";
 * DEFAULT_MAX_BYTES; // 1073741824
 * ```
 */
export const DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * Checks that `path` is a regular file of at most `maxBytes` bytes before anything reads it;
 * returns its size.
 *
 * @throws `InvalidOptionError` naming `argument` for a missing file, a non-file, or a file over the cap
 */
export async function validateFileSize(
  argument: string,
  path: string,
  maxBytes: number,
): Promise<number> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InvalidOptionError(argument, path, "is not a regular file");
    size = s.size;
  } catch (error) {
    if (error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError(argument, path, `cannot be read (${(error as Error).message})`);
  }
  if (size > maxBytes) {
    throw new InvalidOptionError(
      argument,
      path,
      `is ${size} bytes, over the limit of ${maxBytes} (raise maxBytes)`,
    );
  }
  return size;
}
