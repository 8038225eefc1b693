import { open, rename, rm } from "node:fs/promises";

/**
 * Writes a file so that an interrupted run never leaves a half-written one: the bytes go to a
 * temporary sibling first (flushed with `fsync`), which is then renamed over the target; a
 * failed write removes the temporary file. The file checkpoint store saves through it. For
 * several files that belong together use {@link writeResultFolder}, which replaces a whole
 * folder atomically.
 *
 * @param path - the file to write or replace; its folder must exist. The temporary sibling is
 *   `<path>.<pid>.partial`
 * @param data - the contents (a string is written as UTF-8)
 * @example
 * ```ts
 * import { writeFileAtomic } from "@convexformer/io/node";
 * await writeFileAtomic("/tmp/result.json", JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}
