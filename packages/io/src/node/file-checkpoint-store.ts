import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { InvalidOptionError } from "@convexformer/tensors";
import { type CheckpointStore, decodeCheckpoint, encodeCheckpoint } from "../checkpoint.js";
import { writeFileAtomic } from "./atomic-write.js";

/**
 * A {@link CheckpointStore} in one file: `save` writes it with {@link writeFileAtomic}
 * (a flushed temporary sibling renamed over `path`: a crash leaves the previous checkpoint or
 * the new one);
 * `load` checks the size (at most `maxBytes`, default 4 GiB) and decodes it.
 *
 * @param path - the checkpoint file (e.g. `runs/e2/checkpoint.bin`); `save` creates its folder
 * @param maxBytes - `load` refuses a file larger than this many bytes (default 4 GiB)
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { fileCheckpointStore } from "@convexformer/io/node";
 * const store = fileCheckpointStore(join(mkdtempSync(join(tmpdir(), "ck-")), "checkpoint.bin"));
 * await store.save({ meta: { step: 5 }, arrays: { w: new Float64Array([1]) } });
 * (await store.load())?.meta; // { step: 5 }
 * ```
 */
export function fileCheckpointStore(path: string, maxBytes = 4 * 2 ** 30): CheckpointStore {
  return {
    load: async () => {
      const s = await stat(path).catch(() => undefined);
      if (s === undefined) return undefined;
      if (!s.isFile()) throw new InvalidOptionError("checkpoint", path, "is not a regular file");
      if (s.size > maxBytes) {
        throw new InvalidOptionError(
          "checkpoint",
          path,
          `is ${s.size} bytes, over the limit of ${maxBytes}`,
        );
      }
      return decodeCheckpoint(new Uint8Array(await readFile(path)), path);
    },
    save: async (checkpoint) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, encodeCheckpoint(checkpoint));
    },
  };
}
