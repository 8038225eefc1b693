/**
 * `@convexformer/tensors`: the numerical floor of Convexformer. Dense row-major float64
 * matrices and token batches, BLAS-style kernels in the strided convention of stdlib-js,
 * typed errors with stable codes, input validation, a seeded platform-independent RNG and
 * in-memory `.npy` encoding.
 *
 * This entry point runs anywhere (Node, browsers, workers) and bundles without flags: it
 * imports no `node:` module and no tfjs. Reading and writing `.npy` files is in
 * `@convexformer/tensors/node`; the optional tfjs backends and tensor interop are in
 * `@convexformer/tensors/tfjs`.
 *
 * @packageDocumentation
 */
export { getBackend } from "./backends/get-backend.js";
export { jsBackend } from "./backends/js-backend.js";
export type {
  BackendName,
  BackendResult,
  Computed,
  KernelBackend,
  MaskedMatmulAdjointOptions,
  MaskedMatmulOptions,
  Precision,
} from "./backends/kernel-backend.js";
export { createWasmSimdBackend } from "./backends/wasm-simd-backend.js";
export {
  ConvexformerError,
  CorruptFileError,
  type ErrorCode,
  InvalidOptionError,
  NonFiniteInputError,
  ShapeMismatchError,
  UnsupportedFormatError,
} from "./errors.js";
export { fromMlMatrix, toMlMatrix } from "./interop/ml-matrix.js";
export { axpy } from "./kernels/axpy.js";
export { dot } from "./kernels/dot.js";
export {
  createGatedDesign,
  type GatedBlocks,
  type GatedDesign,
  type GatedDesignOptions,
  gatedProduct,
  gatedProductAdjoint,
} from "./kernels/gated-product.js";
export { gemm } from "./kernels/gemm.js";
export { gemv } from "./kernels/gemv.js";
export { groupNorms, rowNorms } from "./kernels/group-norms.js";
export { maskedGemm } from "./kernels/masked-gemm.js";
export { maskedGemmAdjoint } from "./kernels/masked-gemm-adjoint.js";
export { nrm2 } from "./kernels/nrm2.js";
export { amax, argmax, asum, sum } from "./kernels/reductions.js";
export { scal } from "./kernels/scal.js";
export type { Transpose } from "./kernels/transpose.js";
export { type MatmulOptions, matmul } from "./matmul.js";
export { Matrix } from "./matrix.js";
export type {
  NpyArray,
  NpyBoolArray,
  NpyDtype,
  NpyFloat32Array,
  NpyFloat64Array,
  NpyInput,
  NpyInt32Array,
  NpyInt64Array,
  NpyUint8Array,
} from "./npy/npy-array.js";
export { npyToMatrix, npyToTokenBatch } from "./npy/npy-convert.js";
export { readNpy } from "./npy/read-npy.js";
export { writeNpy } from "./npy/write-npy.js";
export { createRng, Rng } from "./rng.js";
export { TokenBatch } from "./token-batch.js";
export {
  type NumericArray,
  validateFinite,
  validateInteger,
  validateKnownOptions,
  validateLength,
  validatePositive,
} from "./validate.js";
export {
  configureKernels,
  type KernelEngine,
  type KernelInfo,
  type KernelOptions,
  kernelInfo,
} from "./wasm/kernel-config.js";
