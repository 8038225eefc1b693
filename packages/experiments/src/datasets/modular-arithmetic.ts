import {
  assertInteger,
  assertKnownOptions,
  createRng,
  InvalidOptionError,
} from "@convexformer/tensors";

/**
 * The operators of the modular-arithmetic task of E2.
 *
 * @example
 * ```ts
 * import type { ModularOperator } from "@convexformer/experiments";
 * const op: ModularOperator = "/"; // x · y⁻¹ mod p
 * ```
 */
export type ModularOperator = "+" | "-" | "*" | "/";

/**
 * The operators {@link modularArithmetic} accepts, in a fixed order.
 *
 * @example
 * ```ts
 * import { MODULAR_OPERATORS } from "@convexformer/experiments";
 * MODULAR_OPERATORS.includes("/"); // true
 * ```
 */
export const MODULAR_OPERATORS: readonly ModularOperator[] = ["+", "-", "*", "/"];

/**
 * Options of {@link modularArithmetic}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { ModularArithmeticOptions } from "@convexformer/experiments";
 * const options: ModularArithmeticOptions = { prime: 7, operator: "/", trainFraction: 0.5, seed: 0 };
 * ```
 */
export interface ModularArithmeticOptions {
  /** The modulus `p`: a prime in `[2, 2^15)` (division needs a field). */
  readonly prime: number;
  /** The operator (default `"/"`). */
  readonly operator?: ModularOperator;
  /** Fraction of all pairs in the training split, in `(0, 1)` (default 0.5). */
  readonly trainFraction?: number;
  /** Seed of the split (default 0). */
  readonly seed?: number;
}

/**
 * One split of a modular-arithmetic data set: sequences `[x, op, y, =]` and their results.
 *
 * @example
 * ```ts
 * import { modularArithmetic, type ModularSplit } from "@convexformer/experiments";
 * const split: ModularSplit = modularArithmetic({ prime: 5 }).train;
 * split.tokens.length === 4 * split.size; // true
 * ```
 */
export interface ModularSplit {
  /** Number of sequences. */
  readonly size: number;
  /** `size × 4` token ids, row-major: `x`, the operator token `p`, `y`, the `=` token `p + 1`. */
  readonly tokens: Int32Array;
  /** `size` labels: `x op y mod p`. */
  readonly labels: Int32Array;
}

/**
 * What {@link modularArithmetic} returns.
 *
 * @example
 * ```ts
 * import { modularArithmetic, type ModularDataset } from "@convexformer/experiments";
 * const data: ModularDataset = modularArithmetic({ prime: 5, operator: "+" });
 * data.vocabSize; // 7
 * ```
 */
export interface ModularDataset {
  /** `p`. */
  readonly prime: number;
  /** The operator. */
  readonly operator: ModularOperator;
  /** `p + 2`: operands `0..p−1`, the operator token `p`, the `=` token `p + 1`. */
  readonly vocabSize: number;
  /** Tokens per sequence (4). */
  readonly sequenceLength: number;
  /** The training split. */
  readonly train: ModularSplit;
  /** The validation split (every pair not in `train`). */
  readonly validation: ModularSplit;
  /** The seed of the split. */
  readonly seed: number;
  /** The training fraction asked for. */
  readonly trainFraction: number;
}

const KNOWN = ["prime", "operator", "trainFraction", "seed"] as const;

function isPrime(p: number): boolean {
  if (p < 2) return false;
  for (let q = 2; q * q <= p; q++) if (p % q === 0) return false;
  return true;
}

/** `b^e mod p` by repeated squaring (all values below 2^15, so products stay exact). */
function powMod(b: number, e: number, p: number): number {
  let r = 1;
  let x = b % p;
  let k = e;
  while (k > 0) {
    if (k & 1) r = (r * x) % p;
    x = (x * x) % p;
    k >>= 1;
  }
  return r;
}

/**
 * The modular-arithmetic data set of E2 (docs/guide/experiments.md): every pair `(x, y)` with `x, y ∈ [0, p)`
 * (`y ≠ 0` for division), the sequence `[x, op, y, =]` with vocabulary `p + 2` (operands
 * `0..p−1`, operator token `p`, `=` token `p + 1`), the label `x op y mod p`, and a seeded
 * random train/validation split: a permutation of all pairs, the first
 * `round(trainFraction · pairs)` (at least 1, at most `pairs − 1`) train, the rest validation.
 *
 * @param options - {@link ModularArithmeticOptions}: `prime` `p` (required, a prime in
 *   `[2, 2^15)`), `operator` (default `"/"`), `trainFraction` in `(0, 1)` (default 0.5), `seed` of
 *   the split (default 0); unknown keys are errors
 * @throws `InvalidOptionError` for a non-prime `p`, an unknown operator, a fraction outside
 *   `(0, 1)`, or unknown keys
 *
 * @example
 * ```ts
 * import { modularArithmetic } from "@convexformer/experiments";
 * const data = modularArithmetic({ prime: 7, operator: "/", trainFraction: 0.5, seed: 0 });
 * data.train.size + data.validation.size; // 42 = 7 · 6 pairs
 * data.train.size; // 21
 * ```
 */
export function modularArithmetic(options: ModularArithmeticOptions): ModularDataset {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  assertKnownOptions("options", options, KNOWN);
  const p = options.prime;
  assertInteger("prime", p, 2);
  if (p >= 1 << 15 || !isPrime(p)) {
    throw new InvalidOptionError("prime", p, "must be a prime below 32768");
  }
  const op = options.operator ?? "/";
  if (!MODULAR_OPERATORS.includes(op)) {
    throw new InvalidOptionError("operator", op, `must be one of ${MODULAR_OPERATORS.join(" ")}`);
  }
  const fraction = options.trainFraction ?? 0.5;
  if (typeof fraction !== "number" || !(fraction > 0 && fraction < 1)) {
    throw new InvalidOptionError("trainFraction", fraction, "must be a number in (0, 1)");
  }
  const seed = options.seed ?? 0;
  assertInteger("seed", seed, 0);
  const y0 = op === "/" ? 1 : 0;
  const pairs = p * (p - y0);
  const xs = new Int32Array(pairs);
  const ys = new Int32Array(pairs);
  const zs = new Int32Array(pairs);
  let k = 0;
  for (let x = 0; x < p; x++) {
    for (let y = y0; y < p; y++) {
      xs[k] = x;
      ys[k] = y;
      zs[k] =
        op === "+"
          ? (x + y) % p
          : op === "-"
            ? (x - y + p) % p
            : op === "*"
              ? (x * y) % p
              : (x * powMod(y, p - 2, p)) % p;
      k++;
    }
  }
  const order = createRng(seed).permutation(pairs);
  const nTrain = Math.min(pairs - 1, Math.max(1, Math.round(fraction * pairs)));
  const split = (from: number, to: number): ModularSplit => {
    const size = to - from;
    const tokens = new Int32Array(size * 4);
    const labels = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const j = order[from + i] as number;
      tokens[i * 4] = xs[j] as number;
      tokens[i * 4 + 1] = p;
      tokens[i * 4 + 2] = ys[j] as number;
      tokens[i * 4 + 3] = p + 1;
      labels[i] = zs[j] as number;
    }
    return { size, tokens, labels };
  };
  return {
    prime: p,
    operator: op,
    vocabSize: p + 2,
    sequenceLength: 4,
    train: split(0, nTrain),
    validation: split(nTrain, pairs),
    seed,
    trainFraction: fraction,
  };
}
