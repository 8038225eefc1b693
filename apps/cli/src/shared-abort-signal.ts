const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get;

/**
 * An `AbortSignal` that another thread can abort without this thread's event loop running:
 * reading `aborted` polls `flag[index]` (set with `Atomics.store` to a non-zero value) and,
 * once it is set, aborts the signal on the spot (so listeners and `reason` work as usual).
 * This is how a synchronous solve in a worker sees the main thread's SIGINT.
 *
 * @param flag - an `Int32Array` over a `SharedArrayBuffer`
 * @param index - the entry to poll (default 0)
 * @example
 * ```ts
 * import { sharedFlagSignal } from "./shared-abort-signal.js"; // internal module
 * const flag = new Int32Array(new SharedArrayBuffer(4));
 * const signal = sharedFlagSignal(flag);
 * signal.aborted; // false
 * Atomics.store(flag, 0, 2);
 * signal.aborted; // true
 * ```
 */
export function sharedFlagSignal(flag: Int32Array, index = 0): AbortSignal {
  const controller = new AbortController();
  const signal = controller.signal;
  if (abortedGetter === undefined) return signal;
  Object.defineProperty(signal, "aborted", {
    configurable: true,
    enumerable: true,
    get(): boolean {
      if (abortedGetter.call(signal) === true) return true;
      const value = Atomics.load(flag, index);
      if (value !== 0) controller.abort(new Error(`interrupted (flag ${value})`));
      return abortedGetter.call(signal) === true;
    },
  });
  return signal;
}
