import { assertKnownOptions, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import { validateAttentionWeights } from "./attention-network.js";
import type { AttentionWeights } from "./attention-weights.js";
import {
  type ConvexAttentionLayout,
  layoutDimension,
  validateLayout,
} from "./convex-attention-layout.js";
import { type GateVectors, validateGateVectors } from "./gate-vectors.js";
import { validateArray, validateNonnegative } from "./model-input-validation.js";

/**
 * A point of a convex attention program with its layout (and gates for (14)).
 *
 * @example
 * ```ts
 * import { toConvex } from "@convexformer/attention";
 * const w = { heads: 1, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([0.5, 0.5]), w2: new Float64Array([2]), alpha: new Float64Array([1]) };
 * const z = toConvex(w); // z.x = [1, 1], z.layout = { gates: 1, outputs: 1, tokens: 2, features: 1 }
 * ```
 */
export interface ConvexAttentionPoint {
  /** The variable, laid out as in {@link ConvexAttentionLayout}. */
  readonly x: Float64Array;
  /** Its layout. */
  readonly layout: ConvexAttentionLayout;
  /** The gate vectors of program (14) (`layout.gates` of them); `undefined` when ungated. */
  readonly gates: GateVectors | undefined;
}

/**
 * Nonconvex → convex (docs/concepts.md#maps): `z_{l,k} = Σ_j w_{1j}[k] α_{jl} w_{2j}` for (8)/(11); for the
 * gated model (13) each head keeps its own gate, so the image lives in program (14) with
 * `P = h` gates (the heads' gate vectors) and `Z_{j,l} = α_{jl} w_{1j} w_{2j}ᵀ`.
 * The convex objective at the image is never larger than the nonconvex objective (AM–GM:
 * `Σ_{l,k} ‖z_{l,k}‖ ≤ Σ_j ‖α_j‖₁ ‖w_{2j}‖ ≤ ½ Σ_j (‖w_{2j}‖² + ‖α_j‖₁²)`) and the
 * predictions are the same.
 *
 * @param weights - the network of (8), (11) or (13) ({@link AttentionWeights}, checked as in
 *   {@link attentionForward}); with `gates` the image is a point of (14) with one gate per head
 *
 * @example
 * ```ts
 * import { toConvex } from "@convexformer/attention";
 * const w = { heads: 2, tokens: 2, features: 1, outputs: 1,
 *   w1: new Float64Array([1, 0, 0, 1]), w2: new Float64Array([1, 1]), alpha: new Float64Array([0.5, -0.5]) };
 * toConvex(w).x; // Float64Array [0.5, -0.5]
 * ```
 */
export function toConvex(weights: AttentionWeights): ConvexAttentionPoint {
  validateAttentionWeights(weights);
  const { heads: h, tokens: n, features: d, outputs: c } = weights;
  const gated = weights.gates !== undefined;
  const layout: ConvexAttentionLayout = {
    gates: gated ? h : 1,
    outputs: c,
    tokens: n,
    features: d,
  };
  const x = new Float64Array(layoutDimension(layout));
  for (let j = 0; j < h; j++) {
    const block = gated ? j : 0;
    for (let l = 0; l < c; l++) {
      const a = weights.alpha[j * c + l] as number;
      if (a === 0) continue;
      for (let k = 0; k < n; k++) {
        const s = a * (weights.w1[j * n + k] as number);
        if (s === 0) continue;
        const base = ((block * c + l) * n + k) * d;
        for (let q = 0; q < d; q++)
          x[base + q] = (x[base + q] as number) + s * (weights.w2[j * d + q] as number);
      }
    }
  }
  const gates =
    weights.gates === undefined
      ? undefined
      : { u1: weights.gates.u1.slice(), u2: weights.gates.u2.slice() };
  return { x, layout, gates };
}

/**
 * Number of heads the recovered network needs: the number of nonzero rows `z_{j,l,k}` (docs/concepts.md#maps:
 * one head per nonzero row; the theorems as printed omit this and are false at `h = 1`).
 *
 * @param x - a point of (9), (12) or (14) in the storage order of `layout` (length `P·c·n·d`,
 *   finite entries; not modified)
 * @param layout - its layout ({@link ConvexAttentionLayout}: `gates`, `outputs`, `tokens`,
 *   `features`, each an integer ≥ 1)
 * @param tolerance - rows with `‖z‖₂ ≤ tolerance` count as zero (default 0: exact zeros, as the
 *   proximal solvers produce; a finite number ≥ 0)
 *
 * @example
 * ```ts
 * import { headsNeeded } from "@convexformer/attention";
 * headsNeeded(new Float64Array([7 / 8, -7 / 8]), { gates: 1, outputs: 1, tokens: 2, features: 1 }); // 2
 * ```
 */
export function headsNeeded(x: Float64Array, layout: ConvexAttentionLayout, tolerance = 0): number {
  validatePoint(x, layout);
  validateNonnegative("tolerance", tolerance, false);
  const d = layout.features;
  let count = 0;
  for (let g = 0; g * d < x.length; g++) if (rowNorm(x, g * d, d) > tolerance) count++;
  return count;
}

/**
 * Convex → nonconvex recovery (docs/concepts.md#maps): one head per nonzero row `(j, l, k)` with
 * `w_1 = e_k` (the row's **own token**; the paper prints `e_j`, which reads the wrong token),
 * `w_2 = z/√‖z‖`, `α = √‖z‖ e_l`, and, for (14), the gate vectors of gate `j`. Predictions
 * match and the nonconvex objective equals the convex one (each head costs
 * `½(‖z‖ + ‖z‖) = ‖z‖`). The zero solution maps to one all-zero head.
 *
 * @param x - a point of (9), (12) or (14) in the storage order of `layout` (length `P·c·n·d`,
 *   finite entries; not modified)
 * @param layout - its layout ({@link ConvexAttentionLayout}: `gates`, `outputs`, `tokens`,
 *   `features`, each an integer ≥ 1)
 * @param gates - the gate vectors of program (14), `layout.gates` of them (required iff
 *   `layout.gates > 1` or the point came from a gated program; each head gets the gate of its row)
 * @param options - `heads`: pad the network with zero heads to exactly this many (throws when fewer
 *   than {@link headsNeeded} or more than `P·c·n`, the most distinct heads the program has);
 *   `tolerance` as in {@link headsNeeded} (default 0); unknown keys are errors
 *
 * @example
 * ```ts
 * import { recoverNetwork } from "@convexformer/attention";
 * // exact instance 2: the head attends to token 2
 * const w = recoverNetwork(new Float64Array([0, 7 / 8]), { gates: 1, outputs: 1, tokens: 2, features: 1 });
 * w.w1; // Float64Array [0, 1]
 * ```
 */
export function recoverNetwork(
  x: Float64Array,
  layout: ConvexAttentionLayout,
  gates?: GateVectors,
  options: { readonly heads?: number; readonly tolerance?: number } = {},
): AttentionWeights {
  assertKnownOptions("options", options, ["heads", "tolerance"]);
  validatePoint(x, layout);
  const { gates: P, outputs: c, tokens: n, features: d } = layout;
  if (gates !== undefined && validateGateVectors(gates, n, d) !== P) {
    throw new ShapeMismatchError(
      "gates",
      `expected ${P} gates for this layout, got ${gates.u1.length / n}`,
    );
  }
  if (gates === undefined && P > 1) {
    throw new InvalidOptionError(
      "gates",
      undefined,
      `a layout with ${P} gates needs its gate vectors`,
    );
  }
  const tolerance = options.tolerance ?? 0;
  validateNonnegative("tolerance", tolerance, false);
  const rows: number[] = [];
  for (let g = 0; g < P * c * n; g++) if (rowNorm(x, g * d, d) > tolerance) rows.push(g);
  const maxHeads = P * c * n;
  const h = options.heads ?? Math.max(1, rows.length);
  if (!Number.isSafeInteger(h) || h < 1)
    throw new InvalidOptionError("heads", h, "must be an integer >= 1");
  if (h > maxHeads && options.heads !== undefined) {
    throw new InvalidOptionError(
      "heads",
      h,
      `this program has ${maxHeads} distinct single-token heads (P·c·n); more add nothing`,
    );
  }
  if (h < rows.length) {
    throw new InvalidOptionError(
      "heads",
      h,
      `the solution needs ${rows.length} heads (one per nonzero row)`,
    );
  }
  const w1 = new Float64Array(h * n);
  const w2 = new Float64Array(h * d);
  const alpha = new Float64Array(h * c);
  const u1 = gates === undefined ? undefined : new Float64Array(h * n);
  const u2 = gates === undefined ? undefined : new Float64Array(h * d);
  for (let head = 0; head < h; head++) {
    const g = rows[head];
    if (g === undefined) {
      // padding: a zero head attending to token 1 (gate 1)
      w1[head * n] = 1;
      if (gates !== undefined && u1 !== undefined && u2 !== undefined) {
        u1.set(gates.u1.subarray(0, n), head * n);
        u2.set(gates.u2.subarray(0, d), head * d);
      }
      continue;
    }
    const k = g % n;
    const jl = (g - k) / n;
    const l = jl % c;
    const j = (jl - l) / c;
    const norm = rowNorm(x, g * d, d);
    const root = Math.sqrt(norm);
    w1[head * n + k] = 1;
    for (let q = 0; q < d; q++) w2[head * d + q] = (x[g * d + q] as number) / root;
    alpha[head * c + l] = root;
    if (gates !== undefined && u1 !== undefined && u2 !== undefined) {
      u1.set(gates.u1.subarray(j * n, (j + 1) * n), head * n);
      u2.set(gates.u2.subarray(j * d, (j + 1) * d), head * d);
    }
  }
  const base = { heads: h, tokens: n, features: d, outputs: c, w1, w2, alpha };
  return u1 !== undefined && u2 !== undefined ? { ...base, gates: { u1, u2 } } : base;
}

/** `‖x[offset : offset + d]‖₂`, scaled to avoid overflow (internal). */
export function rowNorm(x: Float64Array, offset: number, d: number): number {
  let scale = 0;
  for (let q = 0; q < d; q++) scale = Math.max(scale, Math.abs(x[offset + q] as number));
  if (scale === 0) return 0;
  let s = 0;
  for (let q = 0; q < d; q++) {
    const v = (x[offset + q] as number) / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

function validatePoint(x: Float64Array, layout: ConvexAttentionLayout): void {
  validateLayout(layout);
  validateArray("x", x, layoutDimension(layout));
}
