import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "@convexformer/io";

/**
 * The benchmarks `convexformer bench` runs: name → script, relative to the repository root
 * (the root `package.json`'s `bench:*` scripts).
 *
 * @example
 * ```ts
 * import { BENCHMARKS } from "./repository-root.js"; // internal module
 * BENCHMARKS.tensors; // "packages/tensors/bench/gemm.bench.ts"
 * ```
 */
export const BENCHMARKS = {
  tensors: "packages/tensors/bench/gemm.bench.ts",
  solvers: "packages/solvers/bench/solvers.bench.ts",
  attention: "packages/attention/bench/attention.bench.ts",
  baselines: "packages/baselines/bench/decoder.bench.ts",
} as const;

/**
 * A benchmark name: a key of {@link BENCHMARKS}.
 *
 * @example
 * ```ts
 * import type { BenchmarkName } from "./repository-root.js"; // internal module
 * const name: BenchmarkName = "solvers";
 * ```
 */
export type BenchmarkName = keyof typeof BENCHMARKS;

function isRoot(dir: string): boolean {
  return (
    existsSync(join(dir, "pnpm-workspace.yaml")) &&
    Object.values(BENCHMARKS).every((script) => existsSync(join(dir, script)))
  );
}

/**
 * The Convexformer repository (a clone, with its `packages/*\/bench/` scripts) that holds
 * `start`, or else the current directory: the nearest ancestor with `pnpm-workspace.yaml`
 * and every benchmark script of {@link BENCHMARKS}. The benchmarks are not shipped in the
 * npm tarball, so outside a clone this throws a {@link UsageError} saying so.
 *
 * @param start - where to look from (default: this module's folder, then the current directory)
 * @example
 * ```ts
 * import { tmpdir } from "node:os";
 * import { findRepositoryRoot } from "./repository-root.js"; // internal module
 * let name = "";
 * try {
 *   findRepositoryRoot(tmpdir());
 * } catch (e) {
 *   name = (e as Error).name;
 * }
 * name; // "UsageError"
 * ```
 */
export function findRepositoryRoot(start?: string): string {
  const starts =
    start === undefined ? [dirname(fileURLToPath(import.meta.url)), process.cwd()] : [start];
  for (const from of starts) {
    let dir = resolve(from);
    for (;;) {
      if (isRoot(dir)) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new UsageError(
    `bench: the benchmark scripts (packages/*/bench/*.bench.ts) are not shipped with the package; run convexformer bench from a clone of the Convexformer repository (searched above ${starts.join(" and ")})`,
  );
}
