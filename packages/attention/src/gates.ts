import {
  assertFinite,
  assertInteger,
  assertKnownOptions,
  createRng,
  gemm,
  InvalidOptionError,
  type Rng,
  ShapeMismatchError,
  type TokenBatch,
} from "@convexformer/tensors";
import { validateTokenBatch } from "./model-input-validation.js";

/**
 * Fixed gate vectors of the gated models (13)/(14): gate `j` is active on sample `X_i` when
 * `u_{1j}ᵀ X_i u_{2j} ≥ 0`. Gates are sampled, never trained.
 *
 * @example
 * ```ts
 * import type { GateVectors } from "@convexformer/attention";
 * // one gate on 2 tokens × 3 features
 * const gates: GateVectors = { u1: new Float64Array([1, -1]), u2: new Float64Array([0.5, 0, 2]) };
 * ```
 */
export interface GateVectors {
  /** `P × n` row-major: the token-side gate vectors `u_{1j} ∈ R^n`. */
  readonly u1: Float64Array;
  /** `P × d` row-major: the feature-side gate vectors `u_{2j} ∈ R^d`. */
  readonly u2: Float64Array;
}

/**
 * Gates sampled on a training set: the gate vectors, their activation patterns on that set,
 * and how many sampled gates were dropped as duplicates.
 *
 * @example
 * ```ts
 * import { sampleGates } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(3, 2, 2, Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)));
 * const gates = sampleGates(X, 10, { seed: 1 });
 * gates.count + gates.dropped; // 10
 * ```
 */
export interface SampledGates extends GateVectors {
  /** `P`: number of gates kept (distinct, not identically zero patterns). */
  readonly count: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** `N × P` row-major 0/1 activation patterns `D_ij` on the training set. */
  readonly mask: Uint8Array;
  /** Number of sampled gates dropped (pattern equal to an earlier one, or never active). */
  readonly dropped: number;
}

/** Options of {@link sampleGates}. */
export interface SampleGatesOptions {
  /** Seed of the Gaussian gate vectors (default 0). Ignored when `rng` is given. */
  readonly seed?: number;
  /** A random stream to draw from instead of `seed`. */
  readonly rng?: Rng;
  /** Keep duplicate and all-zero patterns (default `false`: they are removed). */
  readonly keepDuplicates?: boolean;
  /**
   * Stops the sampling (between blocks of gates) with a `DOMException` named `"AbortError"`
   * once aborted: large `count`s take a while, and this lets a caller's Ctrl-C or time limit
   * cut the set-up short.
   */
  readonly signal?: AbortSignal;
}

/** Gates per block of the pattern product when the whole product would be large. */
const GATE_BLOCK = 256;
/** Product size (`P · (N + nd)` entries) above which patterns are computed block by block. */
const BLOCKED_ENTRIES = 2 ** 22;

function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted === true) throw new DOMException(`${where}: aborted`, "AbortError");
}

/**
 * Samples `count` Gaussian gates `u_1 ~ N(0, I_n)`, `u_2 ~ N(0, I_d)` (seeded), computes their
 * activation patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` on `X` with one product
 * `X_flat · Uᵀ` (`U` the `P × nd` matrix of the outer products `vec(u_1 u_2ᵀ)`), and removes
 * gates whose pattern repeats an earlier one or is never active (they add nothing to (14)).
 *
 * @throws `InvalidOptionError` for `count < 1` or unknown options
 *
 * @example
 * ```ts
 * import { sampleGates } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(4, 2, 3, Float64Array.from({ length: 24 }, (_, i) => Math.cos(3 * i)));
 * const gates = sampleGates(X, 16, { seed: 7 });
 * gates.mask.length === 4 * gates.count; // true
 * ```
 */
export function sampleGates(
  X: TokenBatch,
  count: number,
  options: SampleGatesOptions = {},
): SampledGates {
  assertKnownOptions("options", options, ["seed", "rng", "keepDuplicates", "signal"]);
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new InvalidOptionError("options.signal", typeof signal, "must be an AbortSignal");
  throwIfAborted(signal, "sampleGates");
  assertInteger("count", count, 1);
  validateTokenBatch("X", X);
  if (
    options.rng !== undefined &&
    typeof (options.rng as Partial<Rng> | null)?.fillNormal !== "function"
  ) {
    throw new InvalidOptionError("options.rng", typeof options.rng, "must be an Rng (createRng)");
  }
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const n = X.tokens;
  const d = X.features;
  const u1 = rng.fillNormal(new Float64Array(count * n));
  const u2 = rng.fillNormal(new Float64Array(count * d));
  const all = gatePatterns({ u1, u2 }, X, signal === undefined ? {} : { signal });
  if (options.keepDuplicates === true) {
    return { count, tokens: n, features: d, u1, u2, mask: all, dropped: 0 };
  }
  const N = X.samples;
  const seen = new Set<string>();
  const keep: number[] = [];
  const column = new Uint8Array(N);
  for (let j = 0; j < count; j++) {
    if ((j & (GATE_BLOCK - 1)) === GATE_BLOCK - 1) throwIfAborted(signal, "sampleGates");
    let active = 0;
    for (let i = 0; i < N; i++) {
      const v = all[i * count + j] as number;
      column[i] = v;
      active += v;
    }
    if (active === 0) continue;
    const key = Buffer.from(column).toString("base64");
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(j);
  }
  const P = keep.length;
  const keptU1 = new Float64Array(P * n);
  const keptU2 = new Float64Array(P * d);
  const mask = new Uint8Array(N * P);
  keep.forEach((j, t) => {
    keptU1.set(u1.subarray(j * n, (j + 1) * n), t * n);
    keptU2.set(u2.subarray(j * d, (j + 1) * d), t * d);
    for (let i = 0; i < N; i++) mask[i * P + t] = all[i * count + j] as number;
  });
  return { count: P, tokens: n, features: d, u1: keptU1, u2: keptU2, mask, dropped: count - P };
}

/**
 * Activation patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` of gates on any token batch (the
 * training set, or new data when a gated network is evaluated), as an `N × P` row-major 0/1
 * mask, computed with one product `X_flat · Uᵀ`.
 *
 * @param gates - the gate vectors
 * @param X - the token batch
 * @param options - `signal`: checked between blocks of gates (large problems are computed 256
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
  const P = gateCount(gates, n, d);
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

/** Number of gates in `gates`, checking its sizes against `n`, `d` (internal). */
export function gateCount(gates: GateVectors, n: number, d: number): number {
  if (gates.u1.length % n !== 0) {
    throw new ShapeMismatchError(
      "gates.u1",
      `length ${gates.u1.length} is not a multiple of tokens = ${n}`,
    );
  }
  const P = gates.u1.length / n;
  if (gates.u2.length !== P * d) {
    throw new ShapeMismatchError(
      "gates.u2",
      `expected ${P} × ${d} = ${P * d} entries, got ${gates.u2.length}`,
    );
  }
  if (P < 1) throw new InvalidOptionError("gates", P, "need at least one gate");
  assertFinite("gates.u1", gates.u1);
  assertFinite("gates.u2", gates.u2);
  return P;
}
