/**
 * A signal for set-up work (loading, gate patterns) that reads as aborted once `signal` is
 * aborted or `Date.now()` passes `deadline` (ms since the epoch): both checked when `aborted`
 * is read, so a synchronous loop that polls it stops on time without the event loop running.
 * Its `reason` says which (`"time-limit"` or the original reason).
 *
 * @param signal - the interrupt signal
 * @param deadline - `Date.now()` value after which the work must stop, if any
 * @example
 * ```ts
 * import { deadlineSignal } from "./deadline-signal.js"; // internal module
 * const s = deadlineSignal(new AbortController().signal, Date.now() - 1);
 * s.aborted; // true
 * s.reason; // "time-limit"
 * ```
 */
export function deadlineSignal(signal: AbortSignal, deadline: number | undefined): AbortSignal {
  const controller = new AbortController();
  const own = controller.signal;
  const getter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get;
  if (getter === undefined) return signal;
  Object.defineProperty(own, "aborted", {
    configurable: true,
    enumerable: true,
    get(): boolean {
      if (getter.call(own) !== true) {
        if (signal.aborted) controller.abort(signal.reason);
        else if (deadline !== undefined && Date.now() >= deadline) controller.abort("time-limit");
      }
      return getter.call(own) === true;
    },
  });
  return own;
}
