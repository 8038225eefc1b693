import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { ConvexformerError } from "../errors.js";
import { validateFloat32Range } from "../interop/float32-range.js";
import type { MatmulOptions } from "../matmul.js";
import type { Matrix } from "../matrix.js";
import type { TfjsHandle, TfjsNamespace } from "../tfjs-loader.js";
import type {
  BackendResult,
  KernelBackend,
  MaskedMatmulAdjointOptions,
  MaskedMatmulOptions,
} from "./kernel-backend.js";
import { type ProductPlan, planAdjoint, planMatmul, validateMask } from "./product-plan.js";

/**
 * A float32 {@link KernelBackend} running on the tfjs wasm backend (XNNPACK, SIMD; about 10×
 * the float64 `js` backend on large products). Usually obtained with
 * `await getBackend("tfjs-wasm")`; this factory is for hosts that already hold a
 * {@link TfjsHandle} from `initTfjs`.
 *
 * Inputs are rounded to float32 (transposes are applied while packing, never through tfjs's
 * slow `transposeA/transposeB` flags), the product runs in wasm, and the float32 result is
 * widened into a float64 {@link Matrix}; `α`, `β` and the mask are applied in float64 on that
 * result. Every tensor is disposed before the method returns. Results are tagged
 * `precision: "float32"`.
 *
 * @param handle - an initialised tfjs whose active backend is `"wasm"`
 * @throws `ConvexformerError` `backend-unavailable` when `handle.backend` is not `"wasm"`
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createTfjsWasmBackend, initTfjs } from "@convexformer/tensors/tfjs";
 * const backend = createTfjsWasmBackend(await initTfjs());
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * const { value, precision } = backend.matmul(a, a);
 * value.toRows(); // [[7, 10], [15, 22]]
 * precision;      // "float32"
 * ```
 */
export function createTfjsWasmBackend(handle: TfjsHandle): KernelBackend {
  if (handle.backend !== "wasm") {
    throw new ConvexformerError(
      "backend-unavailable",
      `tfjs-wasm: tfjs is running its "${handle.backend}" backend${handle.fallbackReason === undefined ? "" : ` (${handle.fallbackReason})`}`,
      "@tensorflow/tfjs-backend-wasm",
    );
  }
  const { tf } = handle;

  const product = (
    p: ProductPlan,
    left: () => Tensor2D,
    right: () => Tensor2D,
  ): Float32Array | undefined => {
    ensureWasm(tf);
    if (p.M === 0 || p.N === 0 || p.K === 0) return undefined;
    let a: Tensor2D | undefined;
    let b: Tensor2D | undefined;
    let c: Tensor | undefined;
    try {
      a = left();
      b = right();
      const result = tf.matMul(a, b);
      c = result;
      return result.dataSync() as Float32Array;
    } finally {
      a?.dispose();
      b?.dispose();
      c?.dispose();
    }
  };

  return {
    name: "tfjs-wasm",
    precision: "float32",

    matmul(a: Matrix, b: Matrix, options?: MatmulOptions): BackendResult<Matrix> {
      const p = planMatmul(a, b, options);
      const prod = product(
        p,
        () => upload(tf, "a", a, p.transA),
        () => upload(tf, "b", b, p.transB),
      );
      combine(p, prod, undefined);
      return { value: p.out, precision: "float32", backend: "tfjs-wasm" };
    },

    maskedMatmul(
      a: Matrix,
      b: Matrix,
      mask: Uint8Array,
      options?: MaskedMatmulOptions,
    ): BackendResult<Matrix> {
      const p = planMatmul(a, b, options);
      validateMask(mask, p.M, p.N);
      const prod = product(
        p,
        () => upload(tf, "a", a, p.transA),
        () => upload(tf, "b", b, p.transB),
      );
      combine(p, prod, mask);
      return { value: p.out, precision: "float32", backend: "tfjs-wasm" };
    },

    maskedMatmulAdjoint(
      a: Matrix,
      r: Matrix,
      mask: Uint8Array,
      options?: MaskedMatmulAdjointOptions,
    ): BackendResult<Matrix> {
      const p = planAdjoint(a, r, mask, options);
      // G (K×N) = α·op(a)ᵀ (K×M) · (D ⊙ r) (M×N): op(a)ᵀ is a itself when transA, else aᵀ
      const plan: ProductPlan = { ...p, M: p.K, K: p.M };
      const prod = product(
        plan,
        () => upload(tf, "a", a, !p.transA),
        () => uploadMasked(tf, r, mask),
      );
      combine(plan, prod, undefined);
      return { value: p.out, precision: "float32", backend: "tfjs-wasm" };
    },
  };
}

function ensureWasm(tf: TfjsNamespace): void {
  const active = tf.getBackend();
  if (active !== "wasm") {
    throw new ConvexformerError(
      "backend-unavailable",
      `tfjs-wasm: the global tfjs backend was switched to "${active}" after initialisation`,
      "@tensorflow/tfjs-backend-wasm",
    );
  }
}

/** Rounds `m` (or `mᵀ`) to a float32 tensor; rejects values that overflow float32. */
function upload(tf: TfjsNamespace, argument: string, m: Matrix, transpose: boolean): Tensor2D {
  const { rows, cols, data } = m;
  validateFloat32Range(argument, data);
  const f = new Float32Array(rows * cols);
  if (!transpose) {
    f.set(data);
  } else {
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) f[j * rows + i] = data[base + j] as number;
    }
  }
  return transpose
    ? tf.tensor2d(f, [cols, rows], "float32")
    : tf.tensor2d(f, [rows, cols], "float32");
}

/** `D ⊙ r` as a float32 tensor. */
function uploadMasked(tf: TfjsNamespace, r: Matrix, mask: Uint8Array): Tensor2D {
  const data = r.data;
  validateFloat32Range("r", data);
  const f = new Float32Array(r.rows * r.cols);
  for (let i = 0; i < f.length; i++) if (mask[i] !== 0) f[i] = data[i] as number;
  return tf.tensor2d(f, [r.rows, r.cols], "float32");
}

/** `out = α·prod (masked) + β·out`, in float64 on the widened float32 product. */
function combine(
  p: ProductPlan,
  prod: Float32Array | undefined,
  mask: Uint8Array | undefined,
): void {
  const out = p.out.data;
  const { alpha, beta } = p;
  const size = p.M * p.N;
  for (let i = 0; i < size; i++) {
    const v =
      prod === undefined || (mask !== undefined && mask[i] === 0) ? 0 : alpha * (prod[i] as number);
    out[i] = beta === 0 ? v : beta * (out[i] as number) + v;
  }
}
