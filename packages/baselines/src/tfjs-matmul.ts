import { ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { GradSaveFunc, Tensor } from "@tensorflow/tfjs-core";

function swapLast(t: Tensor): Tensor {
  const r = t.rank;
  if (r === 2) return tf.transpose(t);
  const perm: number[] = [];
  for (let i = 0; i < r - 2; i++) perm.push(i);
  perm.push(r - 1, r - 2);
  return tf.transpose(t, perm);
}

// C = A B with the gradient written with explicit transposes: dA = dC Bᵀ, dB = Aᵀ dC.
// (tfjs's own matMul gradient calls matMul with transpose flags, ~10× slower on wasm.)
const plainProduct = tf.customGrad(((...args: (Tensor | GradSaveFunc)[]) => {
  const [a, b, save] = args as [Tensor, Tensor, GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sa, sb] = saved as [Tensor, Tensor];
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]) as (a: Tensor, b: Tensor) => Tensor;

/**
 * Matrix product for training on the wasm backend: `op(a) · op(b)` where `op` transposes
 * the last two axes when asked. The transposes are explicit `tf.transpose` calls and the
 * gradient (a `tf.customGrad`) is also written with explicit transposes, because wasm
 * `matMul` with `transposeA`/`transposeB` flags is about 10× slower than transposing first;
 * on the decoder this makes a training step several times faster with the same values.
 *
 * Both operands must have the same rank (2, or ≥ 3 with equal batch axes; no broadcasting).
 *
 * @param a - left operand, `[..., m, k]` (or `[..., k, m]` with `transposeA`)
 * @param b - right operand, `[..., k, p]` (or `[..., p, k]` with `transposeB`)
 * @param transposeA - use `aᵀ` (last two axes)
 * @param transposeB - use `bᵀ` (last two axes)
 * @returns `[..., m, p]`
 * @throws `ShapeMismatchError` when ranks, batch axes or inner dimensions disagree
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fastMatMul } from "@convexformer/baselines";
 * const c = fastMatMul(tf.ones([2, 3]), tf.ones([2, 4]), true); // [3, 4], all 2
 * ```
 */
export function fastMatMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || a.rank !== b.rank) {
    throw new ShapeMismatchError("b", `ranks must agree and be >= 2, got ${a.rank} and ${b.rank}`);
  }
  const r = a.rank;
  for (let i = 0; i < r - 2; i++) {
    if (a.shape[i] !== b.shape[i]) {
      throw new ShapeMismatchError("b", `batch axes differ: [${a.shape}] and [${b.shape}]`);
    }
  }
  const ka = transposeA ? a.shape[r - 2] : a.shape[r - 1];
  const kb = transposeB ? b.shape[r - 1] : b.shape[r - 2];
  if (ka !== kb) {
    throw new ShapeMismatchError(
      "b",
      `inner dimensions differ: [${a.shape}]${transposeA ? "ᵀ" : ""} · [${b.shape}]${transposeB ? "ᵀ" : ""}`,
    );
  }
  return tf.tidy(() => plainProduct(transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b));
}

/**
 * `x · w` for `x` of any rank `[..., k]` and a 2-D `w` `[k, m]`: flattens the leading axes,
 * multiplies with {@link fastMatMul}, and restores them.
 *
 * @param x - `[..., k]`
 * @param w - `[k, m]`
 * @returns `[..., m]`
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { matMulLastAxis } from "@convexformer/baselines";
 * matMulLastAxis(tf.ones([5, 4, 3]), tf.ones([3, 2])).shape; // [5, 4, 2]
 * ```
 */
export function matMulLastAxis(x: Tensor, w: Tensor): Tensor {
  const k = x.shape[x.rank - 1] as number;
  if (w.rank !== 2 || w.shape[0] !== k) {
    throw new ShapeMismatchError("w", `expected [${k}, m], got [${w.shape}]`);
  }
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const y = fastMatMul(x.reshape([-1, k]), w);
    return y.reshape([...lead, w.shape[1] as number]);
  });
}
