import {
  InvalidOptionError,
  Matrix,
  ShapeMismatchError,
  validateFinite,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import type { SmoothLoss } from "../smooth-loss.js";
import { PROBABILITY_SLACK, xlogxNeg } from "./entropy.js";
import { type LossOptions, validateScaling, validateSize } from "./loss-options.js";

/**
 * Options of {@link crossEntropyLoss}.
 *
 * @example
 * ```ts
 * import { type CrossEntropyLossOptions, crossEntropyLoss } from "@convexformer/solvers";
 * const options: CrossEntropyLossOptions = { classes: 4, scaling: "mean" };
 * const loss = crossEntropyLoss(new Int32Array([0, 3]), options);
 * loss.outputs; // 4
 * loss.value(new Float64Array(8)); // Math.log(4)
 * ```
 */
export interface CrossEntropyLossOptions extends LossOptions {
  /** Number of classes `c`; required unless `labels` is an `N × c` matrix. */
  readonly classes?: number;
}

const OPTION_NAMES = ["scaling", "classes"] as const;

/**
 * Softmax cross-entropy, a joint loss over each sample's `c` outputs:
 * `F(ŷ) = Σ_i [log Σ_l exp(ŷ_il) − ⟨y_i, ŷ_i⟩]` (stable log-sum-exp; divided by `N` under
 * `scaling: "mean"`). Its dual value is the entropy form of docs/concepts.md#certificates:
 * `D(u) = Σ_i H(p_i)`, `p_i = y_i − u_i` on the simplex, `−Infinity` off it.
 *
 * @param labels - class indices (`Int32Array` of length `N`, each in `[0, c)`), or target
 *   distributions (one-hot rows; any rows on the simplex are accepted) as an `N × c` matrix
 *   or a flat `N·c` `Float64Array`; copied
 * @param options - `classes` (`c`) and `scaling`
 * @throws InvalidOptionError naming `labels[i]` for a class out of range or a row off the simplex
 * @example
 * ```ts
 * import { crossEntropyLoss } from "@convexformer/solvers";
 * const loss = crossEntropyLoss(new Int32Array([0, 2]), { classes: 3 });
 * loss.value(new Float64Array(6)); // 2 * Math.log(3)
 * ```
 */
export function crossEntropyLoss(
  labels: Int32Array | Float64Array | Matrix,
  options: CrossEntropyLossOptions = {},
): SmoothLoss {
  validateKnownOptions("options", options, OPTION_NAMES);
  let c: number;
  if (labels instanceof Matrix) {
    c = labels.cols;
    if (options.classes !== undefined && options.classes !== c) {
      throw new ShapeMismatchError(
        "options.classes",
        `labels has ${c} columns, classes = ${options.classes}`,
      );
    }
  } else {
    if (options.classes === undefined) {
      throw new InvalidOptionError(
        "options.classes",
        undefined,
        "required unless labels is a Matrix",
      );
    }
    c = options.classes;
  }
  validateInteger("options.classes", c, 1);
  const y = classTargets(labels, c);
  const samples = y.length / c;
  if (samples === 0) throw new ShapeMismatchError("labels", "is empty; a loss needs samples >= 1");
  const { scaling, factor } = validateScaling(options.scaling, samples);
  const size = samples * c;
  const p = new Float64Array(c);

  /** softmax of sample i into p; returns log-sum-exp */
  const softmax = (z: Float64Array, i: number): number => {
    const base = i * c;
    let m = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < c; l++) {
      const v = z[base + l] as number;
      if (v > m) m = v;
    }
    let s = 0;
    for (let l = 0; l < c; l++) {
      const e = Math.exp((z[base + l] as number) - m);
      p[l] = e;
      s += e;
    }
    for (let l = 0; l < c; l++) p[l] = (p[l] as number) / s;
    return m + Math.log(s);
  };

  const sampleValue = (z: Float64Array, i: number, lse: number): number => {
    const base = i * c;
    let dotYZ = 0;
    for (let l = 0; l < c; l++) dotYZ += (y[base + l] as number) * (z[base + l] as number);
    // lse ≥ max ≥ ⟨y, z⟩ for y on the simplex; clamp rounding
    return Math.max(0, lse - dotYZ);
  };

  return {
    name: "cross-entropy",
    samples,
    outputs: c,
    size,
    scaling,
    smoothness: 0.5 * factor,
    value(predictions) {
      validateSize("predictions", predictions, size);
      let s = 0;
      for (let i = 0; i < samples; i++) s += sampleValue(predictions, i, softmax(predictions, i));
      return factor * s;
    },
    gradient(predictions, out) {
      validateSize("predictions", predictions, size);
      validateSize("out", out, size);
      let s = 0;
      for (let i = 0; i < samples; i++) {
        s += sampleValue(predictions, i, softmax(predictions, i));
        const base = i * c;
        for (let l = 0; l < c; l++)
          out[base + l] = factor * ((p[l] as number) - (y[base + l] as number));
      }
      return factor * s;
    },
    hessianVector(predictions, v, out) {
      validateSize("predictions", predictions, size);
      validateSize("v", v, size);
      validateSize("out", out, size);
      for (let i = 0; i < samples; i++) {
        softmax(predictions, i);
        const base = i * c;
        let pv = 0;
        for (let l = 0; l < c; l++) pv += (p[l] as number) * (v[base + l] as number);
        for (let l = 0; l < c; l++) {
          out[base + l] = factor * (p[l] as number) * ((v[base + l] as number) - pv);
        }
      }
    },
    dualValue(u) {
      validateSize("u", u, size);
      let h = 0;
      for (let i = 0; i < samples; i++) {
        const base = i * c;
        let total = 0;
        let hi = 0;
        for (let l = 0; l < c; l++) {
          let q = (y[base + l] as number) - (u[base + l] as number) / factor;
          if (!(q >= -PROBABILITY_SLACK)) return Number.NEGATIVE_INFINITY;
          total += q;
          if (q < 0) q = 0;
          hi += xlogxNeg(q);
        }
        if (!(Math.abs(total - 1) <= PROBABILITY_SLACK)) return Number.NEGATIVE_INFINITY;
        h += hi;
      }
      return factor * h;
    },
  };
}

/**
 * The `samples × c` target distributions of `labels`: one-hot rows from class indices, or the
 * given rows (a `Matrix` or a flat array) checked to be finite, non-negative and to sum to 1.
 */
function classTargets(labels: Int32Array | Float64Array | Matrix, c: number): Float64Array {
  let y: Float64Array;
  let samples: number;
  if (labels instanceof Int32Array) {
    samples = labels.length;
    y = new Float64Array(samples * c);
    for (let i = 0; i < samples; i++) {
      const k = labels[i] as number;
      if (!(k >= 0 && k < c))
        throw new InvalidOptionError(`labels[${i}]`, k, `must be a class index in [0, ${c})`);
      y[i * c + k] = 1;
    }
  } else {
    const flat = labels instanceof Matrix ? labels.data : labels;
    if (flat.length % c !== 0) {
      throw new ShapeMismatchError(
        "labels",
        `length ${flat.length} is not a multiple of classes = ${c}`,
      );
    }
    validateFinite("labels", flat);
    samples = flat.length / c;
    y = Float64Array.from(flat);
    for (let i = 0; i < samples; i++) {
      let s = 0;
      for (let l = 0; l < c; l++) {
        const v = y[i * c + l] as number;
        if (v < 0)
          throw new InvalidOptionError(
            `labels[${i * c + l}]`,
            v,
            "must be >= 0 (rows are distributions)",
          );
        s += v;
      }
      if (Math.abs(s - 1) > 1e-12 * c) {
        throw new InvalidOptionError(
          `labels[${i}]`,
          s,
          "each row must sum to 1 (one-hot or a distribution)",
        );
      }
    }
  }
  return y;
}
