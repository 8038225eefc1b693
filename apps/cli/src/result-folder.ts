import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/**
 * The manifest every result folder carries, listing the files written with it.
 *
 * @example
 * ```ts
 * import { RESULT_MANIFEST } from "convexformer";
 * RESULT_MANIFEST; // ".convexformer-result.json"
 * ```
 */
export const RESULT_MANIFEST = ".convexformer-result.json";

/**
 * Writes a result folder as one atomic unit: every file goes into a temporary sibling
 * `<dir>.tmp-<pid>` (each file and the folder flushed with `fsync`), then the previous result,
 * if any, is renamed aside to `<dir>.old-<pid>`, the new folder is renamed into place, the parent
 * is flushed and the old folder removed. A crash at any instant leaves either the old complete
 * result or the new one (after {@link recoverResultFolder}, which every writer runs first), and
 * a failed write removes its temporary folder. The folder also holds {@link RESULT_MANIFEST}.
 *
 * @param dir - the result folder (replaced as a whole)
 * @param files - file name (no path separators) → contents
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeResultFolder } from "convexformer";
 * const dir = join(mkdtempSync(join(tmpdir(), "cf-")), "run");
 * await writeResultFolder(dir, { "result.json": "{\"ok\":true}\n" });
 * readFileSync(join(dir, "result.json"), "utf8"); // '{"ok":true}\n'
 * ```
 */
export async function writeResultFolder(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  const names = Object.keys(files);
  for (const name of names) {
    if (
      name === "" ||
      name === "." ||
      name === ".." ||
      /[/\\]/.test(name) ||
      name === RESULT_MANIFEST
    )
      throw new Error(`writeResultFolder: invalid file name ${JSON.stringify(name)}`);
  }
  await recoverResultFolder(target);
  const temporary = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary);
  try {
    const manifest = {
      writer: "convexformer",
      id: randomBytes(8).toString("hex"),
      written: new Date().toISOString(),
      files: names,
    };
    for (const name of names)
      await writeFlushed(join(temporary, name), files[name] as string | Uint8Array);
    await writeFlushed(join(temporary, RESULT_MANIFEST), `${JSON.stringify(manifest)}\n`);
    await flushDirectory(temporary);
    const hadOld = await exists(target);
    if (hadOld) await rename(target, old);
    await rename(temporary, target);
    await flushDirectory(parent);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true }).catch(() => {});
    // a failure between the two renames: put the old result back
    if (!(await exists(target)) && (await exists(old))) await rename(old, target).catch(() => {});
    throw error;
  }
}

/**
 * Repairs what a crashed {@link writeResultFolder} may have left beside `dir`: when `dir` is
 * missing but a `<dir>.old-<pid>` of a dead process exists (a crash between the two renames),
 * the old result is renamed back; then every `<dir>.tmp-<pid>` and `<dir>.old-<pid>` of a
 * process that is no longer running is removed. Returns the names it removed or restored.
 *
 * @param dir - the result folder
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { recoverResultFolder } from "convexformer";
 * await recoverResultFolder(join(mkdtempSync(join(tmpdir(), "cf-")), "run")); // []
 * ```
 */
export async function recoverResultFolder(dir: string): Promise<string[]> {
  const target = resolve(dir);
  const parent = dirname(target);
  const base = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const debris = entries
    .map((name) => {
      const m = /^(.*)\.(tmp|old)-(\d+)$/.exec(name);
      return m !== null && m[1] === base
        ? { name, kind: m[2] as "tmp" | "old", pid: Number(m[3]) }
        : undefined;
    })
    .filter((d): d is { name: string; kind: "tmp" | "old"; pid: number } => d !== undefined)
    .filter((d) => d.pid === process.pid || !alive(d.pid));
  const touched: string[] = [];
  if (!(await exists(target))) {
    const old = debris.find((d) => d.kind === "old");
    if (old !== undefined) {
      await rename(join(parent, old.name), target);
      touched.push(old.name);
      debris.splice(debris.indexOf(old), 1);
    }
  }
  for (const d of debris) {
    await rm(join(parent, d.name), { recursive: true, force: true });
    touched.push(d.name);
  }
  return touched;
}

async function writeFlushed(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function flushDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } catch {
    // some file systems do not flush directories; the renames stay atomic
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
