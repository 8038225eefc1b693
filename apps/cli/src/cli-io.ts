/**
 * Where a command writes: injected so that commands can be tested in-process.
 *
 * @example
 * ```ts
 * import { processIo } from "convexformer";
 * processIo().stdout("hello\n");
 * ```
 */
export interface CliIo {
  /** Writes to standard output (the text carries its own newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Whether progress may be drawn (standard error is a terminal). */
  readonly interactive: boolean;
}

/**
 * The real process streams; progress is drawn only when standard error is a TTY.
 *
 * @example
 * ```ts
 * import { processIo } from "convexformer";
 * const io = processIo();
 * io.stderr(io.interactive ? "terminal\n" : "log\n");
 * ```
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
  };
}
