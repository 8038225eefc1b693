import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { UsageError } from "@convexformer/io";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { CliIo } from "../cli-io.js";
import { BENCHMARKS, type BenchmarkName, findRepositoryRoot } from "../repository-root.js";

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGKILL: 137 };

function runScript(
  root: string,
  script: string,
  args: readonly string[],
  io: CliIo,
  capture: boolean,
): Promise<{ code: number; stdout: string }> {
  const tsx = createRequire(join(root, "package.json")).resolve("tsx");
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@convexformer/source", "--import", tsx, join(root, script), ...args],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (capture) stdout += chunk;
      else io.stdout(chunk);
    });
    child.stderr.on("data", (chunk: string) => io.stderr(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolvePromise({
        code: code ?? (signal === null ? 1 : (SIGNAL_CODES[signal] ?? 1)),
        stdout,
      }),
    );
  });
}

/**
 * Runs `convexformer bench [name]`: the repository's benchmark scripts (the root
 * `package.json`'s `bench:*` scripts: {@link BENCHMARKS}) from a clone, each in its own
 * Node process through tsx, their progress on standard error. One benchmark: its JSON
 * document is passed through unchanged; none named: all four in turn, as one JSON object
 * keyed by name. `args` go to the script (e.g. `--quick`). Outside a clone (the scripts are
 * not in the npm tarball) it exits 2 with one line saying so. Returns the exit code: 0 done,
 * 1 a benchmark failed, 2 bad usage, 130/143 interrupted.
 *
 * @param name - the benchmark, or `undefined` for all
 * @param args - arguments for the script(s)
 * @param io - where to write
 * @param root - the repository (default: found by {@link findRepositoryRoot})
 * @example
 * ```ts
 * import { tmpdir } from "node:os";
 * import { processIo, runBench } from "convexformer";
 * // the temporary folder is not a clone of the repository
 * const code = await runBench("tensors", ["--quick"], processIo(), tmpdir());
 * code; // 2
 * ```
 */
export async function runBench(
  name: BenchmarkName | undefined,
  args: readonly string[],
  io: CliIo,
  root?: string,
): Promise<number> {
  try {
    const repo = findRepositoryRoot(root);
    if (name !== undefined) return (await runScript(repo, BENCHMARKS[name], args, io, false)).code;
    const report: Record<string, unknown> = {};
    for (const [bench, script] of Object.entries(BENCHMARKS)) {
      io.stderr(`convexformer bench: ${bench} (${script})\n`);
      const run = await runScript(repo, script, args, io, true);
      if (run.code !== 0) {
        io.stderr(`convexformer bench: ${bench} exited with code ${run.code}\n`);
        return run.code;
      }
      try {
        report[bench] = JSON.parse(run.stdout);
      } catch {
        io.stderr(`convexformer bench: ${bench} did not print one JSON document\n`);
        return 1;
      }
    }
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`convexformer ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * Registers `convexformer bench [tensors|solvers|attention|baselines] [-- args…]`.
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerBenchCommand } from "./bench.js"; // internal module
 * registerBenchCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerBenchCommand(program: Command, io: CliIo): void {
  const names = Object.keys(BENCHMARKS);
  program
    .command("bench")
    .description(
      "run the repository's benchmarks (from a clone) and print their JSON: tensors (GEMM), solvers, attention, baselines (decoder vs PyTorch)",
    )
    .argument(
      "[benchmark]",
      `one of ${names.join(", ")} (default: all, as one JSON object)`,
      (v: string) => {
        if (!names.includes(v))
          throw new InvalidArgumentError(
            `[benchmark] must be one of ${names.join(", ")}; got "${v}".`,
          );
        return v;
      },
    )
    .argument("[args...]", "arguments for the benchmark script, after -- (e.g. -- --quick)")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 a benchmark failed, 2 bad usage or not in a clone, 130 SIGINT.",
    )
    .action(async (benchmark: string | undefined, args: string[]) => {
      process.exitCode = await runBench(benchmark as BenchmarkName | undefined, args, io);
    });
}
