import {
  InvalidOptionError,
  Matrix,
  ShapeMismatchError,
  validateKnownOptions,
} from "@convexformer/tensors";
import { validateWeightArray } from "./internal/validate-weight-array.js";

/**
 * A named parameter as plain arrays: a shape and its row-major values (the layout of
 * `exportWeights()` of the decoder transformer in `@convexformer/baselines`).
 *
 * @example
 * ```ts
 * import type { NamedArray } from "@convexformer/interpret";
 * const logits: NamedArray = { shape: [1, 2, 2], data: new Float64Array(4) };
 * ```
 */
export interface NamedArray {
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float64Array;
}

/**
 * The token mixing of one decoder layer with simplex attention: per head the row-stochastic
 * matrix `softmax_row(logits_j + mask)` (input independent), and their mean.
 *
 * @example
 * ```ts
 * import { decoderSimplexMixing } from "@convexformer/interpret";
 * const [layer] = decoderSimplexMixing({ "blocks.0.attn.logits": { shape: [1, 2, 2], data: new Float64Array(4) } });
 * layer?.heads[0]?.toRows(); // [[1, 0], [0.5, 0.5]] (causal)
 * ```
 */
export interface DecoderLayerMixing {
  /** Layer index `l` (0-based, as in the parameter names `blocks.l.…`). */
  readonly layer: number;
  /** One `n × n` mixing matrix per head. */
  readonly heads: readonly Matrix[];
  /** Their mean over heads. */
  readonly mean: Matrix;
}

const NAME = /^blocks\.(\d+)\.attn\.logits$/;

/**
 * The simplex mixing of every layer of the decoder of experiment E2 from its plain weights:
 * each `blocks.l.attn.logits` (`[h, n, n]`) becomes `softmax_row(logits + causal mask)`
 * (a stable softmax in float64; with `causal: false` no mask). Other parameters are ignored.
 *
 * @param weights - named parameters (e.g. `exportWeights()` of a simplex `DecoderTransformer`)
 * @param options - `causal` (default `true`): row `k` mixes tokens `0..k` only
 * @throws `InvalidOptionError` when no `blocks.l.attn.logits` is present (a softmax decoder);
 *   `ShapeMismatchError` for a logits tensor that is not `[h, n, n]`
 *
 * @example
 * ```ts
 * import { decoderSimplexMixing } from "@convexformer/interpret";
 * const logits = new Float64Array([0, 0, Math.log(3), 0]); // one head, n = 2
 * const [layer] = decoderSimplexMixing({ "blocks.0.attn.logits": { shape: [1, 2, 2], data: logits } });
 * layer?.mean.get(1, 0); // 0.75 = 3 / (3 + 1)
 * ```
 */
export function decoderSimplexMixing(
  weights: Readonly<Record<string, NamedArray>>,
  options: { readonly causal?: boolean } = {},
): DecoderLayerMixing[] {
  validateKnownOptions("options", options, ["causal"]);
  const causal = options.causal ?? true;
  const layers: DecoderLayerMixing[] = [];
  for (const [name, value] of Object.entries(weights)) {
    const match = NAME.exec(name);
    if (match === null) continue;
    const shape = value.shape;
    const [h, n, n2] = shape;
    if (
      shape.length !== 3 ||
      h === undefined ||
      n === undefined ||
      n !== n2 ||
      !(h >= 1 && n >= 1)
    ) {
      throw new ShapeMismatchError(
        `weights["${name}"].shape`,
        `expected [h, n, n], got [${shape.join(", ")}]`,
      );
    }
    const data = validateWeightArray(`weights["${name}"].data`, value.data, h * n * n);
    const heads: Matrix[] = [];
    const mean = new Float64Array(n * n);
    for (let j = 0; j < h; j++) {
      const out = new Float64Array(n * n);
      for (let k = 0; k < n; k++) {
        const width = causal ? k + 1 : n;
        const row = (j * n + k) * n;
        let max = -Infinity;
        for (let m = 0; m < width; m++) max = Math.max(max, data[row + m] as number);
        let z = 0;
        for (let m = 0; m < width; m++) {
          const e = Math.exp((data[row + m] as number) - max);
          out[k * n + m] = e;
          z += e;
        }
        for (let m = 0; m < width; m++) {
          const a = (out[k * n + m] as number) / z;
          out[k * n + m] = a;
          mean[k * n + m] = (mean[k * n + m] as number) + a / h;
        }
      }
      heads.push(new Matrix(n, n, out));
    }
    layers.push({ layer: Number(match[1]), heads, mean: new Matrix(n, n, mean) });
  }
  if (layers.length === 0) {
    throw new InvalidOptionError(
      "weights",
      Object.keys(weights).slice(0, 5),
      "holds no blocks.<l>.attn.logits: not a decoder with simplex attention",
    );
  }
  return layers.sort((a, b) => a.layer - b.layer);
}
