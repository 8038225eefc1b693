import { lstat } from "node:fs/promises";

/**
 * Whether anything (a file, a folder, a link) is at `path`, without following a link.
 *
 * @param path - the path to look at
 * @example
 * ```ts
 * import { pathExists } from "./path-exists.js"; // internal module
 * await pathExists("/"); // true
 * await pathExists("/no/such/path"); // false
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
