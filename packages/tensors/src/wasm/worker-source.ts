/*
 * The body of a kernel worker thread (Node `worker_threads` or a browser Web Worker). Its start
 * data holds the compiled shared kernel module, the shared memory, the byte offset of this worker's control slot and
 * that of the shared chunk counter of `dgemmDynamic` (which claims output chunks from it until
 * none are left, so a descheduled thread does not hold the others up).
 *
 * Control slot (Int32 view): [0] job sequence number written by the caller (−1: exit),
 * [1] the last finished sequence number (its negation when the job threw), [2] the index of
 * the export to call (in `KERNEL_FUNCTIONS` order), [3] ready flag; Float64 arguments start
 * at byte 16 of the slot.
 */
const WORKER_BODY = `function runKernelWorker(data) {
  const { module, memory, slot, functions } = data;
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const counters = new Int32Array(memory.buffer, data.counter, 1);
  // dgemm over output chunks claimed from a shared counter (dynamic balance between threads)
  const dgemmDynamic = (counter, chunk, extent, byRows, M, N, K, alpha, A, a1, a2, B, b1, b2, beta, C, c1, c2, work) => {
    for (;;) {
      const lo = Atomics.add(counters, 0, 1) * chunk;
      if (lo >= extent) break;
      const n = Math.min(chunk, extent - lo);
      if (byRows) exports.dgemm(n, N, K, alpha, A + lo * a1 * 8, a1, a2, B, b1, b2, beta, C + lo * c1 * 8, c1, c2, work);
      else exports.dgemm(M, n, K, alpha, A, a1, a2, B + lo * b2 * 8, b1, b2, beta, C + lo * c2 * 8, c1, c2, work);
    }
  };
  const fns = functions.map((name) => (name === "dgemmDynamic" ? dgemmDynamic : exports[name]));
  const I = new Int32Array(memory.buffer, slot, 4);
  const F = new Float64Array(memory.buffer, slot + 16, 30);
  Atomics.store(I, 3, 1);
  Atomics.notify(I, 3);
  let seen = 0;
  for (;;) {
    Atomics.wait(I, 0, seen);
    const seq = Atomics.load(I, 0);
    if (seq < 0) break;
    if (seq === seen) continue;
    seen = seq;
    let done = seq;
    try {
      const fn = fns[Atomics.load(I, 2)];
      const args = Array.from(F.subarray(0, fn.length));
      fn(...args);
    } catch (error) {
      done = -seq;
    }
    Atomics.store(I, 1, done);
    Atomics.notify(I, 1);
  }
}
`;

/**
 * The source of a kernel worker thread in Node (`worker_threads`, evaluated as a CommonJS
 * script so that no file has to be resolved next to the bundle); its start data is
 * `workerData`. @internal
 */
export const WORKER_SOURCE = `"use strict";
${WORKER_BODY}runKernelWorker(require("node:worker_threads").workerData);
`;

/**
 * The source of a kernel worker in a browser (a classic Web Worker made from a Blob URL, in a
 * cross-origin isolated page); its start data is the first message. @internal
 */
export const BROWSER_WORKER_SOURCE = `"use strict";
${WORKER_BODY}self.onmessage = (event) => runKernelWorker(event.data);
`;

/** The kernel exports a worker can run, by index. @internal */
export const KERNEL_FUNCTIONS = ["dgemm", "dgemv", "dgemmDynamic"] as const;

/** Bytes of one worker's control slot. @internal */
export const SLOT_BYTES = 256;
