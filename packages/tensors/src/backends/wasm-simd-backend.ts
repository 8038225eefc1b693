import { ConvexformerError } from "../errors.js";
import { jsGemm } from "../kernels/js-gemm.js";
import { jsMaskedGemm } from "../kernels/masked-gemm.js";
import { jsMaskedGemmAdjoint } from "../kernels/masked-gemm-adjoint.js";
import { runPlannedMatmul } from "../matmul.js";
import type { MatmulOptions } from "../matmul-options.js";
import type { Matrix } from "../matrix.js";
import { readyEngine } from "../wasm/kernel-config.js";
import type { WasmEngine } from "../wasm/wasm-engine.js";
import type {
  BackendName,
  BackendResult,
  KernelBackend,
  MaskedMatmulAdjointOptions,
  MaskedMatmulOptions,
} from "./kernel-backend.js";
import { planAdjoint, planMatmul, validateMask } from "./product-plan.js";

const T = "transpose" as const;
const N_ = "no-transpose" as const;

function computed(value: Matrix, backend: BackendName): BackendResult<Matrix> {
  return { value, precision: "float64", backend };
}

/** Row and column strides of `op(m)` for a row-major matrix. */
function opStrides(m: Matrix, trans: boolean): [number, number] {
  return trans ? [1, m.cols] : [m.cols, 1];
}

/**
 * Wraps the process-wide WebAssembly engine as a {@link KernelBackend}: every product, at every
 * size, runs on the float64 SIMD128 kernels (split over the configured worker threads). A
 * product whose operands do not fit in the 2 GiB the kernels address runs on the JS kernels
 * instead and is tagged `backend: "js"`.
 */
function wasmSimdBackend(engine: WasmEngine): KernelBackend {
  return {
    name: "wasm-simd",
    precision: "float64",
    matmul: (a, b, options) => wasmMatmul(engine, a, b, options),
    maskedMatmul: (a, b, mask, options) => wasmMaskedMatmul(engine, a, b, mask, options),
    maskedMatmulAdjoint: (a, r, mask, options) =>
      wasmMaskedMatmulAdjoint(engine, a, r, mask, options),
  };
}

/** `matmul` on the engine, or on the JS kernels when the operands do not fit. */
function wasmMatmul(
  engine: WasmEngine,
  a: Matrix,
  b: Matrix,
  options?: MatmulOptions,
): BackendResult<Matrix> {
  const p = planMatmul(a, b, options);
  const [a1, a2] = opStrides(a, p.transA);
  const [b1, b2] = opStrides(b, p.transB);
  const o = p.out.data;
  if (
    engine.gemm(p.M, p.N, p.K, p.alpha, a.data, a1, a2, 0, b.data, b1, b2, 0, p.beta, o, p.N, 1, 0)
  ) {
    return computed(p.out, "wasm-simd");
  }
  return computed(runPlannedMatmul(a, b, p, jsGemm), "js");
}

/** `maskedMatmul` on the engine, or on the JS kernels when the operands do not fit. */
function wasmMaskedMatmul(
  engine: WasmEngine,

  a: Matrix,
  b: Matrix,
  mask: Uint8Array,
  options?: MaskedMatmulOptions,
): BackendResult<Matrix> {
  const p = planMatmul(a, b, options);
  validateMask(mask, p.M, p.N);
  const [a1, a2] = opStrides(a, p.transA);
  const [b1, b2] = opStrides(b, p.transB);
  const { M, N, K, alpha, beta } = p;
  const o = p.out.data;
  if (
    engine.maskedGemm(
      M,
      N,
      K,
      alpha,
      a.data,
      a1,
      a2,
      0,
      b.data,
      b1,
      b2,
      0,
      mask,
      N,
      1,
      0,
      beta,
      o,
      N,
      1,
      0,
    )
  ) {
    return computed(p.out, "wasm-simd");
  }
  const ta = p.transA ? T : N_;
  const tb = p.transB ? T : N_;
  jsMaskedGemm(
    ta,
    tb,
    M,
    N,
    K,
    alpha,
    a.data,
    a.cols,
    1,
    0,
    b.data,
    b.cols,
    1,
    0,
    mask,
    N,
    1,
    0,
    beta,
    o,
    N,
    1,
    0,
  );
  return computed(p.out, "js");
}

/** `maskedMatmulAdjoint` on the engine, or on the JS kernels when the operands do not fit. */
function wasmMaskedMatmulAdjoint(
  engine: WasmEngine,

  a: Matrix,
  r: Matrix,
  mask: Uint8Array,
  options?: MaskedMatmulAdjointOptions,
): BackendResult<Matrix> {
  const p = planAdjoint(a, r, mask, options);
  const [a1, a2] = opStrides(a, p.transA);
  const { M, N, K, alpha, beta } = p;
  const o = p.out.data;
  if (
    engine.maskedGemmAdjoint(
      M,
      N,
      K,
      alpha,
      a.data,
      a1,
      a2,
      0,
      r.data,
      r.cols,
      1,
      0,
      mask,
      N,
      1,
      0,
      beta,
      o,
      N,
      1,
      0,
    )
  ) {
    return computed(p.out, "wasm-simd");
  }
  const ta = p.transA ? T : N_;
  jsMaskedGemmAdjoint(
    ta,
    M,
    N,
    K,
    alpha,
    a.data,
    a.cols,
    1,
    0,
    r.data,
    r.cols,
    1,
    0,
    mask,
    N,
    1,
    0,
    beta,
    o,
    N,
    1,
    0,
  );
  return computed(p.out, "js");
}

/**
 * The float64 WebAssembly SIMD128 backend (`"wasm-simd"`): the kernels of this package compiled
 * from C (clang, `-msimd128`), with packed, cache-blocked panels and a 4×4 register tile of
 * f64x2 accumulators, split over Node worker threads sharing one wasm memory (one thread in
 * browsers). Resolves once the module is compiled and the threads configured with
 * `configureKernels` (default: the available parallelism in Node) are running. Usually
 * obtained with `await getBackend("wasm-simd")`. Results are tagged `precision: "float64"`.
 *
 * @throws {@link ConvexformerError} `backend-unavailable` (as a rejected promise) when the host
 *   has no WebAssembly SIMD128
 *
 * @example
 * ```ts
 * import { createWasmSimdBackend, Matrix } from "@convexformer/tensors";
 * const backend = await createWasmSimdBackend();
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * const { value, backend: name } = backend.matmul(a, a);
 * value.toRows(); // [[7, 10], [15, 22]]
 * name;           // "wasm-simd"
 * ```
 */
export async function createWasmSimdBackend(): Promise<KernelBackend> {
  const engine = await readyEngine();
  if (engine === undefined) {
    throw new ConvexformerError(
      "backend-unavailable",
      "wasm-simd: this host has no WebAssembly SIMD128 (or refused to compile the kernels)",
      "WebAssembly",
    );
  }
  return wasmSimdBackend(engine);
}
