import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeNpy } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";

// run the real binary from its source, as `node bin.ts`, to check exit codes and streams
const tsx = createRequire(import.meta.url).resolve("tsx");
const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));

function convexformer(...args: string[]) {
  return spawnSync(
    process.execPath,
    ["--conditions=@convexformer/source", "--import", tsx, bin, ...args],
    {
      encoding: "utf8",
      timeout: 60_000,
    },
  );
}

describe("the convexformer binary", () => {
  const dir = mkdtempSync(join(tmpdir(), "convexformer-bin-"));
  writeFileSync(
    join(dir, "problem.json"),
    JSON.stringify({ kind: "group-lasso", loss: "squared", lambda: 0.5 }),
  );
  writeFileSync(
    join(dir, "X.npy"),
    writeNpy({ dtype: "float64", shape: [3, 2], data: new Float64Array([1, 0, 0, 1, 1, 1]) }),
  );
  writeFileSync(
    join(dir, "y.npy"),
    writeNpy({ dtype: "float64", shape: [3], data: new Float64Array([1, -1, 0.5]) }),
  );

  it("stops quietly when the reader closes its pipe early (`convexformer solve --help | true`)", () => {
    const r = spawnSync(
      "/bin/sh",
      [
        "-c",
        `"${process.execPath}" --conditions=@convexformer/source --import "${tsx}" "${bin}" solve --help | true; echo "status $?"`,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.stdout).toContain("status 0");
  });

  it("exits 0 with one JSON line on stdout for a certified solve", () => {
    const r = convexformer("solve", dir, "--json", "--tolerance", "1e-9");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).status).toBe("converged");
  });

  it("exits 2 on a bad option value and on a missing argument, printing usage to stderr", () => {
    const bad = convexformer("solve", dir, "--tolerance", "-1");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--tolerance");
    const missing = convexformer("solve");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("problem-dir");
  });

  it("exits 0 for --version and --help", () => {
    expect(convexformer("--version").status).toBe(0);
    const help = convexformer("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("solve");
    expect(help.stdout).toContain("demo");
  });
});
