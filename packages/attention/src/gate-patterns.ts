import { gemm, type TokenBatch } from "@convexformer/tensors";
import { type GateVectors, validateGateVectors } from "./gate-vectors.js";

/**
 * Activation patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` of gates on any token batch (the
 * training set, or new data when a gated network is evaluated), as an `N × P` row-major 0/1
 * mask, computed with one product `X_flat · Uᵀ`.
 *
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
export function gatePatterns(gates: GateVectors, X: TokenBatch): Uint8Array {
  const n = X.tokens;
  const d = X.features;
  const P = validateGateVectors(gates, n, d);
  const nd = n * d;
  const U = new Float64Array(P * nd);
  for (let j = 0; j < P; j++) {
    for (let k = 0; k < n; k++) {
      const a = gates.u1[j * n + k] as number;
      const base = j * nd + k * d;
      for (let q = 0; q < d; q++) U[base + q] = a * (gates.u2[j * d + q] as number);
    }
  }
  const N = X.samples;
  const scores = new Float64Array(N * P);
  gemm("no-transpose", "transpose", N, P, nd, 1, X.data, nd, 1, 0, U, nd, 1, 0, 0, scores, P, 1, 0);
  const mask = new Uint8Array(N * P);
  for (let t = 0; t < N * P; t++) mask[t] = (scores[t] as number) >= 0 ? 1 : 0;
  return mask;
}
