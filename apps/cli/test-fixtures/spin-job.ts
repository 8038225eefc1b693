// A job for the run-interruptibly tests: spins (synchronously) until its signal is aborted or
// `limitMs` passes, reporting its count every `reportEvery` rounds.
import type { JobContext } from "../src/index.js";

export function spinJob(
  input: { limitMs: number; reportEvery: number; fail?: string },
  context: JobContext,
): { rounds: number; aborted: boolean } {
  if (input.fail !== undefined) throw new Error(input.fail);
  const t0 = Date.now();
  let rounds = 0;
  while (!context.signal.aborted && Date.now() - t0 < input.limitMs) {
    rounds++;
    if (rounds % input.reportEvery === 0) context.report({ rounds });
  }
  return { rounds, aborted: context.signal.aborted };
}
