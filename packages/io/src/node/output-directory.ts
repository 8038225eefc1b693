import { constants } from "node:fs";
import { access, lstat, mkdir, readdir, rmdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "../usage-error.js";
import {
  RESULT_MANIFEST,
  recoverResultFolder,
  resultFolderTemporary,
} from "./write-result-folder.js";

/** Most missing ancestors an output path may have (they are created one level at a time). */
const MAX_MISSING_LEVELS = 32;

/**
 * Checks, before any work, that `dir` can receive a result folder written by
 * `writeResultFolder`: it is absent (its missing ancestors are created now, one level at a
 * time, never recursing without bound) or a directory that is empty, holds a previous result
 * (the manifest) or only files named in `knownFiles`; and its parent accepts a new sibling (a
 * probe folder is created and removed, so permissions, read-only mounts and pseudo file systems
 * such as `/proc` are caught). Debris of a crashed write is repaired first. Throws a
 * {@link UsageError} naming the option (one line) otherwise; returns the absolute path.
 *
 * @param option - the option's name for messages, e.g. `"--save"`
 * @param dir - the directory given
 * @param knownFiles - file names a previous result of this command holds
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { validateOutputDirectory } from "@convexformer/io/node";
 * const out = await validateOutputDirectory("--save", join(mkdtempSync(join(tmpdir(), "cf-")), "a", "b"));
 * out.endsWith("b"); // true
 * ```
 */
export async function validateOutputDirectory(
  option: string,
  dir: string,
  knownFiles: readonly string[] = [],
): Promise<string> {
  if (dir.trim() === "") throw new UsageError(`${option}: must name a directory; got ""`);
  const target = resolve(dir);
  if (dirname(target) === target)
    throw new UsageError(`${option} ${dir}: cannot replace the root directory`);
  if (target === resolve(process.cwd()))
    throw new UsageError(`${option} ${dir}: cannot replace the current directory`);
  const fail = (why: string): never => {
    throw new UsageError(`${option} ${dir}: ${why}`);
  };
  // the nearest existing ancestor must be a directory; create the missing levels below it
  const missing: string[] = [];
  let probe = dirname(target);
  for (;;) {
    const info = await lstatOrUndefined(probe);
    if (info !== undefined) {
      const resolved = info.isSymbolicLink() ? await statOrUndefined(probe) : info;
      if (resolved === undefined) fail(`${probe} is a dangling or looping symbolic link`);
      else if (!resolved.isDirectory()) fail(`${probe} is not a directory`);
      break;
    }
    missing.push(probe);
    if (missing.length > MAX_MISSING_LEVELS)
      fail(`more than ${MAX_MISSING_LEVELS} missing parent directories`);
    const up = dirname(probe);
    if (up === probe) fail("no existing parent directory");
    probe = up;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        fail(`cannot create ${level} (${describe(error)})`);
    }
  }
  await recoverResultFolder(target).catch(() => {});
  const info = await lstatOrUndefined(target);
  if (info !== undefined) {
    const resolved = info.isSymbolicLink() ? await statOrUndefined(target) : info;
    if (resolved === undefined) fail("is a dangling or looping symbolic link");
    else if (!resolved.isDirectory()) fail("exists and is not a directory");
    let entries: string[];
    try {
      entries = await readdir(target);
      await access(target, constants.W_OK | constants.X_OK);
    } catch (error) {
      return fail(`cannot be written (${describe(error)})`);
    }
    const foreign = entries.filter((e) => e !== RESULT_MANIFEST && !knownFiles.includes(e));
    if (!entries.includes(RESULT_MANIFEST) && foreign.length > 0) {
      fail(
        `exists and holds other files (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}); a result replaces the whole folder, so name a new or empty one`,
      );
    }
  }
  // the result is written beside the target and renamed into place: try exactly that
  const sibling = resultFolderTemporary(target);
  try {
    await mkdir(sibling);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST")
      fail(`cannot write in ${dirname(target)} (${describe(error)})`);
  }
  await rmdir(sibling).catch(() => {});
  return target;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`${path}: ${describe(error)}`);
  }
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a path component is not a directory",
    ENOSPC: "no space left",
    ELOOP: "symbolic link loop",
    ENOENT: "no such file or directory",
  };
  return (e.code !== undefined ? reasons[e.code] : undefined) ?? e.code ?? String(error);
}
