import { rename, writeFile } from "node:fs/promises";

/**
 * Writes a file so that an interrupted run never leaves a half-written one: the bytes go to a
 * temporary sibling first, which is then renamed over the target.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "convexformer";
 * await writeFileAtomic("/tmp/result.json", JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
