/**
 * Thrown by set-up work (loading a problem, sampling gates) that stopped because the command
 * was interrupted or its time limit passed: there is no iterate yet, so nothing to save.
 *
 * @example
 * ```ts
 * import { SetupInterruptedError } from "convexformer";
 * new SetupInterruptedError("time-limit").message; // "the time limit passed while loading the problem"
 * ```
 */
export class SetupInterruptedError extends Error {
  /** `"time-limit"` or `"signal"`. */
  readonly reason: "time-limit" | "signal";

  /** @param reason - why the set-up stopped */
  constructor(reason: "time-limit" | "signal") {
    super(
      reason === "time-limit"
        ? "the time limit passed while loading the problem"
        : "interrupted while loading the problem",
    );
    this.name = "SetupInterruptedError";
    this.reason = reason;
  }

  /**
   * Throws a {@link SetupInterruptedError} when `signal` is aborted (reason `"time-limit"` when
   * the signal says so).
   *
   * @param signal - the command's abort signal; `undefined` (no signal) never throws
   */
  static throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted === true)
      throw new SetupInterruptedError(signal.reason === "time-limit" ? "time-limit" : "signal");
  }
}
