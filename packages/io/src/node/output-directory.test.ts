import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateOutputDirectory } from "./output-directory.js";

describe("outputs are checked before any work", () => {
  const root = mkdtempSync(join(tmpdir(), "convexformer-out-"));
  const file = join(root, "a-file");
  writeFileSync(file, "x");
  const foreign = join(root, "mine");
  mkdirSync(foreign);
  writeFileSync(join(foreign, "notes.txt"), "keep me");
  symlinkSync(join(root, "nowhere"), join(root, "dangling"));

  it.each([
    [file, "exists and is not a directory"],
    [join(file, "sub"), "is not a directory"],
    ["/proc/convexformer-x", "cannot write in /proc"],
    [foreign, "holds other files (notes.txt)"],
    [join(root, "dangling"), "dangling or looping symbolic link"],
    [".", "cannot replace the current directory"],
  ])("--save %s is refused: %s", async (dir, message) => {
    await expect(validateOutputDirectory("--save", dir)).rejects.toThrow(message);
    await expect(validateOutputDirectory("--save", dir)).rejects.toThrow(/^--save /);
  });

  it("creates missing parents one level at a time and accepts a previous result", async () => {
    const deep = join(root, "a", "b", "c");
    expect(await validateOutputDirectory("--save", deep)).toBe(deep);
    const previous = join(root, "previous");
    mkdirSync(previous);
    writeFileSync(join(previous, "x.npy"), "old");
    expect(await validateOutputDirectory("--save", previous, ["x.npy", "result.json"])).toBe(
      previous,
    );
  });
});
