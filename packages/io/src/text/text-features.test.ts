import { describe, expect, it } from "vitest";
import { textFeatures } from "./text-features.js";
import { splitWords, tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("lower-cases, splits words, truncates and pads with a mask", () => {
    expect(splitWords("It's the well-being of the Nation’s 50 States!")).toEqual([
      "it's",
      "the",
      "well-being",
      "of",
      "the",
      "nation's",
      "50",
      "states",
    ]);
    const t = tokenize("One, two; three.", 5);
    expect(t.words).toEqual(["one", "two", "three", "", ""]);
    expect(Array.from(t.mask)).toEqual([1, 1, 1, 0, 0]);
    expect(t.length).toBe(3);
    expect(tokenize("a b c d e f", 2).words).toEqual(["a", "b"]);
    expect(tokenize("a b c", 2, (w) => w !== "a").words).toEqual(["b", "c"]);
    expect(() => tokenize("x", 0)).toThrow(/tokens/);
  });
});

describe("textFeatures", () => {
  const embeddings = {
    dimension: 2,
    source: "inline",
    vectors: new Map([
      ["tax", new Float64Array([1, 0])],
      ["war", new Float64Array([0, 1])],
    ]),
  };
  it("embeds known words, drops and counts unknown ones, pads the rest", () => {
    const f = textFeatures(
      [
        { text: "War, and TAX and war", label: 1 },
        { text: "nothing known", label: 0 },
      ],
      embeddings,
      { tokens: 4, positionalScale: 0 },
    );
    expect(f.words).toEqual(["war", "tax", "war", "", "", "", "", ""]);
    expect(Array.from(f.mask)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(f.unknownWords).toBe(4);
    expect(f.knownWords).toBe(3);
    expect(Array.from(f.X.data.subarray(0, 8))).toEqual([0, 1, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(f.X.data.subarray(8))).toEqual(new Array(8).fill(0));
    expect(Array.from(f.labels)).toEqual([1, 0]);
  });
  it("adds scaled positional encodings to real tokens only", () => {
    const f = textFeatures([{ text: "tax", label: 0 }], embeddings, {
      tokens: 2,
      positionalScale: 0.5,
    });
    expect(Array.from(f.X.data)).toEqual([1, 0.5, 0, 0]); // sin 0 = 0, cos 0 = 1 at position 0
  });
  it("names a bad label", () => {
    expect(() =>
      textFeatures([{ text: "tax", label: Number.NaN }], embeddings, { tokens: 2 }),
    ).toThrow(/records\[0\]\.label/);
  });
});
