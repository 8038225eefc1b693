import type { GroupStructure } from "../regularizer.js";

/** The groups a working-set round solves on, from {@link kktWorkingSet}. @internal */
export interface KktWorkingSet {
  /** The chosen groups, increasing. */
  readonly keep: Int32Array;
  /** Whether the set holds every unscreened group. */
  readonly complete: boolean;
}

/**
 * The working set of a round (celer / skglm): every group of the support (a nonzero entry in
 * `x`) plus the worst violators of the optimality condition at a zero group, ranked by the
 * KKT score `‖A_gᵀ∇F‖ / (λ w_g)` (> 1: violated). `max(p₀, 2·|support|)` groups while
 * violators abound (the set doubles), `max(p₀, |support| + violators)` when few are left
 * (with costly column access, every extra group costs), every unscreened group once that is
 * more than half of them; without `workingSet`, every unscreened group. `score` and `inSet`
 * are scratch of length `groups.count`; `inSet` ends as the set's indicator. @internal
 *
 * @param gradient - `Aᵀ∇F(Ax)` at `x`, length `dim`
 * @param x - the current iterate (its support is always kept)
 * @param groups - the regularizer's group structure
 * @param lambda - the regularization weight
 * @param screened - 1 for groups proven zero (never kept)
 * @param scratch - `score` and `inSet`, length `groups.count` (overwritten)
 * @param options - `workingSet` (otherwise every unscreened group) and `minSize` (`p₀`)
 */
export function kktWorkingSet(
  gradient: Float64Array,
  x: Float64Array,
  groups: GroupStructure,
  lambda: number,
  screened: Uint8Array,
  scratch: { readonly score: Float64Array; readonly inSet: Uint8Array },
  options: { readonly workingSet: boolean; readonly minSize: number },
): KktWorkingSet {
  const { ptr, weights, count: G } = groups;
  const { score, inSet } = scratch;
  let support = 0;
  let unscreened = 0;
  for (let g = 0; g < G; g++) {
    if (screened[g] === 1) {
      score[g] = -1;
      continue;
    }
    unscreened++;
    let s = 0;
    let nonzero = false;
    for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
      s += (gradient[i] as number) * (gradient[i] as number);
      if (x[i] !== 0) nonzero = true;
    }
    if (nonzero) {
      support++;
      score[g] = Number.POSITIVE_INFINITY;
    } else {
      score[g] = Math.sqrt(s) / (lambda * (weights[g] as number));
    }
  }
  if (options.workingSet) {
    const wsSize = options.minSize;
    let zeroViolators = 0;
    for (let g = 0; g < G; g++) {
      const v = score[g] as number;
      if (v > 1 && v !== Number.POSITIVE_INFINITY) zeroViolators++;
    }
    let size = Math.min(
      Math.max(wsSize, 2 * support),
      Math.max(wsSize, support + zeroViolators),
      unscreened,
    );
    // a set of more than half the groups saves little per iteration and costs a round
    if (2 * size > unscreened) size = unscreened;
    const order: number[] = [];
    for (let g = 0; g < G; g++) if (screened[g] !== 1) order.push(g);
    order.sort((a, b) => (score[b] as number) - (score[a] as number));
    inSet.fill(0);
    for (let k = 0; k < size; k++) inSet[order[k] as number] = 1;
  } else {
    for (let g = 0; g < G; g++) inSet[g] = screened[g] === 1 ? 0 : 1;
  }
  let kept = 0;
  for (let g = 0; g < G; g++) kept += inSet[g] as number;
  const keep = new Int32Array(kept);
  for (let g = 0, k = 0; g < G; g++) if (inSet[g] === 1) keep[k++] = g;
  return { keep, complete: kept === unscreened };
}
