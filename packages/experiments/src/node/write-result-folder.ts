import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InvalidOptionError } from "@convexformer/tensors";

/**
 * Writes a result folder as one atomic unit: every file goes into a temporary sibling
 * directory (`<dir>.tmp-<pid>-<random>`), each is fsynced, then an existing `dir` is renamed
 * aside (`<dir>.old-…`), the new one renamed into place, and the old one removed; the
 * parent directory is fsynced. A reader sees the old complete folder or the new complete
 * folder, never a mix. Debris of an earlier crashed write (`<dir>.tmp-*`, `<dir>.old-*`) is
 * removed first (an `.old-*` left while `dir` is missing is renamed back).
 *
 * This is the experiments package's small copy; the CLI's shared writer may replace it.
 *
 * @param dir - the result folder
 * @param files - file names (no slashes, no `..`) and their contents
 * @throws `InvalidOptionError` for a bad file name or an uncreatable parent directory
 *
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeResultFolder } from "@convexformer/experiments/node";
 * const dir = join(mkdtempSync(join(tmpdir(), "res-")), "e1");
 * await writeResultFolder(dir, { "result.json": "{}" });
 * readFileSync(join(dir, "result.json"), "utf8"); // "{}"
 * ```
 */
export async function writeResultFolder(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const name of Object.keys(files)) {
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
      throw new InvalidOptionError("files", name, "must be a plain file name (no slashes, no ..)");
    }
  }
  const parent = dirname(dir);
  const base = basename(dir);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw new InvalidOptionError(
      "dir",
      dir,
      `its parent cannot be created (${(error as Error).message})`,
    );
  }
  await cleanDebris(parent, base);
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = join(parent, `${base}.tmp-${tag}`);
  const old = join(parent, `${base}.old-${tag}`);
  await mkdir(tmp);
  try {
    for (const [name, content] of Object.entries(files)) {
      const handle = await open(join(tmp, name), "w");
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await syncDir(tmp);
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (exists) await rename(dir, old);
    await rename(tmp, dir);
    await syncDir(parent);
    if (exists) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await handle.close();
  }
}

async function cleanDebris(parent: string, base: string): Promise<void> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  const present = entries.includes(base);
  let restored = present;
  for (const entry of entries) {
    if (entry.startsWith(`${base}.old-`) && !restored) {
      await rename(join(parent, entry), join(parent, base));
      restored = true;
    } else if (entry.startsWith(`${base}.tmp-`) || entry.startsWith(`${base}.old-`)) {
      await rm(join(parent, entry), { recursive: true, force: true });
    }
  }
}
