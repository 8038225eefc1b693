import { standardAttentionForward } from "@convexformer/attention";
import { positionalEncoding, tokenFeatures } from "@convexformer/io";
import { describe, expect, it } from "vitest";
import { createFrozenBlock } from "./frozen-block.js";
import { studentTeacher } from "./student-teacher.js";

describe("studentTeacher", () => {
  it("has the asked sizes and standardized teacher targets, reproducibly", () => {
    const data = studentTeacher({ samples: 50, testSamples: 30, tokens: 5, features: 6, seed: 4 });
    expect([data.train.X.samples, data.train.X.tokens, data.train.X.features]).toEqual([50, 5, 6]);
    expect(data.test.X.samples).toBe(30);
    expect(data.train.targets).toHaveLength(50);
    const y = data.train.targets as Float64Array;
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
    expect(std).toBeCloseTo(1, 12); // divided by the train targets' standard deviation
    // the targets are the teacher's output at token 0, divided by the scale
    const full = standardAttentionForward(data.teacher, data.train.X);
    expect(y[7]).toBeCloseTo((full[7 * 5] as number) / data.targetScale, 12);
    const again = studentTeacher({ samples: 50, testSamples: 30, tokens: 5, features: 6, seed: 4 });
    expect(again.train.X.data).toEqual(data.train.X.data);
    expect(
      studentTeacher({ samples: 50, testSamples: 30, tokens: 5, features: 6, seed: 5 }).train.X
        .data,
    ).not.toEqual(data.train.X.data);
  });

  it("offers vector, sequence and classification targets and noise", () => {
    const vec = studentTeacher({ samples: 10, testSamples: 10, target: "vector", outputs: 4 });
    expect(vec.train.targets).toHaveLength(40);
    const seq = studentTeacher({
      samples: 10,
      testSamples: 10,
      tokens: 3,
      target: "sequence",
      outputs: 2,
    });
    expect(seq.train.targets).toHaveLength(10 * 3 * 2);
    const cls = studentTeacher({
      samples: 40,
      testSamples: 10,
      target: "vector",
      outputs: 3,
      classification: true,
    });
    expect(cls.train.targets).toBeInstanceOf(Int32Array);
    expect([...cls.train.targets].every((v) => v >= 0 && v < 3)).toBe(true);
    const sign = studentTeacher({ samples: 40, testSamples: 10, classification: true });
    expect([...sign.train.targets].every((v) => v === 1 || v === -1)).toBe(true);
    const clean = studentTeacher({ samples: 20, testSamples: 5 });
    const noisy = studentTeacher({ samples: 20, testSamples: 5, noise: 0.5 });
    expect(noisy.train.X.data).toEqual(clean.train.X.data);
    expect(noisy.train.targets).not.toEqual(clean.train.targets);
  });

  it("token ids are Zipf-like: without the block, the most frequent embedding row dominates", () => {
    const data = studentTeacher({
      samples: 200,
      testSamples: 1,
      tokens: 4,
      features: 3,
      vocabulary: 20,
      frozenBlock: false,
      seed: 1,
    });
    const P = positionalEncoding(4, 3);
    const counts = new Map<string, number>();
    for (let r = 0; r < 800; r++) {
      const t = r % 4;
      const key = [0, 1, 2]
        .map((q) =>
          ((data.train.X.data[r * 3 + q] as number) - (P[t * 3 + q] as number)).toFixed(9),
        )
        .join(",");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const top = Math.max(...counts.values());
    expect(top / 800).toBeGreaterThan(0.15); // rank 0 of Zipf(20, 1.1) has mass ≈ 0.26
    expect(counts.size).toBeGreaterThan(8);
  });

  it("names bad options", () => {
    expect(() => studentTeacher({ samples: 0 })).toThrow(/samples/);
    expect(() => studentTeacher({ target: "image" as never })).toThrow(/target/);
    expect(() => studentTeacher({ outputs: 3 })).toThrow(/outputs/);
    expect(() => studentTeacher({ samples: 1e6, tokens: 100, features: 100 })).toThrow(/2\^26/);
  });
});

describe("createFrozenBlock and tokenFeatures", () => {
  it("normalizes every output token and hides padded keys", () => {
    const block = createFrozenBlock({ features: 4, heads: 2, seed: 3 });
    const table = new Float64Array([1, 2, 3, 4, -1, 0, 2, 1, 0.5, 0.5, -2, 1]);
    const ids = new Int32Array([0, 1, 2, 0, 2, 1]);
    const X = tokenFeatures(ids, 3, table, 4, { block });
    for (let r = 0; r < 6; r++) {
      const row = X.data.subarray(r * 4, r * 4 + 4);
      const mean = row.reduce((s, v) => s + v, 0) / 4;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
    }
    // masking token 2 of sample 0: tokens 0, 1 no longer see it
    const mask = new Uint8Array([1, 1, 0, 1, 1, 1]);
    const masked = tokenFeatures(ids, 3, table, 4, { block, mask });
    const changedIds = new Int32Array([0, 1, 1, 0, 2, 1]); // a different word at the padded slot
    const masked2 = tokenFeatures(changedIds, 3, table, 4, { block, mask });
    expect(masked2.data.subarray(0, 8)).toEqual(masked.data.subarray(0, 8));
    expect(X.data.subarray(0, 8)).not.toEqual(masked.data.subarray(0, 8));
  });

  it("names an out-of-range id with its sample and token", () => {
    expect(() => tokenFeatures(new Int32Array([0, 5]), 2, new Float64Array(4), 2)).toThrow(
      /ids\[1\].*sample 0, token 1/,
    );
  });
});
