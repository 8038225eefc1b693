#!/usr/bin/env node
import { CommanderError } from "commander";
import { createProgram } from "./program.js";

// A reader that stops early (`convexformer … | head`) closes the pipe: stop quietly, as a Unix
// filter does, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // help and --version exit through here with code 0; usage errors with 1 → we use 2
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`convexformer: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
