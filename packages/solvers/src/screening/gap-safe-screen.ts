import type { GroupStructure } from "../regularizer.js";

/**
 * Inputs of {@link gapSafeScreen}: a certificate's by-products at the current point.
 *
 * @example
 * ```ts
 * import { type GapSafeScreenInput, gapSafeScreen } from "@convexformer/solvers";
 * // gap 0.01, L = 1: every dual optimum is within r = sqrt(2 · 0.01) ≈ 0.141 of u
 * const input: GapSafeScreenInput = {
 *   gradient: new Float64Array([0.1, 2]), dualScale: 0.5, gap: 0.01, smoothness: 1, lambda: 1,
 *   groups: { count: 2, ptr: new Int32Array([0, 1, 2]), weights: new Float64Array([1, 1]) },
 *   blockNorms: new Float64Array([10, 10]), // loose bounds: 0.05 + 10r > 1, no group passes
 *   screened: new Uint8Array(2),
 * };
 * gapSafeScreen(input); // 0
 * // with refine, group 0 gets a second chance: it passes with any bound below needed ≈ 6.7
 * const asked: number[] = [];
 * gapSafeScreen({ ...input, refine: (g, needed) => (asked.push(g, needed), 1) }); // 1
 * asked[0]; // 0
 * asked[1]; // ≈ 6.72
 * input.screened; // Uint8Array [1, 0]
 * ```
 */
export interface GapSafeScreenInput {
  /** `Aᵀ∇F(Ax)` (length `dim`): the dual point is `u = −s∇F(Ax)`, so `A_gᵀu = −s·gradient_g`. */
  readonly gradient: Float64Array;
  /** The certificate's dual scale `s`. */
  readonly dualScale: number;
  /** The absolute duality gap `P(x) − D(u) ≥ 0` of that dual point. */
  readonly gap: number;
  /** A Lipschitz constant of `∇F` (the loss's `smoothness`). */
  readonly smoothness: number;
  /** `λ`. */
  readonly lambda: number;
  /** The group ℓ2 structure. */
  readonly groups: GroupStructure;
  /** Upper bounds of `‖A_g‖₂` (see `blockNormBounds`). */
  readonly blockNorms: Float64Array;
  /** One flag per group, `1` when already screened; newly screened groups are set to `1`. */
  readonly screened: Uint8Array;
  /**
   * Optional tightening: when a group fails the test with `blockNorms[g]` but would pass with
   * a block norm below `needed`, the test is retried with `refine(g, needed)`, which must
   * return a rigorous upper bound of `‖A_g‖₂` (FISTA passes its lazily tightened bounds: the
   * Gram bound of `blockNormBounds`, computed only for such groups).
   *
   * @param group - the index `g` of the group that failed the test, in `[0, groups.count)`
   * @param needed - the block norm below which the test would pass, `(λ w_g − s‖gradient_g‖) / r`
   *   (`> 0`)
   */
  readonly refine?: (group: number, needed: number) => number;
}

/**
 * The gap-safe sphere test for the weighted group lasso (docs/concepts.md#certificates; Ndiaye et al., 2017). The
 * dual `D(u) = −F*(−u)` is `1/L`-strongly concave when `∇F` is `L`-Lipschitz, so every dual
 * optimum lies within `r = sqrt(2 L (P(x) − D(u)))` of the feasible `u`; a group with
 * `‖A_gᵀu‖ + r‖A_g‖₂ < λ w_g` therefore has `‖A_gᵀu*‖ < λ w_g`, and by the KKT conditions
 * `x_g = 0` at every optimum. Marks those groups in `screened`; returns how many were added.
 *
 * @param input - the certificate's by-products, the structure and the block norms
 * @example
 * ```ts
 * import { gapSafeScreen } from "@convexformer/solvers";
 * const screened = new Uint8Array(2);
 * gapSafeScreen({
 *   gradient: new Float64Array([0.1, 2]), dualScale: 0.5, gap: 0.01, smoothness: 1, lambda: 1,
 *   groups: { count: 2, ptr: new Int32Array([0, 1, 2]), weights: new Float64Array([1, 1]) },
 *   blockNorms: new Float64Array([1, 1]), screened,
 * }); // 1
 * // group 0 is zero at every optimum: 0.05 + 0.1414 < 1
 * screened; // Uint8Array [1, 0]
 * ```
 */
export function gapSafeScreen(input: GapSafeScreenInput): number {
  const { gradient, dualScale, gap, smoothness, lambda, groups, blockNorms, screened, refine } =
    input;
  const radius = Math.sqrt(2 * smoothness * Math.max(0, gap));
  if (!Number.isFinite(radius)) return 0;
  const { count, ptr, weights } = groups;
  let added = 0;
  for (let g = 0; g < count; g++) {
    if (screened[g] === 1) continue;
    const a = ptr[g] as number;
    const b = ptr[g + 1] as number;
    let s = 0;
    for (let i = a; i < b; i++) s += (gradient[i] as number) * (gradient[i] as number);
    const slack = lambda * (weights[g] as number) - dualScale * Math.sqrt(s);
    let pass = radius * (blockNorms[g] as number) < slack;
    if (!pass && refine !== undefined && slack > 0 && radius > 0) {
      pass = radius * refine(g, slack / radius) < slack;
    }
    if (pass) {
      screened[g] = 1;
      added++;
    }
  }
  return added;
}
