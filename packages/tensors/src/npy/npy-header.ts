import { CorruptFileError, UnsupportedFormatError } from "../errors.js";
import type { NpyDtype } from "./npy-array.js";

/** The parsed and validated header of an `.npy` file. @internal */
export interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  /** Byte offset of the data. */
  readonly dataOffset: number;
}

/** The 6-byte magic string `\x93NUMPY`. @internal */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

/** Bytes per element. @internal */
export const ITEM_SIZE: Readonly<Record<NpyDtype, number>> = {
  float64: 8,
  float32: 4,
  int32: 4,
  int64: 8,
  bool: 1,
  uint8: 1,
};

/** The little-endian `descr` written for each dtype. @internal */
export const DESCR: Readonly<Record<NpyDtype, string>> = {
  float64: "<f8",
  float32: "<f4",
  int32: "<i4",
  int64: "<i8",
  bool: "|b1",
  uint8: "|u1",
};

const KIND_NAMES: Readonly<Record<string, string>> = {
  f: "floating point",
  i: "signed integer",
  u: "unsigned integer",
  b: "boolean",
  c: "complex",
  O: "object (pickled Python objects)",
  U: "unicode string",
  S: "byte string",
  V: "void / structured",
  M: "datetime",
  m: "timedelta",
};

/** Reads and validates the magic, version and header dictionary. @internal */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new CorruptFileError(name, "not an .npy file (the magic string \\x93NUMPY is missing)");
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = (bytes[8] as number) | ((bytes[9] as number) << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12)
      throw new CorruptFileError(name, "the file ends inside the header length");
    headerLength =
      ((bytes[8] as number) |
        ((bytes[9] as number) << 8) |
        ((bytes[10] as number) << 16) |
        ((bytes[11] as number) << 24)) >>>
      0;
    headerStart = 12;
  } else {
    throw new UnsupportedFormatError(
      name,
      `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`,
    );
  }
  if (minor !== 0) {
    throw new UnsupportedFormatError(
      name,
      `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`,
    );
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) {
    throw new CorruptFileError(
      name,
      `the header claims ${headerLength} bytes but the file holds only ${bytes.length - headerStart} after the preamble`,
    );
  }
  const raw = bytes.subarray(headerStart, dataOffset);
  // 1.0 and 2.0 headers are latin-1, 3.0 headers utf-8
  const text = major === 3 ? new TextDecoder("utf-8", { fatal: false }).decode(raw) : latin1(raw);
  const dict = parseLiteral(text, name);
  if (dict === null || typeof dict !== "object" || Array.isArray(dict) || dict instanceof Tuple) {
    throw new CorruptFileError(name, "the header is not a dictionary");
  }
  const entries = dict as Record<string, Literal>;
  for (const key of ["descr", "fortran_order", "shape"]) {
    if (!(key in entries)) throw new CorruptFileError(name, `the header lacks the key '${key}'`);
  }
  const extra = Object.keys(entries).filter(
    (k) => !["descr", "fortran_order", "shape"].includes(k),
  );
  if (extra.length > 0) {
    throw new CorruptFileError(name, `the header has unexpected keys: ${extra.join(", ")}`);
  }
  const dtype = parseDescr(entries.descr as Literal, name);
  const fortran = entries.fortran_order;
  if (typeof fortran !== "boolean") {
    throw new CorruptFileError(name, "the header's 'fortran_order' is not True or False");
  }
  const shapeValue = entries.shape;
  if (!(shapeValue instanceof Tuple)) {
    throw new CorruptFileError(name, "the header's 'shape' is not a tuple");
  }
  const shape: number[] = [];
  for (const d of shapeValue.items) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new CorruptFileError(name, `the header's 'shape' holds ${String(d)}, not a dimension`);
    }
    shape.push(d);
  }
  if (fortran && shape.filter((d) => d > 1).length > 1) {
    throw new UnsupportedFormatError(
      name,
      "Fortran-order (column-major) arrays are not supported; save with np.save(path, np.ascontiguousarray(a))",
    );
  }
  return { dtype, shape, dataOffset };
}

function parseDescr(descr: Literal, name: string): NpyDtype {
  if (typeof descr !== "string") {
    throw new UnsupportedFormatError(
      name,
      "structured (record) dtypes are not supported; save a plain numeric array",
    );
  }
  const match = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (match === null) throw new UnsupportedFormatError(name, `unsupported dtype '${descr}'`);
  const order = match[1] as string;
  const kind = match[2] as string;
  const size = match[3] === "" ? 0 : Number(match[3]);
  if (kind === "O") {
    throw new UnsupportedFormatError(
      name,
      "object arrays (dtype 'O', pickled Python objects) are not supported",
    );
  }
  let dtype: NpyDtype | undefined;
  if (kind === "f" && size === 8) dtype = "float64";
  else if (kind === "f" && size === 4) dtype = "float32";
  else if (kind === "i" && size === 4) dtype = "int32";
  else if (kind === "i" && size === 8) dtype = "int64";
  else if (kind === "b" && size === 1) dtype = "bool";
  else if (kind === "u" && size === 1) dtype = "uint8";
  if (dtype === undefined) {
    const kindName = KIND_NAMES[kind] ?? "unknown kind";
    throw new UnsupportedFormatError(
      name,
      `unsupported dtype '${descr}' (${kindName}, ${size} bytes); supported: <f8, <f4, <i4, <i8, |b1, |u1`,
    );
  }
  if (order === ">" && size > 1) {
    throw new UnsupportedFormatError(
      name,
      `big-endian dtype '${descr}' is not supported; convert with a.astype('<${kind}${size}')`,
    );
  }
  return dtype;
}

function latin1(raw: Uint8Array): string {
  let s = "";
  for (let i = 0; i < raw.length; i += 4096) {
    s += String.fromCharCode(...raw.subarray(i, i + 4096));
  }
  return s;
}

/** A Python tuple (distinguished from a list). @internal */
export class Tuple {
  constructor(readonly items: Literal[]) {}
}

/** The subset of Python literals an `.npy` header uses. @internal */
export type Literal =
  | string
  | number
  | boolean
  | null
  | Tuple
  | Literal[]
  | { [key: string]: Literal };

/** Parses a Python literal (dict, tuple, list, str, int, True/False/None). @internal */
export function parseLiteral(text: string, name: string): Literal {
  let pos = 0;
  const fail = (what: string): never => {
    throw new CorruptFileError(
      name,
      `malformed header (${what} at character ${pos}): ${JSON.stringify(text.slice(0, 120))}`,
    );
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const value = (depth: number): Literal => {
    if (depth > 16) fail("nesting too deep");
    skip();
    const c = text[pos];
    if (c === undefined) return fail("unexpected end");
    if (c === "{") {
      pos++;
      const out: Record<string, Literal> = {};
      for (;;) {
        skip();
        if (text[pos] === "}") {
          pos++;
          return out;
        }
        const key = value(depth + 1);
        if (typeof key !== "string") fail("a non-string key");
        skip();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        out[key as string] = value(depth + 1);
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== "}") fail("expected ',' or '}'");
      }
    }
    if (c === "(" || c === "[") {
      const close = c === "(" ? ")" : "]";
      pos++;
      const items: Literal[] = [];
      for (;;) {
        skip();
        if (text[pos] === close) {
          pos++;
          return c === "(" ? new Tuple(items) : items;
        }
        items.push(value(depth + 1));
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, pos + 1);
      if (end < 0) fail("unterminated string");
      const s = text.slice(pos + 1, end);
      pos = end + 1;
      return s;
    }
    const word = /^(?:True|False|None|[+-]?\d+L?)/.exec(text.slice(pos, pos + 40));
    if (word === null) return fail("unexpected character");
    const w = word[0];
    pos += w.length;
    if (w === "True") return true;
    if (w === "False") return false;
    if (w === "None") return null;
    const n = Number(w.endsWith("L") ? w.slice(0, -1) : w);
    return n;
  };
  const result = value(0);
  skip();
  if (pos !== text.length) fail("trailing characters");
  return result;
}

/** Formats the header dictionary exactly as numpy does. @internal */
export function formatNpyHeader(dtype: NpyDtype, shape: readonly number[]): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  return `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${dims}, }`;
}
