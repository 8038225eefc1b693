import { parentPort, workerData } from "node:worker_threads";
import { sharedFlagSignal } from "./shared-abort-signal.js";

/**
 * The worker side of `runInterruptibly`: loads the job's module with `load`, runs the exported
 * function with a signal polled from the shared flag, and posts reports, the value or the error
 * to the main thread. Called by the worker entry; not for direct use. @internal
 */
export function hostJob(load: (module: string) => unknown): void {
  const { module, exportName, input, flag } = workerData as {
    readonly module: string;
    readonly exportName: string;
    readonly input: unknown;
    readonly flag: Int32Array;
  };
  const port = parentPort;
  if (port === null) throw new Error("hostJob: must run in a worker thread");
  const run = async () => {
    const loaded = (await load(module)) as Record<string, unknown>;
    const job = loaded[exportName];
    if (typeof job !== "function") throw new Error(`${module}: no job function "${exportName}"`);
    return await (job as (input: unknown, context: unknown) => unknown)(input, {
      signal: sharedFlagSignal(flag),
      report: (message: unknown) => port.postMessage({ type: "report", message }),
    });
  };
  run().then(
    (value) => port.postMessage({ type: "done", value }),
    (error: unknown) => {
      const e = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
      port.postMessage({
        type: "error",
        name: typeof e?.name === "string" ? e.name : "Error",
        message: typeof e?.message === "string" ? e.message : String(error),
        code: typeof e?.code === "string" ? e.code : undefined,
        stack: typeof e?.stack === "string" ? e.stack : undefined,
      });
    },
  );
}
