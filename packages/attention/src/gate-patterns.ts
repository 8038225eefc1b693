import { gemm, type TokenBatch } from "@convexformer/tensors";
import { type GateVectors, validateGateVectors } from "./gate-vectors.js";

/** Gates per block of the pattern product when the whole product would be large (internal). */
export const GATE_BLOCK = 64;
/** Product size (`P · (N + nd)` entries) above which patterns are computed block by block. */
const BLOCKED_ENTRIES = 2 ** 22;

/** Throws a `DOMException` named `"AbortError"` when `signal` is aborted (internal). */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted === true) throw new DOMException(`${where}: aborted`, "AbortError");
}

/**
 * Activation patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` of gates on any token batch (the
 * training set, or new data when a gated network is evaluated), as an `N × P` row-major 0/1
 * mask, computed with one product `X_flat · Uᵀ`.
 *
 * @param gates - the gate vectors
 * @param X - the token batch
 * @param options - `signal`: checked between blocks of gates (large problems are computed 64
 *   gates at a time); aborting throws a `DOMException` named `"AbortError"`
 * @throws `ShapeMismatchError` when the gate vectors do not match `X`'s tokens/features
 *
 * @example
 * ```ts
 * import { gatePatterns } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 1, 1, new Float64Array([2, -3]));
 * gatePatterns({ u1: new Float64Array([1]), u2: new Float64Array([1]) }, X); // Uint8Array [1, 0]
 * ```
 */
export function gatePatterns(
  gates: GateVectors,
  X: TokenBatch,
  options: { readonly signal?: AbortSignal } = {},
): Uint8Array {
  const n = X.tokens;
  const d = X.features;
  const P = validateGateVectors(gates, n, d);
  const nd = n * d;
  const N = X.samples;
  const { signal } = options;
  // one product for small problems; blocks of gates (less memory, abortable) for large ones
  const block = P * (N + nd) > BLOCKED_ENTRIES ? GATE_BLOCK : P;
  const U = new Float64Array(block * nd);
  const scores = new Float64Array(N * block);
  const mask = new Uint8Array(N * P);
  for (let j0 = 0; j0 < P; j0 += block) {
    throwIfAborted(signal, "gatePatterns");
    const b = Math.min(block, P - j0);
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < n; k++) {
        const a = gates.u1[(j0 + j) * n + k] as number;
        const base = j * nd + k * d;
        for (let q = 0; q < d; q++) U[base + q] = a * (gates.u2[(j0 + j) * d + q] as number);
      }
    }
    gemm(
      "no-transpose",
      "transpose",
      N,
      b,
      nd,
      1,
      X.data,
      nd,
      1,
      0,
      U,
      nd,
      1,
      0,
      0,
      scores,
      b,
      1,
      0,
    );
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < b; j++) mask[i * P + j0 + j] = (scores[i * b + j] as number) >= 0 ? 1 : 0;
    }
  }
  return mask;
}
