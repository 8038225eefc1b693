import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Matrix } from "../matrix.js";
import { readNpyFile, writeNpyFile } from "./npy-file.js";
import { writeNpy } from "./write-npy.js";

describe("readNpyFile / writeNpyFile", () => {
  it("writes atomically: the file is replaced whole and no temporary file is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-file-"));
    const path = join(dir, "W.npy");
    writeFileSync(path, "an older, unrelated content");
    await writeNpyFile(
      path,
      Matrix.fromRows([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(readdirSync(dir)).toEqual(["W.npy"]);
    expect(new Uint8Array(readFileSync(path))).toEqual(
      writeNpy(
        Matrix.fromRows([
          [1, 2],
          [3, 4],
        ]),
      ),
    );
    const back = await readNpyFile(path);
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data)).toEqual([1, 2, 3, 4]);
  });

  it("leaves nothing behind when the write fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-file-"));
    await expect(writeNpyFile(join(dir, "missing", "W.npy"), Matrix.identity(2))).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("names the path of a corrupt file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-file-"));
    const path = join(dir, "bad.npy");
    writeFileSync(path, new Uint8Array([0x93, 0x4e, 0x55]));
    await expect(readNpyFile(path)).rejects.toThrow(path);
  });
});
