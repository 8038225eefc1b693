import { jsGemm } from "../kernels/js-gemm.js";
import { jsMaskedGemm } from "../kernels/masked-gemm.js";
import { jsMaskedGemmAdjoint } from "../kernels/masked-gemm-adjoint.js";
import { type MatmulOptions, runPlannedMatmul } from "../matmul.js";
import type { Matrix } from "../matrix.js";
import type {
  BackendResult,
  KernelBackend,
  MaskedMatmulAdjointOptions,
  MaskedMatmulOptions,
} from "./kernel-backend.js";
import { planAdjoint, planMatmul, validateMask } from "./product-plan.js";

const T = "transpose" as const;
const N_ = "no-transpose" as const;

function float64Result(value: Matrix): BackendResult<Matrix> {
  return { value, precision: "float64", backend: "js" };
}

/**
 * The default backend: the plain JS blocked float64 kernels of this package (those behind
 * {@link gemm}, {@link maskedGemm}, {@link maskedGemmAdjoint}, never WebAssembly: the fallback
 * and the reference the `wasm-simd` backend is tested against), synchronous, no dependencies.
 * Results are tagged `precision: "float64"`.
 *
 * @example
 * ```ts
 * import { jsBackend, Matrix } from "@convexformer/tensors";
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * const { value, precision } = jsBackend.matmul(a, a);
 * value.toRows(); // [[7, 10], [15, 22]]
 * precision;      // "float64"
 * ```
 */
export const jsBackend: KernelBackend = {
  name: "js",
  precision: "float64",

  matmul(a: Matrix, b: Matrix, options?: MatmulOptions): BackendResult<Matrix> {
    return float64Result(runPlannedMatmul(a, b, planMatmul(a, b, options), jsGemm));
  },

  maskedMatmul(
    a: Matrix,
    b: Matrix,
    mask: Uint8Array,
    options?: MaskedMatmulOptions,
  ): BackendResult<Matrix> {
    const p = planMatmul(a, b, options);
    validateMask(mask, p.M, p.N);
    jsMaskedGemm(
      p.transA ? T : N_,
      p.transB ? T : N_,
      p.M,
      p.N,
      p.K,
      p.alpha,
      a.data,
      a.cols,
      1,
      0,
      b.data,
      b.cols,
      1,
      0,
      mask,
      p.N,
      1,
      0,
      p.beta,
      p.out.data,
      p.N,
      1,
      0,
    );
    return float64Result(p.out);
  },

  maskedMatmulAdjoint(
    a: Matrix,
    r: Matrix,
    mask: Uint8Array,
    options?: MaskedMatmulAdjointOptions,
  ): BackendResult<Matrix> {
    const p = planAdjoint(a, r, mask, options);
    jsMaskedGemmAdjoint(
      p.transA ? T : N_,
      p.M,
      p.N,
      p.K,
      p.alpha,
      a.data,
      a.cols,
      1,
      0,
      r.data,
      r.cols,
      1,
      0,
      mask,
      p.N,
      1,
      0,
      p.beta,
      p.out.data,
      p.N,
      1,
      0,
    );
    return float64Result(p.out);
  },
};
