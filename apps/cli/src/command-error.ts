import { ConvexformerError } from "@convexformer/tensors";
import type { CliIo } from "./cli-io.js";
import { ForcedExitError } from "./run-interruptibly.js";

/**
 * The exit code of a command that failed with `error`, after printing its one line
 * `<command>: <message>` to stderr: a forced exit keeps its own code (130 / 143), bad usage or
 * bad data (any typed `ConvexformerError`: `UsageError` of `@convexformer/io` and the
 * packages' own errors) is 2; anything else is a bug and is rethrown.
 *
 * @param command - the command's name as the user typed it (`convexformer fit`)
 * @param error - what the command threw
 * @param io - where the message goes
 * @example
 * ```ts
 * import { UsageError } from "@convexformer/io";
 * import { commandErrorExitCode } from "./command-error.js"; // internal module
 * const lines: string[] = [];
 * const io = { stdout: () => {}, stderr: (t: string) => void lines.push(t), interactive: false };
 * commandErrorExitCode("convexformer fit", new UsageError("--out: missing"), io); // 2
 * lines[0]; // "convexformer fit: --out: missing\n"
 * ```
 */
export function commandErrorExitCode(command: string, error: unknown, io: CliIo): number {
  if (error instanceof ForcedExitError) {
    io.stderr(`${command}: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ConvexformerError) {
    io.stderr(`${command}: ${error.message}\n`);
    return 2;
  }
  throw error;
}
