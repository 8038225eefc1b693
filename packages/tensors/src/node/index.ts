/**
 * `@convexformer/tensors/node`: the Node-only part of `@convexformer/tensors`, reading and
 * writing `.npy` files on disk (through `node:fs`). Everything else, including the in-memory
 * `readNpy` / `writeNpy` it builds on, is in the browser-safe main entry point.
 *
 * @packageDocumentation
 */
export { readNpyFile, writeNpyFile } from "../npy/npy-file.js";
