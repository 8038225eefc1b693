import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type AttentionWeights, attentionForward } from "@convexformer/attention";
import { createRng, readNpy, TokenBatch } from "@convexformer/tensors";
import { writeNpyFile } from "@convexformer/tensors/node";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../cli-io.js";
import { createProgram } from "../program.js";
import { runFit } from "./fit.js";
import { runInterpret } from "./interpret.js";
import { runPredict } from "./predict.js";
import { runRecover } from "./recover.js";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
}

function npy(path: string): { shape: readonly number[]; data: Float64Array } {
  const bytes = readFileSync(path);
  const a = readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  return { shape: a.shape, data: Float64Array.from(a.data as ArrayLike<number>) };
}

/** A planted scalar-attention task: y = x_{i,2,1} + 0.5 x_{i,3,2} (token 2 for n = 2; + small noise). */
async function npyTask(N = 30, n = 4, d = 3): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cf-fit-"));
  const rng = createRng(3);
  const X = rng.fillNormal(new Float64Array(N * n * d));
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++)
    y[i] =
      (X[(i * n + 1) * d] as number) +
      0.5 * (X[(i * n + Math.min(2, n - 1)) * d + 1] as number) +
      0.01 * rng.normal();
  await writeNpyFile(join(dir, "X.npy"), { dtype: "float64", shape: [N, n, d], data: X });
  await writeNpyFile(join(dir, "y.npy"), { dtype: "float64", shape: [N], data: y });
  return dir;
}

const fitJob = (data: string, more: Record<string, unknown> = {}) => ({
  data: { data },
  testFraction: 0.2,
  seed: 0,
  ...more,
});

describe("convexformer fit, predict, recover, interpret", () => {
  it("fits a .npy folder, and predict, recover and interpret reproduce it", async () => {
    const data = await npyTask();
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const model = join(root, "model");
    const io = captureIo();
    expect(await runFit(fitJob(data), { out: model, command: "convexformer fit data" }, io)).toBe(
      0,
    );
    expect(io.out.join("")).toMatch(/converged/);
    const certificate = JSON.parse(readFileSync(join(model, "certificate.json"), "utf8"));
    expect(certificate.status).toBe("converged");
    expect(certificate.relativeGap).toBeLessThanOrEqual(1e-6);
    const metrics = JSON.parse(readFileSync(join(model, "metrics.json"), "utf8"));
    expect(metrics.train.samples).toBe(24);
    expect(metrics.test.samples).toBe(6);
    expect(metrics.test.meanSquaredError).toBeGreaterThanOrEqual(0);
    const fit = JSON.parse(readFileSync(join(model, "fit.json"), "utf8"));
    expect(fit.testRows).toHaveLength(6);
    expect(readFileSync(join(model, "token-map.svg"), "utf8").startsWith("<svg")).toBe(true);
    expect(readFileSync(join(model, "command.txt"), "utf8")).toBe("convexformer fit data\n");
    const saved = npy(join(model, "predictions.npy"));
    expect(saved.shape).toEqual([30]);

    // predict on the training data: the fit's predictions, bit for bit, in .npy and .jsonl
    const p = join(root, "p.npy");
    expect(await runPredict(model, { data }, { out: p }, captureIo())).toBe(0);
    expect(Array.from(npy(p).data)).toEqual(Array.from(saved.data));
    const pj = join(root, "p.jsonl");
    expect(await runPredict(model, { data }, { out: pj }, captureIo())).toBe(0);
    const lines = readFileSync(pj, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.prediction)).toEqual(Array.from(saved.data));

    // recover: the weights files give the same predictions through the model (8)
    const net = join(root, "net");
    expect(await runRecover(model, { out: net }, captureIo())).toBe(0);
    const record = JSON.parse(readFileSync(join(net, "network.json"), "utf8"));
    expect(record.model).toBe("scalar");
    const w1 = npy(join(net, "w1.npy"));
    const w2 = npy(join(net, "w2.npy"));
    const alpha = npy(join(net, "alpha.npy"));
    expect(w1.shape).toEqual([record.heads, 4]);
    expect(w2.shape).toEqual([record.heads, 3]);
    expect(alpha.shape).toEqual([record.heads, 1]);
    const weights: AttentionWeights = {
      heads: record.heads,
      tokens: 4,
      features: 3,
      outputs: 1,
      w1: w1.data,
      w2: w2.data,
      alpha: alpha.data,
    };
    const X = npy(join(data, "X.npy"));
    const again = attentionForward(weights, new TokenBatch(30, 4, 3, X.data));
    expect(Array.from(again)).toEqual(Array.from(saved.data));
    expect(record.headsNeeded).toBe(certificate.headsNeeded);
    // the planted tokens 2 and 3 carry the solution
    const interpreted = join(root, "interpret");
    const io2 = captureIo();
    expect(await runInterpret(model, { out: interpreted }, io2)).toBe(0);
    const heads = JSON.parse(readFileSync(join(interpreted, "heads.json"), "utf8")) as {
      token: number;
      norm: number;
    }[];
    expect(heads.length).toBeGreaterThan(0);
    const top = [...heads]
      .sort((a, b) => b.norm - a.norm)
      .slice(0, 2)
      .map((h) => h.token);
    expect(top.sort()).toEqual([2, 3]);
    expect(readFileSync(join(interpreted, "heads.md"), "utf8")).toMatch(/^\| head \| token/);
    const sparsity = JSON.parse(readFileSync(join(interpreted, "sparsity.json"), "utf8"));
    expect(sparsity.support.withinBound).toBe(true);
    expect(sparsity.heads.mean.entropy).toBeGreaterThanOrEqual(0);
    expect(io2.out.join("")).toMatch(/token map of program scalar/);
  }, 120_000);

  it("fits JSONL token records with cross-entropy (vector program) and scores the held-out split", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const rng = createRng(5);
    const lines: string[] = [];
    for (let i = 0; i < 24; i++) {
      const label = i % 3;
      const tokens = [0, 1, 2].map((k) => [rng.normal() + (k === 0 ? 2 * label : 0), rng.normal()]);
      lines.push(JSON.stringify({ tokens, label }));
    }
    writeFileSync(join(dir, "d.jsonl"), `${lines.join("\n")}\n`);
    const out = join(dir, "model");
    const io = captureIo();
    const code = await runFit(
      fitJob(join(dir, "d.jsonl"), {
        loss: "cross-entropy",
        testFraction: 0.25,
        lambdaRatio: 0.05,
      }),
      { out, command: "fit", json: true },
      io,
    );
    expect(code, io.err.join("")).toBe(0);
    const summary = JSON.parse(io.out.join(""));
    expect(summary.model).toBe("vector");
    expect(summary.test.samples).toBe(6);
    expect(summary.train.errorRate).toBeLessThanOrEqual(0.5);
    expect(npy(join(out, "predictions.npy")).shape).toEqual([24, 3]);
    const p = join(dir, "p.npy");
    expect(await runPredict(out, { data: join(dir, "d.jsonl") }, { out: p }, captureIo())).toBe(0);
    expect(Array.from(npy(p).data)).toEqual(Array.from(npy(join(out, "predictions.npy")).data));
  }, 120_000);

  it("fits text through a GloVe file, saves the pipeline, and predict re-embeds it identically", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const experiments = dirname(
      createRequire(import.meta.url).resolve("@convexformer/experiments/package.json"),
    );
    const sample = readFileSync(join(experiments, "data", "sotu-party-sample.jsonl"), "utf8")
      .trim()
      .split("\n");
    // 20 passages of each party
    const chosen = [
      ...sample.filter((l) => JSON.parse(l).label === 0).slice(0, 20),
      ...sample.filter((l) => JSON.parse(l).label === 1).slice(0, 20),
    ];
    writeFileSync(join(dir, "texts.jsonl"), `${chosen.join("\n")}\n`);
    // a GloVe-format table (random vectors) of the corpus words, plus one bad line
    const rng = createRng(1);
    const words = new Set<string>();
    for (const l of chosen)
      for (const w of String(JSON.parse(l).text)
        .toLowerCase()
        .match(/[a-z']+/g) ?? [])
        words.add(w);
    const glove = [...words].map(
      (w) =>
        `${w} ${Array.from(rng.fillNormal(new Float64Array(6)), (v) => v.toFixed(5)).join(" ")}`,
    );
    writeFileSync(join(dir, "glove.txt"), `${glove.join("\n")}\nbroken 1 2\n`);
    const out = join(dir, "model");
    const io = captureIo();
    const code = await runFit(
      {
        data: { data: join(dir, "texts.jsonl"), embeddings: join(dir, "glove.txt"), tokens: 8 },
        testFraction: 0.25,
        seed: 1,
      },
      { out, command: "fit" },
      io,
    );
    expect(code, io.err.join("")).toBe(0);
    const text = JSON.parse(readFileSync(join(out, "text.json"), "utf8"));
    expect(text.tokens).toBe(8);
    expect(text.dimension).toBe(6);
    expect(text.vocabulary.length).toBeGreaterThan(10);
    const fit = JSON.parse(readFileSync(join(out, "fit.json"), "utf8"));
    expect(fit.loss).toBe("logistic");
    expect(fit.labelMapping).toBe("0 → -1, 1 → 1");
    const p = join(dir, "p.npy");
    const pio = captureIo();
    expect(
      await runPredict(out, { data: join(dir, "texts.jsonl") }, { out: p, json: true }, pio),
    ).toBe(0);
    expect(Array.from(npy(p).data)).toEqual(Array.from(npy(join(out, "predictions.npy")).data));
    expect(JSON.parse(pio.out.join("")).metrics.errorRate).toBeLessThanOrEqual(0.5);
    // another number of tokens than the model's is refused
    const bad = captureIo();
    expect(
      await runPredict(out, { data: join(dir, "texts.jsonl"), tokens: 9 }, { out: p }, bad),
    ).toBe(2);
    expect(bad.err.join("")).toMatch(/--tokens 9: the model was fitted on 8/);
  }, 180_000);

  it("fits the gated program and recover writes its gates", async () => {
    const data = await npyTask(16, 3, 2);
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const model = join(root, "model");
    const io = captureIo();
    expect(
      await runFit(
        fitJob(data, { model: "gated", gates: 4, testFraction: 0 }),
        { out: model, command: "fit" },
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(model, "metrics.json"), "utf8")).test.samples).toBe(0);
    const net = join(root, "net");
    expect(await runRecover(model, { out: net }, captureIo())).toBe(0);
    const record = JSON.parse(readFileSync(join(net, "network.json"), "utf8"));
    expect(npy(join(net, "gates-u1.npy")).shape).toEqual([record.heads, 3]);
    expect(npy(join(net, "gates-u2.npy")).shape).toEqual([record.heads, 2]);
    expect(await runInterpret(model, { out: join(root, "i") }, captureIo())).toBe(0);
  }, 120_000);

  it("fits the sequence program (33) on per-token labels; predict, recover and interpret follow", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const rng = createRng(9);
    const [N, n, d] = [12, 3, 2];
    const X = rng.fillNormal(new Float64Array(N * n * d));
    // y_{i,k} = 0.5 x_{i,k,1} + x_{i,2,2}
    const y = new Float64Array(N * n);
    for (let i = 0; i < N; i++)
      for (let k = 0; k < n; k++)
        y[i * n + k] = 0.5 * (X[(i * n + k) * d] as number) + (X[(i * n + 1) * d + 1] as number);
    await writeNpyFile(join(dir, "X.npy"), { dtype: "float64", shape: [N, n, d], data: X });
    await writeNpyFile(join(dir, "y.npy"), { dtype: "float64", shape: [N, n], data: y });
    const model = join(dir, "model");
    const io = captureIo();
    expect(
      await runFit(fitJob(dir, { model: "sequence" }), { out: model, command: "fit" }, io),
    ).toBe(0);
    const saved = npy(join(model, "predictions.npy"));
    expect(saved.shape).toEqual([N, n]);
    const p = join(dir, "p.npy");
    expect(await runPredict(model, { data: dir }, { out: p }, captureIo())).toBe(0);
    expect(Array.from(npy(p).data)).toEqual(Array.from(saved.data));
    const net = join(dir, "net");
    expect(await runRecover(model, { out: net }, captureIo())).toBe(0);
    const record = JSON.parse(readFileSync(join(net, "network.json"), "utf8"));
    expect(npy(join(net, "W1.npy")).shape).toEqual([record.heads, n, n]);
    expect(npy(join(net, "W2.npy")).shape).toEqual([record.heads, d, 1]);
    expect(await runInterpret(model, { out: join(dir, "i") }, captureIo())).toBe(0);
    const sparsity = JSON.parse(readFileSync(join(dir, "i", "sparsity.json"), "utf8"));
    expect(sparsity.heads.perHead).toHaveLength(record.heads);
  }, 120_000);

  it("SIGINT during the solve keeps the best iterate with status aborted (exit 130)", async () => {
    const data = await npyTask(1500, 8, 8);
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const model = join(root, "model");
    const io = captureIo();
    let started = 0;
    const running = runFit(
      fitJob(data, {
        model: "gated",
        gates: 200,
        tolerance: 1e-15,
        maxIterations: 10_000_000,
        timeLimitMs: 120_000,
      }),
      {
        out: model,
        command: "fit",
        // interrupt at the first iterations of the solve, as Ctrl-C would
        onProgress: (r) => {
          if (r.phase === "solve" && r.done >= 1 && started === 0) {
            started = Date.now();
            process.emit("SIGINT", "SIGINT");
          }
        },
      },
      io,
    );
    expect(await running).toBe(130);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(io.err.join("")).toMatch(/SIGINT: stopping the solve at the next iteration/);
    const certificate = JSON.parse(readFileSync(join(model, "certificate.json"), "utf8"));
    expect(certificate.status).toBe("aborted");
    expect(Number.isFinite(certificate.relativeGap)).toBe(true);
    expect(JSON.parse(readFileSync(join(model, "model.json"), "utf8")).model).toBe("gated");
  }, 180_000);

  it("interpret redraws an experiment result folder's figures", async () => {
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const result = join(root, "e2");
    mkdirSync(result);
    writeFileSync(
      join(result, "result.json"),
      JSON.stringify({
        experiment: "e2",
        status: "complete",
        seed: 0,
        software: { runtime: "node" },
        startedAt: "",
        timings: {},
        metrics: {},
        config: { attention: "simplex" },
        curves: {
          accuracy: {
            step: [1, 10, 100],
            trainAccuracy: [0.1, 0.9, 1],
            validationAccuracy: [0, 0.2, 1],
          },
        },
      }),
    );
    const io = captureIo();
    expect(await runInterpret(result, { out: join(root, "figures") }, io)).toBe(0);
    expect(readFileSync(join(root, "figures", "grokking.svg"), "utf8").startsWith("<svg")).toBe(
      true,
    );
    writeFileSync(join(result, "result.json"), "{not json");
    const bad = captureIo();
    expect(await runInterpret(result, { out: join(root, "figures") }, bad)).toBe(2);
    expect(bad.err.join("")).toMatch(/result\.json: not JSON/);
  });

  it("refuses bad data and options with exit 2 and one line naming the argument", async () => {
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const run = async (job: Parameters<typeof runFit>[0], out = join(root, "m")) => {
      const io = captureIo();
      const code = await runFit(job, { out, command: "fit" }, io);
      return { code, err: io.err.join("") };
    };
    const missing = await run(fitJob(join(root, "nope")));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope/);
    const data = await npyTask(10, 2, 2);
    writeFileSync(join(root, "X.npy"), "not an npy file");
    const corrupt = await run({
      data: { x: join(root, "X.npy"), y: join(data, "y.npy") },
      testFraction: 0,
      seed: 0,
    });
    expect(corrupt.code).toBe(2);
    expect(corrupt.err).toMatch(/X\.npy/);
    const half = await run({ data: { x: join(data, "X.npy") }, testFraction: 0, seed: 0 });
    expect(half.err).toMatch(/--x and --y go together/);
    const logistic = await run(fitJob(data, { loss: "logistic" }));
    expect(logistic.code).toBe(2);
    expect(logistic.err).toMatch(
      /--loss logistic: sample 0 is .*; logistic labels must be -1\/1 or 0\/1/,
    );
    const ce = await run(fitJob(data, { loss: "cross-entropy" }));
    expect(ce.err).toMatch(
      /--loss cross-entropy: sample 0 is .*; cross-entropy labels must be integers >= 0/,
    );
    writeFileSync(join(root, "file"), "x");
    const out = await run(fitJob(data), join(root, "file"));
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/--out .*file: exists and is not a directory/);
    writeFileSync(join(root, "data.csv"), "1,2\n");
    const csv = await run(fitJob(join(root, "data.csv")));
    expect(csv.err).toMatch(/<data> .*data\.csv: expected a folder with X\.npy and y\.npy/);
    const sequence = await run(fitJob(data, { model: "sequence" }));
    expect(sequence.err).toMatch(/--model sequence: needs 2·c labels per sample/);
  }, 120_000);

  it("predict, recover and interpret refuse what fit did not write", async () => {
    const root = mkdtempSync(join(tmpdir(), "cf-fit-"));
    const io = captureIo();
    expect(
      await runPredict(join(root, "none"), { data: root }, { out: join(root, "p.npy") }, io),
    ).toBe(2);
    expect(io.err.join("")).toMatch(/<model> .*none: no such folder/);
    expect(await runPredict(root, { data: root }, { out: join(root, "p.csv") }, io)).toBe(2);
    expect(io.err.join("")).toMatch(/--out .*p\.csv: must end in \.npy or \.jsonl/);
    expect(await runRecover(root, { out: join(root, "n") }, io)).toBe(2);
    expect(io.err.join("")).toMatch(/no model\.json/);
    writeFileSync(
      join(root, "model.json"),
      '{"format":"convexformer/fitted-model","version":1,"model":"scalar","network":{"heads":1}}',
    );
    expect(await runRecover(root, { out: join(root, "n") }, io)).toBe(2);
    expect(io.err.join("")).toMatch(/network\.tokens/);
    expect(await runInterpret(join(root, "missing"), { out: join(root, "i") }, io)).toBe(2);
    expect(io.err.join("")).toMatch(/<result> .*missing: no such folder/);
  });

  it("rejects out-of-range and unknown options before any work", async () => {
    const parse = async (...args: string[]) => {
      const io = captureIo();
      const error = await createProgram(io)
        .parseAsync(["node", "convexformer", ...args])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      return { error, err: io.err.join("") };
    };
    const tol = await parse("fit", "d.jsonl", "--tolerance", "2");
    expect(tol.error).toBeInstanceOf(CommanderError);
    expect(tol.err).toMatch(/--tolerance must be a finite number > 0 and < 1; got "2"/);
    const model = await parse("fit", "d.jsonl", "--model", "lasso");
    expect(model.err).toMatch(/--model must be one of scalar, vector/);
    const fraction = await parse("fit", "d.jsonl", "--test-fraction", "1");
    expect(fraction.err).toMatch(/--test-fraction/);
    const both = await parse("fit", "d.jsonl", "--lambda", "1", "--lambda-ratio", "0.1");
    expect(both.err).toMatch(/cannot be used with/);
    const unknown = await parse("predict", "m", "d", "--bogus");
    expect(unknown.err).toMatch(/unknown option '--bogus'/);
    const bench = await parse("bench", "gpu");
    expect(bench.err).toMatch(
      /\[benchmark\] must be one of tensors, solvers, attention, baselines; got "gpu"/,
    );
  });
});
