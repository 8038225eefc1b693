import { ConvexformerError } from "@convexformer/tensors";

/**
 * Thrown by set-up work (loading a problem, sampling gates) that stopped because the command
 * was interrupted or its time limit passed (code `"interrupted"`): there is no iterate yet, so
 * nothing to save.
 *
 * @example
 * ```ts
 * import { SetupInterruptedError } from "@convexformer/io";
 * const error = new SetupInterruptedError("time-limit");
 * error.message; // "the time limit passed while loading the problem"
 * error.code; // "interrupted"
 * ```
 */
export class SetupInterruptedError extends ConvexformerError {
  /** `"time-limit"` or `"signal"`. */
  readonly reason: "time-limit" | "signal";

  /** @param reason - why the set-up stopped */
  constructor(reason: "time-limit" | "signal") {
    super(
      "interrupted",
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
   * @example
   * ```ts
   * import { SetupInterruptedError } from "@convexformer/io";
   * SetupInterruptedError.throwIfAborted(AbortSignal.abort("time-limit")); // throws SetupInterruptedError
   * ```
   */
  static throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted === true)
      throw new SetupInterruptedError(signal.reason === "time-limit" ? "time-limit" : "signal");
  }
}
