#!/usr/bin/env node
// Runs TypeDoc over every package and fails on any warning or error. TypeDoc's
// treatWarningsAsErrors does not reach the per-package conversions of the "packages" strategy,
// so this wrapper reads the log instead: an undocumented public symbol or a broken {@link} fails.
import { spawnSync } from "node:child_process";

const result = spawnSync("pnpm", ["exec", "typedoc", ...process.argv.slice(2)], {
  encoding: "utf8",
});
const log = `${result.stdout}${result.stderr}`;
process.stdout.write(log);
const problems = log
  .split("\n")
  .filter(
    (line) => /\[(warning|error)\]/.test(line) && !/Found \d+ errors and \d+ warnings/.test(line),
  );
if (result.status !== 0 || problems.length > 0) {
  console.error(
    `typedoc: ${problems.length} warning(s)/error(s); every public symbol needs TSDoc and valid links`,
  );
  process.exit(1);
}
