import { describe, expect, it } from "vitest";
import { decoderSimplexMixing } from "./decoder-simplex-mixing.js";

describe("decoder simplex mixing", () => {
  it("zero logits (the initialization) mix causally uniformly; layers sorted; other weights ignored", () => {
    const layers = decoderSimplexMixing({
      "blocks.1.attn.logits": { shape: [2, 3, 3], data: new Float64Array(18) },
      "blocks.0.attn.logits": { shape: [1, 3, 3], data: new Float64Array(9) },
      "blocks.0.mlp.W1": { shape: [2, 2], data: new Float64Array(4) },
      readout: { shape: [2, 5], data: new Float64Array(10) },
    });
    expect(layers.map((l) => l.layer)).toEqual([0, 1]);
    expect(layers[1]?.heads).toHaveLength(2);
    expect(layers[0]?.mean.toRows()).toEqual([
      [1, 0, 0],
      [0.5, 0.5, 0],
      [expect.closeTo(1 / 3, 15), expect.closeTo(1 / 3, 15), expect.closeTo(1 / 3, 15)],
    ]);
  });

  it("softmax of the logits, with and without the causal mask", () => {
    // head 0 row 1: logits (log 3, 0) → (3/4, 1/4); row 0 → (1) causal
    const data = new Float64Array([5, 100, 0, Math.log(3)]);
    const [causal] = decoderSimplexMixing({
      "blocks.0.attn.logits": { shape: [1, 2, 2], data: new Float64Array([0, 9, Math.log(3), 0]) },
    });
    expect(causal?.heads[0]?.toRows()).toEqual([
      [1, 0],
      [expect.closeTo(0.75, 15), expect.closeTo(0.25, 15)],
    ]);
    const [full] = decoderSimplexMixing(
      { "blocks.0.attn.logits": { shape: [1, 2, 2], data } },
      { causal: false },
    );
    const e = Math.exp(-95);
    expect(full?.heads[0]?.get(0, 0)).toBeCloseTo(e / (1 + e), 15);
    expect(full?.heads[0]?.get(1, 1)).toBeCloseTo(0.75, 15);
  });

  it("errors: a softmax decoder, a bad shape, a short array", () => {
    expect(() =>
      decoderSimplexMixing({ "blocks.0.attn.WQ": { shape: [2, 2], data: new Float64Array(4) } }),
    ).toThrow(/not a decoder with simplex attention/);
    expect(() =>
      decoderSimplexMixing({
        "blocks.0.attn.logits": { shape: [1, 2, 3], data: new Float64Array(6) },
      }),
    ).toThrow(/expected \[h, n, n\], got \[1, 2, 3\]/);
    expect(() =>
      decoderSimplexMixing({
        "blocks.0.attn.logits": { shape: [1, 2, 2], data: new Float64Array(3) },
      }),
    ).toThrow(expect.objectContaining({ code: "shape-mismatch" }));
    expect(() => decoderSimplexMixing({}, { causal: true, extra: 1 } as never)).toThrow(/extra/);
  });
});
