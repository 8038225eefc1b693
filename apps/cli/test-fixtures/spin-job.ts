// A job for the run-interruptibly tests: spins (synchronously) until its signal is aborted,
// `limitMs` passes or `rounds` are done, reporting its count every `reportEvery` rounds.
import { UsageError } from "@convexformer/io";
import type { JobContext } from "../src/run-interruptibly.js";

export function spinJob(
  input: { limitMs: number; reportEvery: number; rounds?: number; fail?: string; usage?: string },
  context: JobContext,
): { rounds: number; aborted: boolean } {
  if (input.fail !== undefined) throw new Error(input.fail);
  if (input.usage !== undefined) throw new UsageError(input.usage);
  const t0 = Date.now();
  let rounds = 0;
  while (
    !context.signal.aborted &&
    (input.rounds === undefined ? Date.now() - t0 < input.limitMs : rounds < input.rounds)
  ) {
    rounds++;
    if (rounds % input.reportEvery === 0) context.report({ rounds });
  }
  return { rounds, aborted: context.signal.aborted };
}
