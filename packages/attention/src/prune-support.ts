import { ShapeMismatchError, type TokenBatch } from "@convexformer/tensors";
import {
  type ConvexAttentionLayout,
  layoutDimension,
  validateLayout,
} from "./convex-attention-layout.js";
import { rowNorm } from "./convex-maps.js";
import { validateArray, validateBatchShape } from "./model-input-validation.js";

/**
 * Result of {@link pruneSupport}.
 *
 * @example
 * ```ts
 * import { type PruneResult, pruneSupport } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 3, 1, new Float64Array([1, 1, 1]));
 * const layout = { gates: 1, outputs: 1, tokens: 3, features: 1 };
 * const r: PruneResult = pruneSupport(new Float64Array([0.2, 0.3, 0.5]), layout, X);
 * r.initialSupport; // 3
 * r.support <= r.bound; // true
 * ```
 */
export interface PruneResult {
  /** The pruned point (a new array; same layout). */
  readonly x: Float64Array;
  /** Nonzero rows before pruning. */
  readonly initialSupport: number;
  /** Nonzero rows after pruning. */
  readonly support: number;
  /** The Carathéodory bound `N·c + 1` (`N + 1` for scalar outputs). */
  readonly bound: number;
  /** Largest change of any prediction caused by the pruning steps (rounding only). */
  readonly predictionDrift: number;
}

/**
 * Carathéodory pruning (docs/concepts.md#token-sparsity): from any point of (9), (12) or (14), returns one with at most
 * `N·c + 1` nonzero rows (`N + 1` for scalar outputs) with the **same predictions and the same
 * penalty**, hence the same objective for every loss — so an optimum stays an optimum.
 *
 * Each active row is `z_r = s_r u_r` (`s_r = ‖z_r‖`, direction `u_r` fixed); its contribution to
 * the `N·c` predictions is `s_r p_r`. While more than `N·c + 1` rows are active, take `N·c + 2` of
 * them, find `δ ≠ 0` with `Σ δ_r p_r = 0` and `Σ δ_r = 0` (a null vector of the
 * `(N·c + 1) × (N·c + 2)` matrix `[p_r; 1]`, by Gaussian elimination with full pivoting), and
 * move `s ← s + ε δ` with the largest `ε` keeping `s ≥ 0`: one row vanishes exactly while the
 * predictions and `Σ s_r` do not change.
 *
 * @param x - a point of (9), (12) or (14) in the storage order of `layout` (length `P·c·n·d`,
 *   finite entries; not modified)
 * @param layout - its layout ({@link ConvexAttentionLayout}: `gates`, `outputs`, `tokens`,
 *   `features`, each an integer ≥ 1)
 * @param X - the program's `N × n × d` token batch (its tokens and features must match `layout`;
 *   finite entries)
 * @param mask - the `N × P` gate patterns of (14), row-major (e.g. `sampleGates(…).mask`); required
 *   when `layout.gates > 1`, length `N·P`
 *
 * @example
 * ```ts
 * import { pruneSupport } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * // one sample, three tokens with equal features: three active rows, bound N + 1 = 2
 * const X = new TokenBatch(1, 3, 1, new Float64Array([1, 1, 1]));
 * const r = pruneSupport(new Float64Array([0.2, 0.3, 0.5]), { gates: 1, outputs: 1, tokens: 3, features: 1 }, X);
 * r.support; // ≤ 2, with the same prediction 1.0 and the same penalty 1.0
 * ```
 */
export function pruneSupport(
  x: Float64Array,
  layout: ConvexAttentionLayout,
  X: TokenBatch,
  mask?: Uint8Array,
): PruneResult {
  validateLayout(layout);
  validateArray("x", x, layoutDimension(layout));
  const { gates: P, outputs: c, tokens: n, features: d } = layout;
  validateBatchShape(X, n, d);
  const N = X.samples;
  if (P > 1 && mask === undefined)
    throw new ShapeMismatchError("mask", `a layout with ${P} gates needs its N × P mask`);
  if (mask !== undefined && mask.length !== N * P) {
    throw new ShapeMismatchError("mask", `expected N × P = ${N * P} entries, got ${mask.length}`);
  }
  const out = x.slice();
  const rowsTotal = P * c * n;
  const scale: number[] = [];
  const active: number[] = [];
  for (let g = 0; g < rowsTotal; g++) {
    const s = rowNorm(out, g * d, d);
    if (s > 0) {
      active.push(g);
      scale[g] = s;
    }
  }
  const initialSupport = active.length;
  const bound = N * c + 1;
  const rowsM = N * c + 1;
  // contribution p_g (length N·c, sparse in l) of the unit direction of row g
  const contribution = (g: number, s: number): Float64Array => {
    const k = g % n;
    const jl = (g - k) / n;
    const l = jl % c;
    const j = (jl - l) / c;
    const p = new Float64Array(N * c);
    for (let i = 0; i < N; i++) {
      if (mask !== undefined && mask[i * P + j] === 0) continue;
      let t = 0;
      const xb = (i * n + k) * d;
      for (let q = 0; q < d; q++) t += (X.data[xb + q] as number) * (out[g * d + q] as number);
      p[i * c + l] = t / s;
    }
    return p;
  };
  if (initialSupport <= bound) {
    return { x: out, initialSupport, support: initialSupport, bound, predictionDrift: 0 };
  }
  const before = predictions(out, layout, X, mask);
  while (active.length > bound) {
    const chosen = active.slice(0, bound + 1);
    const m = chosen.length;
    const M = new Float64Array(rowsM * m);
    chosen.forEach((g, col) => {
      const p = contribution(g, scale[g] as number);
      for (let r = 0; r < N * c; r++) M[r * m + col] = p[r] as number;
      M[(rowsM - 1) * m + col] = 1;
    });
    const delta = nullVector(M, rowsM, m);
    // choose the sign so that some δ < 0 exists (Σδ = 0 with δ ≠ 0: both signs exist)
    let eps = Infinity;
    let hit = -1;
    for (let col = 0; col < m; col++) {
      const dl = delta[col] as number;
      if (dl < 0) {
        const e = (scale[chosen[col] as number] as number) / -dl;
        if (e < eps) {
          eps = e;
          hit = col;
        }
      }
    }
    if (hit < 0) {
      for (let col = 0; col < m; col++) delta[col] = -(delta[col] as number);
      for (let col = 0; col < m; col++) {
        const dl = delta[col] as number;
        if (dl < 0) {
          const e = (scale[chosen[col] as number] as number) / -dl;
          if (e < eps) {
            eps = e;
            hit = col;
          }
        }
      }
    }
    const removed = new Set<number>();
    for (let col = 0; col < m; col++) {
      const g = chosen[col] as number;
      const old = scale[g] as number;
      const next = col === hit ? 0 : Math.max(0, old + eps * (delta[col] as number));
      const f = next / old;
      for (let q = 0; q < d; q++) out[g * d + q] = f === 0 ? 0 : (out[g * d + q] as number) * f;
      scale[g] = next;
      if (next === 0) removed.add(g);
    }
    for (let t = active.length - 1; t >= 0; t--)
      if (removed.has(active[t] as number)) active.splice(t, 1);
  }
  const after = predictions(out, layout, X, mask);
  let drift = 0;
  for (let r = 0; r < before.length; r++)
    drift = Math.max(drift, Math.abs((after[r] as number) - (before[r] as number)));
  return { x: out, initialSupport, support: active.length, bound, predictionDrift: drift };
}

/** A nonzero null vector of the `r × m` row-major matrix `M` (`m > r`), full pivoting. */
function nullVector(M: Float64Array, r: number, m: number): Float64Array {
  const A = M.slice();
  const colPerm = Int32Array.from({ length: m }, (_, i) => i);
  let maxAbs = 0;
  for (const v of A) maxAbs = Math.max(maxAbs, Math.abs(v));
  const tiny = maxAbs * 1e-13 * Math.max(r, m);
  let rank = 0;
  for (let step = 0; step < r; step++) {
    // full pivot in the trailing block
    let best = 0;
    let pi = -1;
    let pj = -1;
    for (let i = step; i < r; i++) {
      for (let j = step; j < m; j++) {
        const v = Math.abs(A[i * m + (colPerm[j] as number)] as number);
        if (v > best) {
          best = v;
          pi = i;
          pj = j;
        }
      }
    }
    if (best <= tiny || pi < 0) break;
    if (pi !== step) {
      for (let j = 0; j < m; j++) {
        const t = A[step * m + j] as number;
        A[step * m + j] = A[pi * m + j] as number;
        A[pi * m + j] = t;
      }
    }
    const tc = colPerm[step] as number;
    colPerm[step] = colPerm[pj] as number;
    colPerm[pj] = tc;
    const pc = colPerm[step] as number;
    const pivot = A[step * m + pc] as number;
    for (let i = step + 1; i < r; i++) {
      const f = (A[i * m + pc] as number) / pivot;
      if (f === 0) continue;
      for (let j = 0; j < m; j++)
        A[i * m + j] = (A[i * m + j] as number) - f * (A[step * m + j] as number);
    }
    rank++;
  }
  // free variable: the first non-pivot column = 1; back-substitute the pivots
  const v = new Float64Array(m);
  v[colPerm[rank] as number] = 1;
  for (let step = rank - 1; step >= 0; step--) {
    const pc = colPerm[step] as number;
    let s = 0;
    for (let j = step + 1; j <= rank; j++) {
      const cj = colPerm[j] as number;
      s += (A[step * m + cj] as number) * (v[cj] as number);
    }
    v[pc] = -s / (A[step * m + pc] as number);
  }
  return v;
}

/** `ŷ = A x` computed row by row (internal reference; small sizes). */
function predictions(
  x: Float64Array,
  layout: ConvexAttentionLayout,
  X: TokenBatch,
  mask: Uint8Array | undefined,
): Float64Array {
  const { gates: P, outputs: c, tokens: n, features: d } = layout;
  const N = X.samples;
  const y = new Float64Array(N * c);
  const nd = n * d;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < P; j++) {
      if (mask !== undefined && mask[i * P + j] === 0) continue;
      for (let l = 0; l < c; l++) {
        let s = 0;
        const base = (j * c + l) * nd;
        for (let e = 0; e < nd; e++) s += (X.data[i * nd + e] as number) * (x[base + e] as number);
        y[i * c + l] = (y[i * c + l] as number) + s;
      }
    }
  }
  return y;
}
