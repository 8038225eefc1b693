import {
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  type Matrix,
} from "@convexformer/tensors";

/**
 * Sparsity of one attention distribution over `n` tokens (a row of an attention map, or a
 * token-importance profile `‖z_k‖`), after normalizing it to sum 1.
 *
 * @example
 * ```ts
 * import type { RowSparsity } from "@convexformer/interpret";
 * const oneHot: RowSparsity = { entropy: 0, topKMass: 1, effectiveTokens: 1, gini: 0.75 }; // n = 4
 * ```
 */
export interface RowSparsity {
  /** Shannon entropy `H = −Σ p_k log p_k` divided by `log n`: 0 for one token, 1 for uniform (0 when `n = 1`). */
  readonly entropy: number;
  /** Mass of the `k` largest entries (`k = topK`). */
  readonly topKMass: number;
  /** `exp(H)`: the effective number of tokens attended (1 to `n`). */
  readonly effectiveTokens: number;
  /** Gini coefficient `Σ_i (2i − n − 1) p_(i) / n` of the sorted entries: 0 uniform, `1 − 1/n` one-hot. */
  readonly gini: number;
}

/**
 * Options of {@link rowSparsity}, {@link mapSparsity} and {@link sparsityOf}.
 *
 * @example
 * ```ts
 * import type { SparsityOptions } from "@convexformer/interpret";
 * const options: SparsityOptions = { topK: 2, causal: true };
 * ```
 */
export interface SparsityOptions {
  /** `k` of the top-`k` mass (default 1). */
  readonly topK?: number;
  /** Maps only: row `k` is a causal distribution over its first `k + 1` tokens (default `false`). */
  readonly causal?: boolean;
}

/**
 * Sparsity of one nonnegative row: normalized entropy, top-`k` mass, effective tokens, Gini.
 *
 * @param values - the `n ≥ 1` entries of one distribution: finite, ≥ 0, not all 0 (any scale: they
 *   are normalized to sum 1)
 * @param options - {@link SparsityOptions}: `topK` (an integer ≥ 1, default 1) and `causal`
 *   (default `false`); unknown keys are errors (`causal` matters for maps only)
 * @param argument - the name error messages give `values` (default `"values"`)
 * @throws `InvalidOptionError` for a negative or non-finite entry, or a row summing to 0
 *
 * @example
 * ```ts
 * import { rowSparsity } from "@convexformer/interpret";
 * rowSparsity([0, 0, 1, 0]).entropy;            // 0
 * rowSparsity([1, 1, 1, 1]).effectiveTokens;    // 4
 * rowSparsity([1, 1, 1, 1], { topK: 2 }).topKMass; // 0.5
 * ```
 */
export function rowSparsity(
  values: ArrayLike<number>,
  options: SparsityOptions = {},
  argument = "values",
): RowSparsity {
  assertKnownOptions("options", options, ["topK", "causal"]);
  const topK = options.topK ?? 1;
  assertInteger("options.topK", topK, 1);
  const n = values.length;
  if (n === 0) throw new InvalidOptionError(argument, "[]", "must hold at least one entry");
  let total = 0;
  for (let k = 0; k < n; k++) {
    const v = values[k] as number;
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new InvalidOptionError(`${argument}[${k}]`, v, "entries must be finite and >= 0");
    }
    total += v;
  }
  if (!(total > 0)) throw new InvalidOptionError(argument, total, "the entries must not all be 0");
  const p = Float64Array.from({ length: n }, (_, k) => (values[k] as number) / total).sort();
  let h = 0;
  for (const v of p) if (v > 0) h -= v * Math.log(v);
  let top = 0;
  for (let i = 0; i < Math.min(topK, n); i++) top += p[n - 1 - i] as number;
  let gini = 0;
  for (let i = 0; i < n; i++) gini += (2 * (i + 1) - n - 1) * (p[i] as number);
  gini /= n;
  return {
    entropy: n === 1 ? 0 : Math.max(0, h) / Math.log(n),
    topKMass: Math.min(1, top),
    effectiveTokens: Math.exp(Math.max(0, h)),
    gini: Math.max(0, gini),
  };
}

/**
 * Sparsity of every row of an attention map, and the means over its rows.
 *
 * @example
 * ```ts
 * import { mapSparsity } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const s = mapSparsity(Matrix.fromRows([[1, 0], [0.5, 0.5]]));
 * s.mean.entropy;  // 0.5 (rows: 0 and 1)
 * s.rows.length;   // 2
 * ```
 */
export interface MapSparsity {
  /** Per row (rows whose mass is 0 are skipped and counted in `zeroRows`). */
  readonly rows: readonly RowSparsity[];
  /** Means over the rows in `rows`. */
  readonly mean: RowSparsity;
  /** Rows left out because all their entries are 0 (e.g. an unused output of a token map). */
  readonly zeroRows: number;
}

/**
 * {@link rowSparsity} of each row of `map` (`causal`: row `k` over its first `k + 1` entries)
 * and the means over rows.
 *
 * @param map - a nonnegative `rows × n` attention map, one distribution per row (all-zero rows are
 *   skipped and counted; not every row may be 0)
 * @param options - {@link SparsityOptions}: `topK` (an integer ≥ 1, default 1) and `causal`
 *   (default `false`); unknown keys are errors
 * @throws `InvalidOptionError` for a negative entry, or when every row is 0
 *
 * @example
 * ```ts
 * import { mapSparsity } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * mapSparsity(Matrix.fromRows([[1, 1, 1], [1, 1, 1]])).mean.effectiveTokens; // 3
 * ```
 */
export function mapSparsity(map: Matrix, options: SparsityOptions = {}): MapSparsity {
  const rows: RowSparsity[] = [];
  let zeroRows = 0;
  for (let i = 0; i < map.rows; i++) {
    const width = options.causal === true ? Math.min(map.cols, i + 1) : map.cols;
    const row = map.data.subarray(i * map.cols, i * map.cols + width);
    let total = 0;
    for (const v of row) total += v;
    if (total === 0) {
      zeroRows++;
      continue;
    }
    rows.push(rowSparsity(row, options, `map[${i}]`));
  }
  if (rows.length === 0) {
    throw new InvalidOptionError("map", `${map.rows}×${map.cols} zeros`, "has no nonzero row");
  }
  return { rows, mean: meanSparsity(rows), zeroRows };
}

/**
 * Sparsity per head (one map each) and averaged over heads: the number behind "convex maps are
 * sparse across tokens, standard attention is near uniform" (paper Fig. 3).
 *
 * @example
 * ```ts
 * import { sparsityOf } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * const s = sparsityOf([Matrix.fromRows([[0, 1]]), Matrix.fromRows([[1, 1]])]);
 * s.perHead[0]?.mean.entropy; // 0
 * s.mean.entropy;             // 0.5
 * ```
 */
export interface SparsitySummary {
  /** One {@link MapSparsity} per head. */
  readonly perHead: readonly MapSparsity[];
  /** Means of the heads' means. */
  readonly mean: RowSparsity;
}

/**
 * {@link mapSparsity} of each head's map and the mean over heads.
 *
 * @param maps - one nonnegative map per head (e.g. `SoftmaxAttentionMaps.mean` or
 *   {@link simplexMaps}' `heads`)
 * @param options - {@link SparsityOptions}: `topK` (an integer ≥ 1, default 1) and `causal`
 *   (default `false`); unknown keys are errors, applied to every map
 *
 * @example
 * ```ts
 * import { sparsityOf } from "@convexformer/interpret";
 * import { Matrix } from "@convexformer/tensors";
 * sparsityOf([Matrix.fromRows([[1, 0, 0]])]).mean.topKMass; // 1
 * ```
 */
export function sparsityOf(
  maps: readonly Matrix[],
  options: SparsityOptions = {},
): SparsitySummary {
  if (maps.length === 0) throw new InvalidOptionError("maps", "[]", "must hold at least one map");
  const perHead = maps.map((m) => mapSparsity(m, options));
  return { perHead, mean: meanSparsity(perHead.map((h) => h.mean)) };
}

function meanSparsity(rows: readonly RowSparsity[]): RowSparsity {
  let entropy = 0;
  let topKMass = 0;
  let effectiveTokens = 0;
  let gini = 0;
  for (const r of rows) {
    entropy += r.entropy;
    topKMass += r.topKMass;
    effectiveTokens += r.effectiveTokens;
    gini += r.gini;
  }
  const m = rows.length;
  return {
    entropy: entropy / m,
    topKMass: topKMass / m,
    effectiveTokens: effectiveTokens / m,
    gini: gini / m,
  };
}
