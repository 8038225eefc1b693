/**
 * `@convexformer/tensors/tfjs`: the optional tfjs side of `@convexformer/tensors`. A lazy,
 * memoized loader for `@tensorflow/tfjs` and its wasm backend ({@link initTfjs}), the float32
 * `tfjs-wasm` kernel backend ({@link getBackend}, {@link createTfjsWasmBackend}) and copies
 * between matrices / token batches and tfjs tensors.
 *
 * `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` are optional peer dependencies: install
 * them to use this entry point (its type declarations refer to tfjs's). The main entry point
 * `@convexformer/tensors` never imports this one, so it compiles and bundles without tfjs.
 *
 * @packageDocumentation
 */
export { createTfjsWasmBackend } from "../backends/tfjs-wasm-backend.js";
export { fromTensor2d, fromTensor3d, toTensor2d, toTensor3d } from "../interop/tfjs.js";
export {
  createTfjsLoader,
  initTfjs,
  type TfjsBackendName,
  type TfjsHandle,
  type TfjsModuleLoaders,
  type TfjsNamespace,
  type TfjsOptions,
} from "../tfjs-loader.js";
export { getBackend } from "./get-backend.js";
