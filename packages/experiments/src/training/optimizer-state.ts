import type { Optimizer } from "@convexformer/baselines";
import { InvalidOptionError } from "@convexformer/tensors";

/**
 * The state of a baselines `Optimizer` a checkpoint needs: its step count and moment estimates.
 *
 * @example
 * ```ts
 * import type { OptimizerState } from "@convexformer/experiments";
 * const s: OptimizerState = { stepCount: 0, first: [], second: [] };
 * ```
 */
export interface OptimizerState {
  /** Steps applied. */
  readonly stepCount: number;
  /** First moments (Adam) or momentum buffers (SGD), one per variable. */
  readonly first: readonly Float64Array[];
  /** Second moments (Adam), one per variable. */
  readonly second: readonly Float64Array[];
}

interface OptimizerInternals {
  stepCount: number;
  first: Float64Array[];
  second: Float64Array[];
}

/**
 * Reads the optimizer's moments. The baselines `Optimizer` keeps them in two private arrays
 * and exposes no state API yet; this is the one place that reaches them, and it checks their
 * presence so a change there fails loudly here (tests: resume reproduces the curves).
 */
function internals(optimizer: Optimizer): OptimizerInternals {
  const o = optimizer as unknown as Partial<OptimizerInternals>;
  if (!Array.isArray(o.first) || !Array.isArray(o.second) || typeof o.stepCount !== "number") {
    throw new InvalidOptionError(
      "optimizer",
      "Optimizer",
      "the baselines Optimizer no longer exposes its moment arrays; checkpoints need an update",
    );
  }
  return o as OptimizerInternals;
}

/**
 * A copy of the optimizer's state.
 *
 * @param optimizer - a baselines `Optimizer` (`"adam"`, `"adamw"` or `"sgd"`); its step count and
 *   moment buffers are copied, the optimizer is not changed
 *
 * @example
 * ```ts
 * import { Optimizer } from "@convexformer/baselines";
 * import { exportOptimizerState } from "@convexformer/experiments";
 * exportOptimizerState(new Optimizer([], { optimizer: "adam", learningRate: 1e-3 })).stepCount; // 0
 * ```
 */
export function exportOptimizerState(optimizer: Optimizer): OptimizerState {
  const o = internals(optimizer);
  return {
    stepCount: o.stepCount,
    first: o.first.map((a) => a.slice()),
    second: o.second.map((a) => a.slice()),
  };
}

/**
 * Restores a state from {@link exportOptimizerState} into an optimizer over the same variables.
 *
 * @param optimizer - a baselines `Optimizer` over the same variables (same count and sizes) as the
 *   one exported; its step count and moments are overwritten
 * @param state - a state from {@link exportOptimizerState}: the step count and one first and one
 *   second moment array per variable
 * @throws `InvalidOptionError` when the number or sizes of the moment arrays differ
 *
 * @example
 * ```ts
 * import { Optimizer } from "@convexformer/baselines";
 * import { exportOptimizerState, restoreOptimizerState } from "@convexformer/experiments";
 * const a = new Optimizer([], { optimizer: "adam", learningRate: 1e-3 });
 * const b = new Optimizer([], { optimizer: "adam", learningRate: 1e-3 });
 * restoreOptimizerState(b, exportOptimizerState(a));
 * ```
 */
export function restoreOptimizerState(optimizer: Optimizer, state: OptimizerState): void {
  const o = internals(optimizer);
  const copy = (name: string, into: Float64Array[], from: readonly Float64Array[]): void => {
    if (into.length !== from.length) {
      throw new InvalidOptionError(`state.${name}`, from.length, `expected ${into.length} arrays`);
    }
    into.forEach((a, k) => {
      const src = from[k] as Float64Array;
      if (src.length !== a.length) {
        throw new InvalidOptionError(
          `state.${name}[${k}]`,
          src.length,
          `expected ${a.length} values`,
        );
      }
      a.set(src);
    });
  };
  copy("first", o.first, state.first);
  copy("second", o.second, state.second);
  o.stepCount = state.stepCount;
}
