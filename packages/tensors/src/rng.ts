import { InvalidOptionError } from "./errors.js";

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** Largest Zipf support the table-based sampler accepts (32 MiB of cumulative weights). */
const ZIPF_MAX_N = 1 << 22;

/**
 * A seeded pseudo-random stream: xoshiro128** (Blackman & Vigna) on four 32-bit words, seeded
 * through splitmix32, with all arithmetic in 32-bit integer ops (`Math.imul`, shifts, xor).
 *
 * Reproducibility contract:
 * - **Bit-identical on every platform and engine**: the raw 32-bit stream, {@link Rng.uniform}
 *   (53-bit doubles built from two draws), {@link Rng.integer} (exact rejection sampling, no
 *   modulo bias), {@link Rng.permutation} (Fisher–Yates), {@link Rng.fillUniform} and
 *   {@link Rng.split}. These use only 32-bit integer operations and correctly rounded IEEE 754
 *   double arithmetic.
 * - **Identical on every platform of one engine** (Node, Chrome, Deno: all V8):
 *   {@link Rng.normal} / {@link Rng.fillNormal} (Marsaglia's polar method: `Math.sqrt` is
 *   correctly rounded everywhere, but `Math.log` is implementation-defined and may differ in
 *   the last bit between engines) and {@link Rng.zipf} (its inverse-CDF table uses `Math.pow`).
 *
 * `normal()` produces values in pairs and keeps the second one for the next call, so the stream
 * depends on the order of calls, not on wall-clock or platform.
 *
 * @example
 * ```ts
 * import { createRng } from "@convexformer/tensors";
 * const rng = createRng(42);
 * const u = rng.uniform();          // in [0, 1)
 * const k = rng.integer(0, 10);     // in {0, …, 9}
 * const p = rng.permutation(5);     // Int32Array, a shuffle of 0..4
 * const child = rng.split();        // an independent stream
 * ```
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare = 0;
  #hasSpare = false;

  /**
   * Builds a stream from four 32-bit state words (not all zero). Use {@link createRng} to seed
   * from a number.
   *
   * @param s0 - state word 0: any number, truncated to a 32-bit integer (`s0 | 0`); when all four
   *   words are 0, word 0 becomes 1 (the all-zero state is a fixed point of xoshiro128**)
   * @param s1 - state word 1, truncated the same way
   * @param s2 - state word 2, truncated the same way
   * @param s3 - state word 3, truncated the same way
   */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.#s0 = s0 | 0;
    this.#s1 = s1 | 0;
    this.#s2 = s2 | 0;
    this.#s3 = s3 | 0;
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** The next raw 32-bit output as an unsigned integer in `[0, 2^32)`. */
  #next(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    let s2 = this.#s2 ^ s0;
    let s3 = this.#s3 ^ s1;
    this.#s1 = s1 ^ s2;
    this.#s0 = s0 ^ s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    this.#s2 = s2;
    this.#s3 = s3;
    return r;
  }

  /** A uniform integer in `[0, 2^53)` from two draws (27 + 26 high bits). */
  #next53(): number {
    const a = this.#next() >>> 5;
    const b = this.#next() >>> 6;
    return a * TWO_POW_26 + b;
  }

  /**
   * A uniform double in `[0, 1)` with 53 random bits (bit-identical everywhere).
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * createRng(1).uniform(); // the same value on every machine
   * ```
   */
  uniform(): number {
    return this.#next53() / TWO_POW_53;
  }

  /**
   * A standard normal draw (Marsaglia's polar method; values come in pairs, the second is
   * cached for the next call).
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * const z = createRng(1).normal();
   * ```
   */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spare = v * m;
    this.#hasSpare = true;
    return u * m;
  }

  /**
   * A uniform integer in `[minInclusive, maxExclusive)`, without modulo bias (rejection
   * sampling on 32-bit draws for ranges up to 2^32, on 53-bit draws above).
   *
   * @param minInclusive - the smallest value that can be drawn (a safe integer)
   * @param maxExclusive - one more than the largest value that can be drawn (a safe integer
   *   `> minInclusive`, at most 2^53 above it)
   * @throws {@link InvalidOptionError} unless both bounds are safe integers with
   *   `minInclusive < maxExclusive` and a range of at most 2^53
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * createRng(3).integer(-5, 5); // one of −5, …, 4
   * ```
   */
  integer(minInclusive: number, maxExclusive: number): number {
    if (!Number.isSafeInteger(minInclusive)) {
      throw new InvalidOptionError("minInclusive", minInclusive, "must be a safe integer");
    }
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= minInclusive) {
      throw new InvalidOptionError(
        "maxExclusive",
        maxExclusive,
        `must be a safe integer > minInclusive (${minInclusive})`,
      );
    }
    const range = maxExclusive - minInclusive;
    if (range > TWO_POW_53) {
      throw new InvalidOptionError("maxExclusive", maxExclusive, "the range must be at most 2^53");
    }
    return minInclusive + this.#below(range);
  }

  /** Uniform in `[0, range)` for an integer `1 ≤ range ≤ 2^53` (validated by callers). */
  #below(range: number): number {
    if (range <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % range);
      let x = this.#next();
      while (x >= limit) x = this.#next();
      return x % range;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % range);
    let x = this.#next53();
    while (x >= limit) x = this.#next53();
    return x % range;
  }

  /**
   * A uniformly random permutation of `0, …, n − 1` (Fisher–Yates, bit-identical everywhere).
   *
   * @param n - length of the permutation (an integer in `[0, 2^31)`); `0` gives an empty array
   * @throws {@link InvalidOptionError} unless `n` is an integer in `[0, 2^31)`
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * createRng(7).permutation(4); // e.g. Int32Array [2, 0, 3, 1]
   * ```
   */
  permutation(n: number): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new InvalidOptionError("n", n, "must be an integer in [0, 2^31)");
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.#below(i + 1);
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p;
  }

  /**
   * A Zipf-distributed rank in `[0, n)`: `P(k) ∝ 1 / (k + 1)^exponent` (inverse CDF on a
   * cached table of cumulative weights; `exponent = 0` is uniform). One uniform draw per call.
   *
   * @param n - number of ranks (an integer in `[1, 2^22]`): the result is in `0, …, n − 1`
   * @param exponent - the Zipf exponent `s ≥ 0` (finite) in `P(k) ∝ 1 / (k + 1)^s`; `0` is uniform,
   *   larger values favour small ranks more
   * @throws {@link InvalidOptionError} unless `n` is an integer in `[1, 2^22]` and `exponent`
   *   is finite and ≥ 0
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * const rng = createRng(5);
   * const token = rng.zipf(100, 1.1); // small ranks are the most frequent
   * ```
   */
  zipf(n: number, exponent: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > ZIPF_MAX_N) {
      throw new InvalidOptionError("n", n, `must be an integer in [1, ${ZIPF_MAX_N}]`);
    }
    if (typeof exponent !== "number" || !Number.isFinite(exponent) || exponent < 0) {
      throw new InvalidOptionError("exponent", exponent, "must be a finite number >= 0");
    }
    const cdf = zipfTable(n, exponent);
    const total = cdf[n - 1] as number;
    const target = this.uniform() * total;
    // smallest k with cdf[k] > target
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Fills `out` with uniform draws in `[low, high)` (`low + (high − low)·u`) and returns it.
   *
   * @param out - the array to fill, overwritten entry by entry (its length is the number of draws)
   * @param low - lower bound, included (default 0; must be finite)
   * @param high - upper bound, excluded (default 1; finite, `≥ low`, with `high − low` finite)
   * @throws {@link InvalidOptionError} unless `low` and `high` are finite with `low ≤ high`
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * const w = createRng(9).fillUniform(new Float64Array(4), -1, 1);
   * ```
   */
  fillUniform(out: Float64Array, low = 0, high = 1): Float64Array {
    if (!Number.isFinite(low)) throw new InvalidOptionError("low", low, "must be finite");
    if (!Number.isFinite(high) || high < low) {
      throw new InvalidOptionError("high", high, `must be finite and >= low (${low})`);
    }
    const width = high - low;
    if (!Number.isFinite(width)) {
      throw new InvalidOptionError("high", high, "high - low must be finite");
    }
    for (let i = 0; i < out.length; i++) out[i] = low + width * this.uniform();
    return out;
  }

  /**
   * Fills `out` with normal draws of the given mean and standard deviation and returns it.
   *
   * @param out - the array to fill, overwritten entry by entry (its length is the number of draws)
   * @param mean - the mean (default 0; must be finite)
   * @param std - the standard deviation (default 1, must be ≥ 0)
   * @throws {@link InvalidOptionError} unless `mean` is finite and `std` is finite and ≥ 0
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * const g = createRng(9).fillNormal(new Float64Array(16), 0, 0.1);
   * ```
   */
  fillNormal(out: Float64Array, mean = 0, std = 1): Float64Array {
    if (!Number.isFinite(mean)) throw new InvalidOptionError("mean", mean, "must be finite");
    if (!Number.isFinite(std) || std < 0) {
      throw new InvalidOptionError("std", std, "must be a finite number >= 0");
    }
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * An independent child stream. Four draws of this stream, each hashed with a distinct
   * constant (murmur3 finalizer), seed the child's xoshiro128** state; the parent advances by
   * four draws. Children of children are fine; streams are independent in the statistical
   * sense (2^128 period, distinct hashed states), which is what reproducible parallel
   * initialisation needs. Bit-identical everywhere.
   *
   * @example
   * ```ts
   * import { createRng } from "@convexformer/tensors";
   * const root = createRng(0);
   * const data = root.split();   // dataset stream
   * const init = root.split();   // weight-initialisation stream
   * ```
   */
  split(): Rng {
    return new Rng(
      fmix32(this.#next() ^ 0x243f6a88),
      fmix32(this.#next() ^ 0x85a308d3),
      fmix32(this.#next() ^ 0x13198a2e),
      fmix32(this.#next() ^ 0x03707344),
    );
  }
}

/**
 * A seeded {@link Rng}. Any safe integer is a valid seed (negative and above 2^32 included:
 * the low and high 32-bit halves each drive a splitmix32 sequence, combined word by word). The same seed gives the same stream on
 * every platform (see {@link Rng} for what is bit-identical).
 *
 * @param seed - any safe integer (negative, zero and values above 2^32 included); the same seed
 *   always gives the same stream
 * @throws {@link InvalidOptionError} unless `seed` is a safe integer
 *
 * @example
 * ```ts
 * import { createRng } from "@convexformer/tensors";
 * const a = createRng(2024).uniform();
 * const b = createRng(2024).uniform();
 * a === b; // true
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidOptionError("seed", seed, "must be a safe integer");
  }
  const lo = seed >>> 0; // ToUint32: seed mod 2^32, also for negative seeds
  const hi = Math.floor((seed - lo) / TWO_POW_32) >>> 0;
  // two splitmix32 sequences, one per 32-bit half, xor-combined word by word: every state word
  // (and so the very first output) depends on both halves of the seed
  const low = splitmix32(lo);
  const high = splitmix32(fmix32(hi ^ 0x6a09e667));
  const s0 = low() ^ high();
  const s1 = low() ^ high();
  const s2 = low() ^ high();
  const s3 = low() ^ high();
  return new Rng(s0, s1, s2, s3);
}

/** A splitmix32 generator started at `seed` (Weyl increment, murmur3-style finalizer). */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** murmur3's 32-bit finalizer (a bijection on 32-bit words). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Small cache of Zipf cumulative-weight tables, most recently used last. */
const zipfCache: { n: number; exponent: number; cdf: Float64Array }[] = [];

function zipfTable(n: number, exponent: number): Float64Array {
  for (let i = 0; i < zipfCache.length; i++) {
    const entry = zipfCache[i]!;
    if (entry.n === n && entry.exponent === exponent) {
      if (i !== zipfCache.length - 1) {
        zipfCache.splice(i, 1);
        zipfCache.push(entry);
      }
      return entry.cdf;
    }
  }
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += exponent === 0 ? 1 : (k + 1) ** -exponent;
    cdf[k] = acc;
  }
  zipfCache.push({ n, exponent, cdf });
  if (zipfCache.length > 4) zipfCache.shift();
  return cdf;
}
