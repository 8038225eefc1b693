// Tiny argument parser of the experiment scripts: `--name value` pairs, `--flag` booleans,
// comma lists for list options. Numbers must be decimal. The CLI (apps/cli) has the real one.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface ScriptArgs {
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

export function parseArgs(
  argv: readonly string[],
  known: readonly string[],
  flags: readonly string[] = [],
): ScriptArgs {
  const values = new Map<string, string>();
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("--")) throw usage(`unexpected argument ${JSON.stringify(a)}`);
    const name = a.slice(2);
    if (flags.includes(name)) {
      set.add(name);
      continue;
    }
    if (!known.includes(name))
      throw usage(
        `unknown option --${name} (known: ${[...known, ...flags].map((k) => `--${k}`).join(" ")})`,
      );
    const v = argv[i + 1];
    if (v === undefined) throw usage(`--${name} needs a value`);
    values.set(name, v);
    i++;
  }
  return { values, flags: set };
}

function usage(message: string): Error {
  const e = new Error(message);
  e.name = "UsageError";
  return e;
}

export function num(args: ScriptArgs, name: string): number | undefined {
  const v = args.values.get(name);
  if (v === undefined) return undefined;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v))
    throw usage(`--${name} must be a decimal number, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function list(args: ScriptArgs, name: string): string[] | undefined {
  return args.values
    .get(name)
    ?.split(",")
    .filter((s) => s !== "");
}

/** The repository root (scripts/ is packages/experiments/scripts). */
export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");

/** Runs `main`, printing a one-line error and exiting 2 (usage) / 1 (failure) / 130 (interrupted). */
export function runScript(main: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\ninterrupted: stopping at the next step and saving a checkpoint…\n");
    controller.abort();
  });
  main(controller.signal).then(
    () => {
      if (controller.signal.aborted) process.exitCode = 130;
    },
    (error: unknown) => {
      const e = error as Error;
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = e.name === "UsageError" ? 2 : 1;
    },
  );
}

export function progress(p: {
  phase: string;
  done: number;
  total: number;
  message?: string;
}): void {
  process.stderr.write(
    `[${p.phase}] ${p.done}/${p.total}${p.message === undefined ? "" : ` ${p.message}`}\n`,
  );
}
