import {
  assertFinite,
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import type { GroupStructure, Regularizer } from "../regularizer.js";

/**
 * Options of {@link groupL2}: give exactly one of `ptr` and `sizes`.
 *
 * @example
 * ```ts
 * import { type GroupL2Options, groupL2 } from "@convexformer/solvers";
 * const options: GroupL2Options = { sizes: [2, 1], weights: [1, 2] };
 * const reg = groupL2(options); // R(x) = ‖x[0..2)‖₂ + 2·|x[2]|
 * reg.dim; // 3
 * reg.value(new Float64Array([3, 4, -1])); // 7
 * ```
 */
export interface GroupL2Options {
  /** `G + 1` nondecreasing offsets with `ptr[0] = 0`; group `g` is `x[ptr[g] .. ptr[g+1])`. */
  readonly ptr?: Int32Array | readonly number[];
  /** `G` group sizes (integers ≥ 1), laid out contiguously from index 0. */
  readonly sizes?: readonly number[] | Int32Array;
  /** `G` positive finite weights `w_g`. Default all 1. */
  readonly weights?: Float64Array | readonly number[];
}

const OPTION_NAMES = ["ptr", "sizes", "weights"] as const;

/** @internal Builds and validates a {@link GroupStructure}. */
export function validateGroups(options: GroupL2Options): GroupStructure {
  assertKnownOptions("options", options, OPTION_NAMES);
  const { ptr: ptrIn, sizes } = options;
  if ((ptrIn === undefined) === (sizes === undefined)) {
    throw new InvalidOptionError(
      "options",
      Object.keys(options),
      "give exactly one of ptr and sizes",
    );
  }
  let ptr: Int32Array;
  if (sizes !== undefined) {
    if (sizes.length === 0)
      throw new ShapeMismatchError("options.sizes", "needs at least one group");
    ptr = new Int32Array(sizes.length + 1);
    for (let g = 0; g < sizes.length; g++) {
      const s = sizes[g] as number;
      assertInteger(`options.sizes[${g}]`, s, 1);
      ptr[g + 1] = (ptr[g] as number) + s;
    }
  } else {
    const p = ptrIn as Int32Array | readonly number[];
    if (p.length < 1)
      throw new ShapeMismatchError("options.ptr", "needs at least one entry (ptr[0] = 0)");
    ptr = Int32Array.from(p);
    if (ptr[0] !== 0) throw new InvalidOptionError("options.ptr[0]", ptr[0], "must be 0");
    for (let g = 0; g + 1 < ptr.length; g++) {
      if ((ptr[g + 1] as number) < (ptr[g] as number) || p[g + 1] !== ptr[g + 1]) {
        throw new InvalidOptionError(
          `options.ptr[${g + 1}]`,
          p[g + 1],
          "must be an integer >= ptr[g]",
        );
      }
    }
  }
  const count = ptr.length - 1;
  let weights: Float64Array;
  if (options.weights === undefined) {
    weights = new Float64Array(count).fill(1);
  } else {
    if (options.weights.length !== count) {
      throw new ShapeMismatchError(
        "options.weights",
        `expected ${count} weights, got ${options.weights.length}`,
      );
    }
    weights = Float64Array.from(options.weights);
    assertFinite("options.weights", weights);
    for (let g = 0; g < count; g++) {
      if (!((weights[g] as number) > 0)) {
        throw new InvalidOptionError(`options.weights[${g}]`, weights[g], "must be > 0");
      }
    }
  }
  return { count, ptr, weights };
}

/**
 * The weighted group ℓ2 norm `R(x) = Σ_g w_g ‖x_g‖₂` over contiguous groups (the penalty of the
 * convex attention programs, one group per token row). Prox: block soft-thresholding
 * `x_g ← max(0, 1 − t w_g / ‖x_g‖) x_g`; polar: `R°(v) = max_g ‖v_g‖₂ / w_g`; KKT residual:
 * per group `‖∇_g + λ w_g x_g/‖x_g‖‖` when active, `max(0, ‖∇_g‖ − λ w_g)` when zero.
 *
 * @param options - the groups (`ptr` or `sizes`) and optional `weights`
 * @example
 * ```ts
 * import { groupL2 } from "@convexformer/solvers";
 * const reg = groupL2({ sizes: [2, 1] });
 * reg.value(new Float64Array([3, 4, -2])); // 7
 * // ‖(3, 4)‖₂ + |−2| = 5 + 2
 * ```
 */
export function groupL2(options: GroupL2Options): Regularizer {
  return new GroupL2Regularizer("group-l2", validateGroups(options));
}

/** The shared implementation of {@link groupL2} and `l1`. @internal */
export class GroupL2Regularizer implements Regularizer {
  /** See {@link Regularizer.name}. */
  readonly name: string;
  /** See {@link Regularizer.dim}. */
  readonly dim: number;
  /** See {@link Regularizer.groups}. */
  readonly groups: GroupStructure;

  /**
   * @param name - the name to report
   * @param groups - validated groups
   */
  constructor(name: string, groups: GroupStructure) {
    this.name = name;
    this.groups = groups;
    this.dim = groups.ptr[groups.count] as number;
  }

  /** `Σ_g w_g ‖x_g‖₂`. */
  value(x: Float64Array): number {
    this.check("x", x);
    const { count, ptr, weights } = this.groups;
    let s = 0;
    for (let g = 0; g < count; g++)
      s += (weights[g] as number) * norm(x, ptr[g] as number, ptr[g + 1] as number);
    return s;
  }

  /** Block soft-thresholding; `out` may alias `x`. */
  prox(x: Float64Array, t: number, out: Float64Array): void {
    this.check("x", x);
    this.check("out", out);
    const { count, ptr, weights } = this.groups;
    for (let g = 0; g < count; g++) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      const nrm = norm(x, a, b);
      const thr = t * (weights[g] as number);
      const scale = nrm > thr ? 1 - thr / nrm : 0;
      for (let i = a; i < b; i++) out[i] = scale * (x[i] as number);
    }
  }

  /** `max_g ‖v_g‖₂ / w_g`. */
  polar(v: Float64Array): number {
    this.check("v", v);
    const { count, ptr, weights } = this.groups;
    let m = 0;
    for (let g = 0; g < count; g++) {
      const r = norm(v, ptr[g] as number, ptr[g + 1] as number) / (weights[g] as number);
      if (r > m || Number.isNaN(r)) m = r;
    }
    return m;
  }

  /** Norm of the minimum-norm element of `gradient + λ ∂R(x)`. */
  subgradientResidual(x: Float64Array, gradient: Float64Array, lambda: number): number {
    this.check("x", x);
    this.check("gradient", gradient);
    const { count, ptr, weights } = this.groups;
    let total = 0;
    for (let g = 0; g < count; g++) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      const lw = lambda * (weights[g] as number);
      const nx = norm(x, a, b);
      let r: number;
      if (nx > 0) {
        const c = lw / nx;
        let s = 0;
        for (let i = a; i < b; i++) {
          const e = (gradient[i] as number) + c * (x[i] as number);
          s += e * e;
        }
        r = Math.sqrt(s);
      } else {
        r = Math.max(0, norm(gradient, a, b) - lw);
      }
      total += r * r;
    }
    return Math.sqrt(total);
  }

  private check(argument: string, v: Float64Array): void {
    if (v.length !== this.dim)
      throw new ShapeMismatchError(argument, `expected length ${this.dim}, got ${v.length}`);
  }
}

/** ‖v[a..b)‖₂ (plain sum of squares; values here are far from over/underflow). @internal */
export function norm(v: Float64Array, a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) {
    const e = v[i] as number;
    s += e * e;
  }
  return Math.sqrt(s);
}
