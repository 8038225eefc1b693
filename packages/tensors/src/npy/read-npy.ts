import { CorruptFileError, InvalidOptionError, UnsupportedFormatError } from "../errors.js";
import type { NpyArray } from "./npy-array.js";
import { ITEM_SIZE, parseNpyHeader } from "./npy-header.js";

const TWO_POW_32 = 4294967296;

/**
 * Parses the bytes of an `.npy` file (format versions 1.0, 2.0 and 3.0; C order; little-endian
 * `float64`, `float32`, `int32`, `int64`, `bool`, `uint8`). Pure: works in browsers too (see
 * `readNpyFile` for Node files). The data is copied into a fresh typed array.
 *
 * The header's shape is checked against the file size before anything is allocated, so a
 * corrupt or hostile header cannot trigger a huge allocation.
 *
 * @param bytes - the whole file
 * @param name - the file name used in error messages (default `"npy"`)
 * @throws {@link CorruptFileError} for a missing magic string, a malformed header dictionary, or
 *   a header whose shape promises more (or fewer) bytes than the file holds
 * @throws {@link UnsupportedFormatError} for Fortran order, big-endian or unsupported dtypes,
 *   object arrays, and int64 values beyond ±(2^53 − 1)
 *
 * @example
 * ```ts
 * import { readNpy, writeNpy } from "@convexformer/tensors";
 * const bytes = writeNpy({ dtype: "int32", shape: [2, 2], data: new Int32Array([1, 2, 3, 4]) });
 * const array = readNpy(bytes);
 * array.shape; // [2, 2]
 * array.dtype; // "int32"
 * ```
 */
export function readNpy(bytes: Uint8Array, name = "npy"): NpyArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidOptionError("bytes", typeof bytes, "must be a Uint8Array");
  }
  const { dtype, shape, dataOffset } = parseNpyHeader(bytes, name);
  const available = bytes.length - dataOffset;
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) {
      throw new CorruptFileError(
        name,
        `the header's shape (${shape.join(", ")}) is absurdly large`,
      );
    }
  }
  const needed = count * ITEM_SIZE[dtype];
  if (needed > available) {
    throw new CorruptFileError(
      name,
      `the header's shape (${shape.join(", ")}) of ${dtype} needs ${needed} data bytes, the file holds ${available} (truncated?)`,
    );
  }
  if (needed < available) {
    throw new CorruptFileError(
      name,
      `the file holds ${available - needed} bytes beyond the ${needed} data bytes its header describes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, needed);
  switch (dtype) {
    case "float64": {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i, true);
      return { dtype, shape, data };
    }
    case "float32": {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
      return { dtype, shape, data };
    }
    case "int32": {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, true);
      return { dtype, shape, data };
    }
    case "int64": {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(8 * i, true);
        const hi = view.getInt32(8 * i + 4, true);
        const v = hi * TWO_POW_32 + lo;
        if (!Number.isSafeInteger(v)) {
          throw new UnsupportedFormatError(
            name,
            `int64 entry ${i} is beyond ±(2^53 − 1) and cannot be represented exactly as a number`,
          );
        }
        data[i] = v;
      }
      return { dtype, shape, data };
    }
    case "bool": {
      const data = new Uint8Array(count);
      const src = bytes.subarray(dataOffset, dataOffset + count);
      for (let i = 0; i < count; i++) data[i] = src[i] === 0 ? 0 : 1;
      return { dtype, shape, data };
    }
    case "uint8":
      return { dtype, shape, data: bytes.slice(dataOffset, dataOffset + count) };
  }
}
