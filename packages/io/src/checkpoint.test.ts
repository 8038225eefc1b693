import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint } from "./checkpoint.js";

describe("checkpoint codec", () => {
  it("round-trips metadata and arrays bit-exactly", () => {
    const arrays = {
      a: new Float64Array([Math.PI, -0, 1e-300, Number.MAX_VALUE]),
      b: new Float64Array(0),
    };
    const c = decodeCheckpoint(
      encodeCheckpoint({ meta: { step: 3, name: "x", list: [1, null] }, arrays }),
    );
    expect(c.meta).toEqual({ step: 3, name: "x", list: [1, null] });
    expect(Object.is(c.arrays.a?.[1], -0)).toBe(true);
    expect(c.arrays.a).toEqual(arrays.a);
    expect(c.arrays.b).toHaveLength(0);
  });
  it("names the file for bad magic, truncation and trailing bytes", () => {
    const bytes = encodeCheckpoint({ meta: null, arrays: { w: new Float64Array([1, 2, 3]) } });
    expect(() => decodeCheckpoint(new Uint8Array(20), "ck.bin")).toThrow(
      /ck\.bin: not a Convexformer checkpoint/,
    );
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8), "ck.bin")).toThrow(
      /ck\.bin: array "w"/,
    );
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(() => decodeCheckpoint(longer, "ck.bin")).toThrow(/trailing/);
  });
});
