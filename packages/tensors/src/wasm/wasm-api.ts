/**
 * The slice of the `WebAssembly` JS API the kernels use, typed locally (the package compiles
 * against ES2023 without the DOM library) and read from `globalThis`, so that a host without
 * WebAssembly simply has no wasm backend.
 *
 * @internal
 */

/** A compiled module (opaque here). @internal */
export type WasmModule = object;

/** A linear memory; `buffer` is an `ArrayBuffer`, or a `SharedArrayBuffer` when shared. @internal */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The constructors and functions of the `WebAssembly` namespace used here. @internal */
export interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  validate(bytes: Uint8Array): boolean;
}

/** The host's `WebAssembly`, or `undefined` when it has none. @internal */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Bytes per wasm page. @internal */
export const WASM_PAGE = 65536;
