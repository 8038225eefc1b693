import { UsageError } from "@convexformer/io";
import { describe, expect, it } from "vitest";
import { runInterruptibly } from "./run-interruptibly.js";
import { sharedFlagSignal } from "./shared-abort-signal.js";

const spinJob = new URL("../test-fixtures/spin-job.js", import.meta.url);

describe("runInterruptibly", () => {
  it("runs the job in a worker, delivering its reports in order before its value", async () => {
    const reports: number[] = [];
    const outcome = await runInterruptibly<object, { rounds: number; aborted: boolean }>(
      { module: spinJob, exportName: "spinJob", input: { limitMs: 0, reportEvery: 1, rounds: 5 } },
      { onReport: (m) => void reports.push((m as { rounds: number }).rounds) },
    );
    expect(outcome.interruptedBy).toBeUndefined();
    expect(outcome.exitCode).toBeUndefined();
    expect(outcome.value.aborted).toBe(false);
    expect(reports).toEqual(Array.from({ length: outcome.value.rounds }, (_, i) => i + 1));
  });

  it("rethrows the job's errors: usage errors as UsageError, others with their message", async () => {
    await expect(
      runInterruptibly({
        module: spinJob,
        exportName: "spinJob",
        input: { fail: "boom", limitMs: 0, reportEvery: 1 },
      }),
    ).rejects.toThrow("boom");
    await expect(
      runInterruptibly({ module: spinJob, exportName: "nothing", input: {} }),
    ).rejects.toThrow(/no job function "nothing"/);
    const usage = runInterruptibly({
      module: spinJob,
      exportName: "spinJob",
      input: { usage: "--x: bad", limitMs: 0, reportEvery: 1 },
    });
    await expect(usage).rejects.toBeInstanceOf(UsageError);
  });

  it("a shared flag aborts a signal synchronously, without the event loop", () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const signal = sharedFlagSignal(flag);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    Atomics.store(flag, 0, 130);
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain("130");
  });
});
