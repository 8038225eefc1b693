import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { UsageError } from "@convexformer/io";
import { ConvexformerError } from "@convexformer/tensors";

/**
 * The signals {@link runInterruptibly} turns into a graceful stop, and their exit codes (128 + number).
 *
 * @example
 * ```ts
 * import { INTERRUPT_EXIT_CODES } from "./run-interruptibly.js"; // internal module
 * INTERRUPT_EXIT_CODES.SIGINT; // 130
 * ```
 */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * A signal {@link runInterruptibly} handles: `"SIGINT"` (Ctrl-C) or `"SIGTERM"`.
 *
 * @example
 * ```ts
 * import type { InterruptSignal } from "./run-interruptibly.js"; // internal module
 * const s: InterruptSignal = "SIGTERM";
 * ```
 */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/**
 * What a job function receives besides its input.
 *
 * @example
 * ```ts
 * import type { JobContext } from "./run-interruptibly.js"; // internal module
 * export function countJob(input: { n: number }, context: JobContext): number {
 *   let i = 0;
 *   while (i < input.n && !context.signal.aborted) i++;
 *   context.report({ done: i });
 *   return i;
 * }
 * ```
 */
export interface JobContext {
  /** Aborted (synchronously visible: reading `aborted` polls a shared flag) once SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** Posts a structured-cloneable message to the main thread's `onReport` (progress, checkpoints). */
  readonly report: (message: unknown) => void;
}

/**
 * A job for {@link runInterruptibly}: the module (a file URL) exporting `exportName`, a function
 * `(input, context: JobContext) => value | Promise<value>`, and its structured-cloneable input.
 *
 * @example
 * ```ts
 * import type { InterruptibleJob } from "./run-interruptibly.js"; // internal module
 * const job: InterruptibleJob<{ n: number }> = {
 *   module: new URL("file:///opt/jobs/count-job.js"),
 *   exportName: "countJob",
 *   input: { n: 10 },
 * };
 * ```
 */
export interface InterruptibleJob<I> {
  /** The job's module; a `.js` URL whose file is missing falls back to the `.ts` beside it (running from source). */
  readonly module: URL;
  /** The exported job function's name. */
  readonly exportName: string;
  /** The job's input (structured-cloned into the worker). */
  readonly input: I;
}

/**
 * Callbacks of {@link runInterruptibly}.
 *
 * @example
 * ```ts
 * import type { InterruptibleOptions } from "./run-interruptibly.js"; // internal module
 * const options: InterruptibleOptions = {
 *   onReport: (m) => console.log(m),
 *   onInterrupt: (s) => console.error(`${s}: stopping after this iteration`),
 * };
 * ```
 */
export interface InterruptibleOptions {
  /** Receives every `context.report` message, in order, on the main thread. */
  readonly onReport?: (message: unknown) => void | Promise<void>;
  /** Called on the first SIGINT/SIGTERM (the job then sees `signal.aborted`). */
  readonly onInterrupt?: (signal: InterruptSignal) => void;
}

/**
 * How an interruptible job ended.
 *
 * @example
 * ```ts
 * import type { InterruptibleOutcome } from "./run-interruptibly.js"; // internal module
 * const outcome: InterruptibleOutcome<number> = { value: 3, interruptedBy: "SIGINT", exitCode: 130 };
 * ```
 */
export interface InterruptibleOutcome<O> {
  /** The job's return value (after an interruption: what it returned when it stopped early). */
  readonly value: O;
  /** The signal that interrupted it, if any. */
  readonly interruptedBy: InterruptSignal | undefined;
  /** The exit code the command should use after an interruption (130 SIGINT, 143 SIGTERM). */
  readonly exitCode: number | undefined;
}

/**
 * Thrown by {@link runInterruptibly} when a second signal arrived before the job stopped: the
 * worker was terminated and nothing was returned (code `"interrupted"`). `exitCode` is 130 or
 * 143.
 *
 * @example
 * ```ts
 * import { ForcedExitError } from "./run-interruptibly.js"; // internal module
 * const e = new ForcedExitError("SIGINT");
 * e.exitCode; // 130
 * ```
 */
export class ForcedExitError extends ConvexformerError {
  /** 130 (SIGINT) or 143 (SIGTERM). */
  readonly exitCode: number;
  /** The signal that forced the exit. */
  readonly signal: InterruptSignal;

  /** @param signal - the second signal */
  constructor(signal: InterruptSignal) {
    super("interrupted", `${signal} received twice: stopped at once, nothing saved`);
    this.name = "ForcedExitError";
    this.signal = signal;
    this.exitCode = INTERRUPT_EXIT_CODES[signal];
  }
}

/**
 * Runs a long synchronous job (a solve, a fit, an experiment) in a worker thread so that the
 * main thread stays free to handle SIGINT and SIGTERM: the first signal sets a shared flag that
 * the job's `context.signal.aborted` reads at once (solvers poll it every iteration and during
 * set-up), the job returns its best state, and the outcome carries the exit code (130 / 143);
 * a second signal terminates the worker and rejects with a {@link ForcedExitError}. Job errors
 * are rethrown: `UsageError` and the typed Convexformer errors as {@link UsageError} (same
 * message), others as `Error`. The signal handlers are removed when the job ends.
 *
 * @param job - the module, export and input of the job
 * @param options - report and interrupt callbacks
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { pathToFileURL } from "node:url";
 * import { runInterruptibly } from "convexformer";
 * // a job module: countJob(input, context) (see JobContext)
 * const dir = mkdtempSync(join(tmpdir(), "cf-job-"));
 * writeFileSync(
 *   join(dir, "count-job.mjs"),
 *   "export function countJob(input, context) { let i = 0; while (i < input.n && !context.signal.aborted) i++; return i; }\n",
 * );
 * const outcome = await runInterruptibly<{ n: number }, number>({
 *   module: pathToFileURL(join(dir, "count-job.mjs")),
 *   exportName: "countJob",
 *   input: { n: 1000 },
 * });
 * outcome.value; // 1000
 * ```
 */
export async function runInterruptibly<I, O>(
  job: InterruptibleJob<I>,
  options: InterruptibleOptions = {},
): Promise<InterruptibleOutcome<O>> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = startWorker(sourceOrBuilt(job.module), {
    module: sourceOrBuilt(job.module).href,
    exportName: job.exportName,
    input: job.input,
    flag,
  });
  let interruptedBy: InterruptSignal | undefined;
  let reports = Promise.resolve();
  return await new Promise<InterruptibleOutcome<O>>((resolvePromise, reject) => {
    let settled = false;
    // the final message may wait behind pending reports (checkpoint writes) while the worker exits
    let finalReceived = false;
    const handlers = {
      SIGINT: () => onSignal("SIGINT"),
      SIGTERM: () => onSignal("SIGTERM"),
    };
    const cleanup = () => {
      settled = true;
      process.off("SIGINT", handlers.SIGINT);
      process.off("SIGTERM", handlers.SIGTERM);
    };
    function onSignal(signal: InterruptSignal): void {
      if (interruptedBy === undefined) {
        interruptedBy = signal;
        Atomics.store(flag, 0, INTERRUPT_EXIT_CODES[signal]);
        options.onInterrupt?.(signal);
        return;
      }
      cleanup();
      void worker.terminate();
      reject(new ForcedExitError(signal));
    }
    process.on("SIGINT", handlers.SIGINT);
    process.on("SIGTERM", handlers.SIGTERM);
    worker.on("message", (message: { type: string } & Record<string, unknown>) => {
      if (settled) return;
      if (message.type === "report") {
        const handler = options.onReport;
        if (handler !== undefined) reports = reports.then(() => handler(message.message));
        return;
      }
      finalReceived = true;
      const finish = () => {
        if (settled) return;
        cleanup();
        void worker.terminate();
        if (message.type === "done") {
          resolvePromise({
            value: message.value as O,
            interruptedBy,
            exitCode: interruptedBy === undefined ? undefined : INTERRUPT_EXIT_CODES[interruptedBy],
          });
        } else {
          reject(rebuildError(message));
        }
      };
      reports.then(finish, (error: unknown) => {
        cleanup();
        void worker.terminate();
        reject(error);
      });
    });
    worker.on("error", (error) => {
      if (settled) return;
      cleanup();
      reject(error);
    });
    worker.on("exit", (code) => {
      if (settled || finalReceived) return;
      // a worker that exits without posting its value (e.g. out of memory) has failed
      setTimeout(() => {
        if (settled || finalReceived) return;
        cleanup();
        reject(new Error(`the job's worker exited with code ${code} before finishing`));
      }, 50);
    });
  });
}

function rebuildError(message: Record<string, unknown>): Error {
  const text = String(message.message);
  if (message.name === "UsageError" || typeof message.code === "string")
    return new UsageError(text);
  const error = new Error(text);
  error.name = String(message.name);
  if (typeof message.stack === "string") error.stack = message.stack;
  return error;
}

/** A `.js` module URL whose file is missing but whose `.ts` source exists (running from source) maps to the `.ts`. */
function sourceOrBuilt(url: URL): URL {
  if (url.protocol !== "file:" || !url.pathname.endsWith(".js") || existsSync(fileURLToPath(url)))
    return url;
  const ts = new URL(url.href.replace(/\.js$/, ".ts"));
  return existsSync(fileURLToPath(ts)) ? ts : url;
}

/**
 * Built code runs `interruptible-worker.js`. From TypeScript source (tests, `node --import tsx`)
 * Node 20 workers get no loader hooks, so the worker registers tsx's ESM loader for itself
 * (`tsImport`) and imports `job-host.ts` and the job's module through it, resolving workspace
 * packages to their sources. (ESM, not tsx's require hook: dependencies such as vega use
 * top-level await, which `require` cannot load.)
 */
function startWorker(module: URL, workerData: Record<string, unknown>): Worker {
  if (!import.meta.url.endsWith(".ts") && !module.pathname.endsWith(".ts")) {
    return new Worker(new URL("./interruptible-worker.js", import.meta.url), { workerData });
  }
  // require.resolve gives the CommonJS build of tsx's ESM API; its ESM twin sits beside it
  const tsxApiCjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  const tsxApi = pathToFileURL(tsxApiCjs.replace(/\.cjs$/, ".mjs")).href;
  const host = new URL("./job-host.ts", import.meta.url).href;
  const parent = JSON.stringify(import.meta.url);
  const code = [
    `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) =>`,
    `  tsImport(${JSON.stringify(host)}, ${parent}).then((h) => h.hostJob((m) => tsImport(m, ${parent}))));`,
  ].join("\n");
  const execArgv: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    // the loader flags do not work in Node 20 workers: drop `--import tsx` / `--import=…tsx…`
    if ((a === "--import" || a === "--loader") && (argv[i + 1] ?? "").includes("tsx")) {
      i++;
      continue;
    }
    if (a.includes("tsx")) continue;
    execArgv.push(a);
  }
  if (!execArgv.includes("--conditions=@convexformer/source"))
    execArgv.push("--conditions=@convexformer/source");
  return new Worker(code, { eval: true, workerData, execArgv });
}
