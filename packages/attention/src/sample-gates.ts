import {
  assertInteger,
  assertKnownOptions,
  createRng,
  InvalidOptionError,
  type Rng,
  type TokenBatch,
} from "@convexformer/tensors";
import { GATE_BLOCK, gatePatterns, throwIfAborted } from "./gate-patterns.js";
import type { GateVectors } from "./gate-vectors.js";
import { validateTokenBatch } from "./model-input-validation.js";

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

/**
 * Options of {@link sampleGates}.
 *
 * @example
 * ```ts
 * import { sampleGates, type SampleGatesOptions } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, -1, 2, 0]));
 * const options: SampleGatesOptions = { seed: 5, keepDuplicates: true };
 * sampleGates(X, 3, options).count; // 3
 * ```
 */
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

/**
 * Samples `count` Gaussian gates `u_1 ~ N(0, I_n)`, `u_2 ~ N(0, I_d)` (seeded), computes their
 * activation patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]` on `X` with one product
 * `X_flat · Uᵀ` (`U` the `P × nd` matrix of the outer products `vec(u_1 u_2ᵀ)`), and removes
 * gates whose pattern repeats an earlier one or is never active (they add nothing to (14)).
 *
 * @param X - the `N × n × d` token batch the patterns are computed on (at least one sample, token
 *   and feature; finite entries)
 * @param count - number of gates to draw, an integer ≥ 1 (fewer come back when repeated or
 *   never-active patterns are removed)
 * @param options - {@link SampleGatesOptions}: `seed` (default 0) or `rng`, `keepDuplicates`
 *   (default `false`), `signal`; unknown keys are errors
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
  throwIfAborted(signal, "sampleGates");
  const u2 = rng.fillNormal(new Float64Array(count * d));
  throwIfAborted(signal, "sampleGates");
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
