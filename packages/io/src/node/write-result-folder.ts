import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { InvalidOptionError } from "@convexformer/tensors";

/**
 * The manifest every result folder carries (written by {@link writeResultFolder}): JSON with
 * `writer`, a random `id`, the `written` time and the `files` written with it. A folder that
 * holds it is a result and may be replaced; the CLI refuses to replace any other folder.
 *
 * @example
 * ```ts
 * import { RESULT_MANIFEST } from "@convexformer/io/node";
 * RESULT_MANIFEST; // ".convexformer-result.json"
 * ```
 */
export const RESULT_MANIFEST = ".convexformer-result.json";

/**
 * The temporary sibling {@link writeResultFolder} fills before renaming it into place:
 * `<dir>.tmp-<pid>` (absolute). A caller that checks ahead of time that a result can be
 * written (as the CLI does before any work) creates and removes exactly this folder.
 *
 * @param dir - the result folder, relative to the working directory or absolute
 * @example
 * ```ts
 * import { resultFolderTemporary } from "@convexformer/io/node";
 * resultFolderTemporary("/data/run") === `/data/run.tmp-${process.pid}`; // true
 * ```
 */
export function resultFolderTemporary(dir: string): string {
  return `${resolve(dir)}.tmp-${process.pid}`;
}

/**
 * Writes a result folder as one atomic unit: every file goes into a temporary sibling
 * `<dir>.tmp-<pid>` (each file and the folder flushed with `fsync`), then the previous result,
 * if any, is renamed aside to `<dir>.old-<pid>`, the new folder is renamed into place, the parent
 * is flushed and the old folder removed. A reader sees the old complete folder or the new
 * complete one, never a mix; a crash (even SIGKILL) at any instant leaves one of them, after
 * {@link recoverResultFolder}, which every write runs first. A failed write removes its
 * temporary folder and puts the old result back. The folder also holds {@link RESULT_MANIFEST}.
 * Missing parent folders are created.
 *
 * @param dir - the result folder, relative to the working directory or absolute; replaced as a
 *   whole (files of the previous result that `files` does not name are gone)
 * @param files - file name → contents (a string is written as UTF-8); a name must be a plain
 *   file name: not empty, not `.` or `..`, no `/`, `\` or NUL, and not {@link RESULT_MANIFEST}
 * @throws `InvalidOptionError` (code `invalid-option`) for a bad file name (argument `files`)
 *   or a parent folder that cannot be created (argument `dir`), before anything is written;
 *   the file system's error when a write or rename fails (the old result is kept)
 * @example
 * ```ts
 * import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeResultFolder } from "@convexformer/io/node";
 * const dir = join(mkdtempSync(join(tmpdir(), "res-")), "e1");
 * await writeResultFolder(dir, { "result.json": "{}", "old.txt": "x" });
 * await writeResultFolder(dir, { "result.json": '{"run":2}' });
 * readFileSync(join(dir, "result.json"), "utf8"); // '{"run":2}'
 * readdirSync(dir); // [".convexformer-result.json", "result.json"]
 * await writeResultFolder(dir, { "../evil": "" }); // throws InvalidOptionError
 * ```
 */
export async function writeResultFolder(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  const names = Object.keys(files);
  for (const name of names) {
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
      throw new InvalidOptionError("files", name, "must be a plain file name (no slashes, no ..)");
    }
    if (name === RESULT_MANIFEST) {
      throw new InvalidOptionError("files", name, "is the manifest's name, written by the writer");
    }
  }
  const target = resolve(dir);
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw new InvalidOptionError(
      "dir",
      dir,
      `its parent cannot be created (${(error as Error).message})`,
    );
  }
  await recoverResultFolder(target);
  const temporary = resultFolderTemporary(target);
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
 * process that is no longer running (or of this process) is removed. The debris of a writer
 * that is still running is left alone. Returns the names it removed or restored.
 *
 * @param dir - the result folder, relative to the working directory or absolute; a missing
 *   folder or parent is fine (nothing to repair)
 * @example
 * ```ts
 * import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { recoverResultFolder, writeResultFolder } from "@convexformer/io/node";
 * const parent = mkdtempSync(join(tmpdir(), "res-"));
 * await writeResultFolder(join(parent, "run"), { "result.json": "{}" });
 * // what a writer killed while writing (pid 4194321, no longer running) leaves behind
 * mkdirSync(join(parent, "run.tmp-4194321"));
 * await recoverResultFolder(join(parent, "run")); // ["run.tmp-4194321"]
 * readdirSync(parent); // ["run"]
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
