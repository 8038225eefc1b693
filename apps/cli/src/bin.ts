#!/usr/bin/env node
import { CommanderError } from "commander";
import { createProgram } from "./program.js";

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
