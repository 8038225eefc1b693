import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { CorruptFileError } from "@convexformer/tensors";

/** Longest line the line readers accept (16 MiB), so one huge line cannot exhaust memory. */
export const MAX_LINE_CHARS = 16 * 2 ** 20;

/**
 * Streams the lines of a UTF-8 text file (node:readline; never the whole file in memory),
 * calling `onLine(text, lineNumber)` with 1-based line numbers.
 *
 * @throws `CorruptFileError` naming the file and line for a line over {@link MAX_LINE_CHARS}
 */
export async function readLines(
  path: string,
  onLine: (text: string, line: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (signal?.aborted) throw signal.reason ?? new Error("aborted");
      if (text.length > MAX_LINE_CHARS) {
        throw new CorruptFileError(path, `line ${line}: longer than ${MAX_LINE_CHARS} characters`);
      }
      onLine(text, line);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return line;
}
