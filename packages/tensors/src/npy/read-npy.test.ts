import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConvexformerError, CorruptFileError, UnsupportedFormatError } from "../errors.js";
import { readNpyFile } from "./npy-file.js";
import { readNpy } from "./read-npy.js";
import { writeNpy } from "./write-npy.js";

// written by numpy: packages/tensors/scripts/make-npy-fixtures.py
const fixtures = new URL("../../test-fixtures/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

function errorOf(fn: () => unknown): ConvexformerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvexformerError);
    return e as ConvexformerError;
  }
  throw new Error("expected an error");
}

/** A hand-made version-1.0 file around a header string and data bytes. */
function npyBytes(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  out.set(data, pre + header.length);
  return out;
}

describe("readNpy on files written by numpy", () => {
  it("float64 2x3 in format versions 1.0, 2.0 and 3.0", () => {
    for (const name of ["f8_2x3.npy", "f8_2x3_v2.npy", "f8_2x3_v3.npy"]) {
      const a = readNpy(fixture(name), name);
      expect(a.dtype).toBe("float64");
      expect(a.shape).toEqual([2, 3]);
      expect(a.data).toBeInstanceOf(Float64Array);
      expect(Array.from(a.data)).toEqual(range(6, (i) => (i - 3) / 7));
    }
  });

  it("float32", () => {
    const a = readNpy(fixture("f4_5.npy"));
    expect(a.dtype).toBe("float32");
    expect(a.shape).toEqual([5]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual(range(5, (i) => Math.fround(Math.fround(i - 3) / 7)));
  });

  it("int32 3-d", () => {
    const a = readNpy(fixture("i4_2x3x4.npy"));
    expect(a.dtype).toBe("int32");
    expect(a.shape).toEqual([2, 3, 4]);
    expect(a.data).toBeInstanceOf(Int32Array);
    expect(Array.from(a.data)).toEqual(range(24, (i) => i * 1000 - 12345));
  });

  it("int64 up to ±(2^53 − 1), and an error beyond", () => {
    const a = readNpy(fixture("i8_4.npy"));
    expect(a.dtype).toBe("int64");
    expect(Array.from(a.data)).toEqual([0, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
    const e = errorOf(() => readNpy(fixture("i8_overflow.npy"), "i8_overflow.npy"));
    expect(e).toBeInstanceOf(UnsupportedFormatError);
    expect(e.message).toMatch(/entry 1 .*2\^53/);
  });

  it("bool and uint8", () => {
    const b = readNpy(fixture("b1_2x2.npy"));
    expect(b.dtype).toBe("bool");
    expect(Array.from(b.data)).toEqual([1, 0, 0, 1]);
    const u = readNpy(fixture("u1_6.npy"));
    expect(u.dtype).toBe("uint8");
    expect(Array.from(u.data)).toEqual([0, 50, 100, 150, 200, 250]);
  });

  it("a 0-d scalar, an empty (0, 3) array and a 3-d float64 batch", () => {
    const s = readNpy(fixture("f8_scalar.npy"));
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data)).toEqual([2.5]);
    const e = readNpy(fixture("f8_0x3.npy"));
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
    const t = readNpy(fixture("f8_tokens_2x3x4.npy"));
    expect(t.shape).toEqual([2, 3, 4]);
    expect(Array.from(t.data)).toEqual(range(24, (i) => i / 8));
  });

  it("readNpyFile reads from disk and names the path in errors", async () => {
    const path = new URL("f8_2x3.npy", fixtures).pathname;
    const a = await readNpyFile(path);
    expect(a.shape).toEqual([2, 3]);
    const bad = new URL("fortran_2x3.npy", fixtures).pathname;
    await expect(readNpyFile(bad)).rejects.toMatchObject({
      code: "unsupported-format",
      argument: bad,
    });
  });
});

describe("readNpy errors", () => {
  it("Fortran order: unsupported-format naming the file", () => {
    const e = errorOf(() => readNpy(fixture("fortran_2x3.npy"), "fortran_2x3.npy"));
    expect(e).toBeInstanceOf(UnsupportedFormatError);
    expect(e.code).toBe("unsupported-format");
    expect(e.argument).toBe("fortran_2x3.npy");
    expect(e.message).toMatch(/Fortran/);
  });

  it("big-endian, complex and object arrays: unsupported-format", () => {
    expect(errorOf(() => readNpy(fixture("bigendian_f8_3.npy"))).message).toMatch(
      /big-endian dtype '>f8'/,
    );
    expect(errorOf(() => readNpy(fixture("c16_2.npy"))).message).toMatch(
      /unsupported dtype '<c16'/,
    );
    const o = errorOf(() => readNpy(fixture("object_2.npy")));
    expect(o).toBeInstanceOf(UnsupportedFormatError);
    expect(o.message).toMatch(/object arrays/);
  });

  it("a truncated file: corrupt-file, detected before allocating", () => {
    const e = errorOf(() => readNpy(fixture("truncated_f8_4x4.npy"), "t.npy"));
    expect(e).toBeInstanceOf(CorruptFileError);
    expect(e.message).toMatch(/needs 128 data bytes, the file holds 88/);
  });

  it("an absurd shape is rejected without allocating", () => {
    const header =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 100000000000), }\n";
    expect(errorOf(() => readNpy(npyBytes(header))).code).toBe("corrupt-file");
    const huge = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }\n";
    expect(errorOf(() => readNpy(npyBytes(huge))).message).toMatch(
      /needs 8000000000000 data bytes/,
    );
  });

  it("bad magic, unknown versions, and a header longer than the file", () => {
    expect(errorOf(() => readNpy(new Uint8Array([1, 2, 3]))).code).toBe("corrupt-file");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(errorOf(() => readNpy(png)).message).toMatch(/magic/);
    const v4 = npyBytes("{}", undefined, 1);
    v4[6] = 4;
    expect(errorOf(() => readNpy(v4)).code).toBe("unsupported-format");
    const long = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }");
    long[8] = 0xff;
    long[9] = 0xff;
    expect(errorOf(() => readNpy(long)).message).toMatch(/header claims 65535 bytes/);
  });

  it("malformed header dictionaries: corrupt-file", () => {
    const cases = [
      "not a dict",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,3}",
      "{'descr': '<f8', 'fortran_order': False}",
      "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': [1]}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} trailing",
      "{'descr: '<f8'}",
      "[",
    ];
    for (const header of cases) {
      const e = errorOf(() => readNpy(npyBytes(header, new Uint8Array(8))));
      expect(e.code, header).toBe("corrupt-file");
    }
  });

  it("structured dtypes: unsupported-format", () => {
    const header =
      "{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }";
    expect(errorOf(() => readNpy(npyBytes(header, new Uint8Array(12)))).message).toMatch(
      /structured/,
    );
  });

  it("trailing bytes after the data: corrupt-file", () => {
    const bytes = writeNpy({ dtype: "uint8", shape: [2], data: new Uint8Array([1, 2]) });
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(errorOf(() => readNpy(longer)).message).toMatch(/3 bytes beyond/);
  });

  it("accepts Fortran order when it is the same layout as C order (one non-trivial axis)", () => {
    const data = new Uint8Array(new Float64Array([1, 2, 3]).buffer);
    const a = readNpy(npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (3, 1), }", data));
    expect(Array.from(a.data)).toEqual([1, 2, 3]);
  });

  it("reads Python 2 style long integers and double-quoted strings in the header", () => {
    const data = new Uint8Array(new Int32Array([7, 8]).buffer);
    const a = readNpy(npyBytes('{"descr": "<i4", "fortran_order": False, "shape": (2L,), }', data));
    expect(a.dtype).toBe("int32");
    expect(Array.from(a.data)).toEqual([7, 8]);
  });
});
