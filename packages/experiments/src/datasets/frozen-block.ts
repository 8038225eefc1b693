import {
  assertInteger,
  assertKnownOptions,
  createRng,
  InvalidOptionError,
  ShapeMismatchError,
  TokenBatch,
} from "@convexformer/tensors";

/**
 * Options of {@link createFrozenBlock}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { FrozenBlockOptions } from "@convexformer/experiments";
 * const options: FrozenBlockOptions = { features: 16, heads: 2, seed: 1 };
 * ```
 */
export interface FrozenBlockOptions {
  /** `d`: features per token. */
  readonly features: number;
  /** Attention heads; must divide `d` (default 2 when `d` is even, else 1). */
  readonly heads?: number;
  /** MLP hidden width as a multiple of `d` (default 4). */
  readonly mlpRatio?: number;
  /** Seed of the random weights (default 0). */
  readonly seed?: number;
}

/**
 * A frozen, randomly initialized standard transformer block in float64: the stand-in for
 * "frozen pretrained layers" of E1 (docs/guide/experiments.md). Pre-LayerNorm, `x ← x + MHA(LN(x))`,
 * `x ← x + MLP(LN(x))` (ReLU, `d → 4d → d`, biases), then a final LayerNorm (gain 1, bias 0,
 * `ε = 1e-5`) so every output token has zero mean and unit variance across features.
 * Weights uniform in `±1/√fan_in` (PyTorch's linear default), scores scaled by `1/√(d/h)`.
 *
 * @example
 * ```ts
 * import { createFrozenBlock } from "@convexformer/experiments";
 * import { TokenBatch } from "@convexformer/tensors";
 * const block = createFrozenBlock({ features: 4, heads: 2, seed: 0 });
 * const Y = block.apply(new TokenBatch(1, 3, 4, new Float64Array(12).fill(0.5)));
 * Y.features; // 4
 * ```
 */
export interface FrozenBlock {
  /** `d`. */
  readonly features: number;
  /** Heads. */
  readonly heads: number;
  /** The seed the weights came from. */
  readonly seed: number;
  /**
   * Runs the block on `X` (`N × n × d`); `mask` (`N × n`, 1 = real token, 0 = padding) hides
   * padded keys from attention (a sample with no real token attends uniformly).
   *
   * @param X - the `N × n × d` token batch, with the block's `d` features (not modified; a new
   *   batch is returned)
   * @param mask - `N × n` pad mask, row-major: 1 for a real token, 0 for padding (default: every
   *   token real)
   */
  apply(X: TokenBatch, mask?: Uint8Array): TokenBatch;
}

const KNOWN = ["features", "heads", "mlpRatio", "seed"] as const;
const EPS = 1e-5;

function layerNormRows(src: Float64Array, dst: Float64Array, rows: number, d: number): void {
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let q = 0; q < d; q++) mean += src[r * d + q] as number;
    mean /= d;
    let v = 0;
    for (let q = 0; q < d; q++) v += ((src[r * d + q] as number) - mean) ** 2;
    const s = 1 / Math.sqrt(v / d + EPS);
    for (let q = 0; q < d; q++) dst[r * d + q] = ((src[r * d + q] as number) - mean) * s;
  }
}

/** `out[rows × k] = a[rows × m] · b[m × k] (+ bias)`. */
function mm(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  m: number,
  k: number,
  bias?: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    if (bias !== undefined) for (let c = 0; c < k; c++) out[r * k + c] = bias[c] as number;
    for (let q = 0; q < m; q++) {
      const x = a[r * m + q] as number;
      if (x === 0) continue;
      for (let c = 0; c < k; c++)
        out[r * k + c] = (out[r * k + c] as number) + x * (b[q * k + c] as number);
    }
  }
  return out;
}

/**
 * Builds a {@link FrozenBlock} with seeded random weights.
 *
 * @param options - {@link FrozenBlockOptions}: `features` `d` (required, an integer ≥ 1), `heads`
 *   (must divide `d`; default 2 when `d` is even, else 1), `mlpRatio` (default 4), `seed` (default
 *   0); unknown keys are errors
 * @throws `InvalidOptionError` when `heads` does not divide `features`, for non-positive
 *   sizes, or for unknown keys
 *
 * @example
 * ```ts
 * import { createFrozenBlock } from "@convexformer/experiments";
 * const block = createFrozenBlock({ features: 8 });
 * block.heads; // 2
 * ```
 */
export function createFrozenBlock(options: FrozenBlockOptions): FrozenBlock {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  assertKnownOptions("options", options, KNOWN);
  const d = options.features;
  assertInteger("features", d, 1);
  const h = options.heads ?? (d % 2 === 0 ? 2 : 1);
  assertInteger("heads", h, 1);
  if (d % h !== 0) throw new InvalidOptionError("heads", h, `must divide features (${d})`);
  const ratio = options.mlpRatio ?? 4;
  assertInteger("mlpRatio", ratio, 1);
  const seed = options.seed ?? 0;
  assertInteger("seed", seed, 0);
  const H = ratio * d;
  const rng = createRng(seed);
  const uniform = (size: number, fanIn: number): Float64Array => {
    const b = 1 / Math.sqrt(fanIn);
    return rng.fillUniform(new Float64Array(size), -b, b);
  };
  const WQ = uniform(d * d, d);
  const WK = uniform(d * d, d);
  const WV = uniform(d * d, d);
  const WO = uniform(d * d, d);
  const W1 = uniform(d * H, d);
  const b1 = uniform(H, d);
  const W2 = uniform(H * d, H);
  const b2 = uniform(d, H);
  const dk = d / h;
  const scale = 1 / Math.sqrt(dk);

  const apply = (X: TokenBatch, mask?: Uint8Array): TokenBatch => {
    if (X.features !== d) {
      throw new ShapeMismatchError("X", `expected ${d} features per token, got ${X.features}`);
    }
    const N = X.samples;
    const n = X.tokens;
    if (mask !== undefined && mask.length !== N * n) {
      throw new ShapeMismatchError("mask", `expected ${N * n} entries (N × n), got ${mask.length}`);
    }
    const out = new Float64Array(N * n * d);
    const ln = new Float64Array(n * d);
    const scores = new Float64Array(n);
    for (let i = 0; i < N; i++) {
      const x = X.data.slice(i * n * d, (i + 1) * n * d);
      layerNormRows(x, ln, n, d);
      const Q = mm(ln, WQ, n, d, d);
      const K = mm(ln, WK, n, d, d);
      const V = mm(ln, WV, n, d, d);
      const merged = new Float64Array(n * d);
      for (let j = 0; j < h; j++) {
        for (let t = 0; t < n; t++) {
          let max = Number.NEGATIVE_INFINITY;
          let any = false;
          for (let u = 0; u < n; u++) {
            const hidden = mask !== undefined && mask[i * n + u] === 0;
            if (hidden) {
              scores[u] = Number.NEGATIVE_INFINITY;
              continue;
            }
            any = true;
            let s = 0;
            for (let r = 0; r < dk; r++) {
              s += (Q[t * d + j * dk + r] as number) * (K[u * d + j * dk + r] as number);
            }
            scores[u] = s * scale;
            if ((scores[u] as number) > max) max = scores[u] as number;
          }
          let z = 0;
          for (let u = 0; u < n; u++) {
            const e = any ? Math.exp((scores[u] as number) - max) : 1;
            scores[u] = e;
            z += e;
          }
          for (let u = 0; u < n; u++) {
            const a = (scores[u] as number) / z;
            if (a === 0) continue;
            for (let r = 0; r < dk; r++) {
              merged[t * d + j * dk + r] =
                (merged[t * d + j * dk + r] as number) + a * (V[u * d + j * dk + r] as number);
            }
          }
        }
      }
      const attn = mm(merged, WO, n, d, d);
      for (let e = 0; e < n * d; e++) x[e] = (x[e] as number) + (attn[e] as number);
      layerNormRows(x, ln, n, d);
      const hidden = mm(ln, W1, n, d, H, b1);
      for (let e = 0; e < hidden.length; e++) if ((hidden[e] as number) < 0) hidden[e] = 0;
      const mlp = mm(hidden, W2, n, H, d, b2);
      for (let e = 0; e < n * d; e++) x[e] = (x[e] as number) + (mlp[e] as number);
      layerNormRows(x, ln, n, d);
      out.set(ln, i * n * d);
    }
    return new TokenBatch(N, n, d, out);
  };
  return { features: d, heads: h, seed, apply };
}
