import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { TokenBatch } from "../token-batch.js";
import type { NpyArray, NpyDtype, NpyInput } from "./npy-array.js";
import { DESCR, formatNpyHeader, ITEM_SIZE, NPY_MAGIC } from "./npy-header.js";

const TWO_POW_32 = 4294967296;

const TYPED: Readonly<Record<NpyDtype, string>> = {
  float64: "Float64Array",
  float32: "Float32Array",
  int32: "Int32Array",
  int64: "Float64Array",
  bool: "Uint8Array",
  uint8: "Uint8Array",
};

/**
 * Serialises an array to the bytes of an `.npy` file that `numpy.load` reads: format 1.0
 * (2.0 when the header exceeds 65535 bytes), C order, little-endian, the header padded so the
 * data starts on a 64-byte boundary, as numpy itself writes. A {@link Matrix} is written as a
 * 2-d and a {@link TokenBatch} as a 3-d float64 array. Pure (see `writeNpyFile` for Node files).
 *
 * @param array - an {@link NpyArray}, a {@link Matrix} or a {@link TokenBatch}
 * @throws {@link ShapeMismatchError} when `data.length` differs from the product of `shape`
 * @throws {@link InvalidOptionError} for an unknown dtype, a typed array that does not fit the
 *   dtype, a bad dimension, or an int64 value that is not a safe integer
 *
 * @example
 * ```ts
 * import { Matrix, readNpy, writeNpy } from "@convexformer/tensors";
 * const bytes = writeNpy(Matrix.fromRows([[1, 2], [3, 4]]));
 * readNpy(bytes).shape; // [2, 2]
 * ```
 */
export function writeNpy(array: NpyInput): Uint8Array {
  const a = normalize(array);
  const { dtype, shape, data } = a;
  if (!(dtype in DESCR))
    throw new InvalidOptionError(
      "array.dtype",
      dtype,
      `must be one of ${Object.keys(DESCR).join(", ")}`,
    );
  const tag = Object.prototype.toString.call(data).slice(8, -1);
  if (tag !== TYPED[dtype]) {
    throw new InvalidOptionError("array.data", tag, `dtype ${dtype} needs a ${TYPED[dtype]}`);
  }
  if (!Array.isArray(shape)) throw new InvalidOptionError("array.shape", shape, "must be an array");
  let count = 1;
  shape.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new InvalidOptionError(`array.shape[${i}]`, d, "must be an integer >= 0");
    }
    count *= d;
  });
  if (count !== data.length) {
    throw new ShapeMismatchError(
      "array.data",
      `shape (${shape.join(", ")}) needs ${count} entries, got ${data.length}`,
    );
  }

  let header = formatNpyHeader(dtype, shape);
  // magic (6) + version (2) + length (2 or 4) + header + "\n", padded to a multiple of 64
  let version = 1;
  let preamble = 10;
  let total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  if (total - preamble > 0xffff) {
    version = 2;
    preamble = 12;
    total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  }
  header = `${header}${" ".repeat(total - preamble - header.length - 1)}\n`;
  const headerLength = total - preamble;
  const itemSize = ITEM_SIZE[dtype];
  const out = new Uint8Array(total + count * itemSize);
  out.set(NPY_MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);

  switch (dtype) {
    case "float64": {
      const d = data as Float64Array;
      for (let i = 0; i < count; i++) view.setFloat64(total + 8 * i, d[i] as number, true);
      break;
    }
    case "float32": {
      const d = data as Float32Array;
      for (let i = 0; i < count; i++) view.setFloat32(total + 4 * i, d[i] as number, true);
      break;
    }
    case "int32": {
      const d = data as Int32Array;
      for (let i = 0; i < count; i++) view.setInt32(total + 4 * i, d[i] as number, true);
      break;
    }
    case "int64": {
      const d = data as Float64Array;
      for (let i = 0; i < count; i++) {
        const v = d[i] as number;
        if (!Number.isSafeInteger(v)) {
          throw new InvalidOptionError(`array.data[${i}]`, v, "int64 values must be safe integers");
        }
        const hi = Math.floor(v / TWO_POW_32);
        view.setUint32(total + 8 * i, v - hi * TWO_POW_32, true);
        view.setInt32(total + 8 * i + 4, hi, true);
      }
      break;
    }
    case "bool": {
      const d = data as Uint8Array;
      for (let i = 0; i < count; i++) out[total + i] = d[i] === 0 ? 0 : 1;
      break;
    }
    case "uint8":
      out.set(data as Uint8Array, total);
      break;
  }
  return out;
}

function normalize(array: NpyInput): NpyArray {
  if (array instanceof Matrix) {
    return { dtype: "float64", shape: [array.rows, array.cols], data: array.data };
  }
  if (array instanceof TokenBatch) {
    return {
      dtype: "float64",
      shape: [array.samples, array.tokens, array.features],
      data: array.data,
    };
  }
  if (array === null || typeof array !== "object") {
    throw new InvalidOptionError("array", array, "must be an NpyArray, a Matrix or a TokenBatch");
  }
  return array;
}
