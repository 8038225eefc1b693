import { type ConvexformerError, createRng, InvalidOptionError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AttentionKind } from "./decoder/decoder-options.js";
import { DecoderTransformer } from "./decoder-transformer.js";
import type { NamedWeight } from "./named-weight.js";
import { setupTfjs } from "./tfjs-backend.js";
import { train } from "./train.js";
import type { Trainable } from "./trainable.js";

// Float64 reference of the E2 decoder, written from experiments.md with plain loops and
// computing every position of every block (the tfjs model skips work the readout ignores).
function referenceLogits(
  w: Record<string, NamedWeight>,
  tokens: Int32Array,
  cfg: { V: number; n: number; d: number; h: number; layers: number; attention: AttentionKind },
): Float64Array {
  const { V, n, d, h, layers, attention } = cfg;
  const dk = d / h;
  const g = (name: string) => w[name]!.data;
  const N = tokens.length / n;
  const out = new Float64Array(N * V);
  const layerNorm = (x: Float64Array, prefix: string) => {
    let mean = 0;
    for (const v of x) mean += v / d;
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2 / d;
    const gain = g(`${prefix}.gain`);
    const bias = g(`${prefix}.bias`);
    return x.map((v, q) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gain[q]! + bias[q]!);
  };
  const mat = (x: Float64Array, W: Float64Array, cols: number, b?: Float64Array) => {
    const y = new Float64Array(cols);
    for (let o = 0; o < cols; o++) {
      let s = b ? b[o]! : 0;
      for (let q = 0; q < x.length; q++) s += x[q]! * W[q * cols + o]!;
      y[o] = s;
    }
    return y;
  };
  for (let i = 0; i < N; i++) {
    let xs: Float64Array[] = [];
    for (let k = 0; k < n; k++) {
      const t = tokens[i * n + k]!;
      xs.push(
        Float64Array.from(
          { length: d },
          (_, q) => g("tokenEmbedding")[t * d + q]! + g("positionEmbedding")[k * d + q]!,
        ),
      );
    }
    for (let l = 0; l < layers; l++) {
      const p = `blocks.${l}`;
      const ys = xs.map((x) => layerNorm(x, `${p}.ln1`));
      const Vs = ys.map((y) => mat(y, g(`${p}.attn.WV`), d));
      const Qs = attention === "softmax" ? ys.map((y) => mat(y, g(`${p}.attn.WQ`), d)) : [];
      const Ks = attention === "softmax" ? ys.map((y) => mat(y, g(`${p}.attn.WK`), d)) : [];
      const next: Float64Array[] = [];
      for (let r = 0; r < n; r++) {
        const o = new Float64Array(d);
        for (let j = 0; j < h; j++) {
          const s = new Float64Array(r + 1);
          for (let k = 0; k <= r; k++) {
            if (attention === "softmax") {
              let dot = 0;
              for (let a = 0; a < dk; a++) dot += Qs[r]![j * dk + a]! * Ks[k]![j * dk + a]!;
              s[k] = dot / Math.sqrt(dk);
            } else s[k] = g(`${p}.attn.logits`)[(j * n + r) * n + k]!;
          }
          const m = Math.max(...s);
          const e = s.map((v) => Math.exp(v - m));
          const z = e.reduce((a, b) => a + b, 0);
          for (let k = 0; k <= r; k++)
            for (let a = 0; a < dk; a++) o[j * dk + a]! += (e[k]! / z) * Vs[k]![j * dk + a]!;
        }
        const attn = mat(o, g(`${p}.attn.WO`), d);
        const x1 = xs[r]!.map((v, q) => v + attn[q]!);
        const hidden = mat(
          layerNorm(x1, `${p}.ln2`),
          g(`${p}.mlp.W1`),
          4 * d,
          g(`${p}.mlp.b1`),
        ).map((v) => Math.max(v, 0));
        const m2 = mat(hidden, g(`${p}.mlp.W2`), d, g(`${p}.mlp.b2`));
        next.push(x1.map((v, q) => v + m2[q]!));
      }
      xs = next;
    }
    out.set(mat(layerNorm(xs[n - 1]!, "lnFinal"), g("readout"), V), i * V);
  }
  return out;
}

function additionTask(p: number): { tokens: Int32Array; labels: Int32Array } {
  const tokens: number[] = [];
  const labels: number[] = [];
  for (let x = 0; x < p; x++)
    for (let y = 0; y < p; y++) {
      tokens.push(x, p, y, p + 1);
      labels.push((x + y) % p);
    }
  return { tokens: Int32Array.from(tokens), labels: Int32Array.from(labels) };
}

beforeAll(async () => {
  await setupTfjs();
});

describe("DecoderTransformer", () => {
  it.each(["softmax", "simplex"] as const)(
    "%s: logits equal the float64 reference of the spec",
    (attention) => {
      const cfg = { V: 9, n: 4, d: 16, h: 4, layers: 2, attention };
      const model = new DecoderTransformer({
        vocabSize: 9,
        sequenceLength: 4,
        width: 16,
        heads: 4,
        layers: 2,
        attention,
        seed: 3,
      });
      // perturb every parameter (simplex logits, LayerNorm gains and biases are not random at init)
      const rng = createRng(9);
      const weights = model.exportWeights();
      for (const w of Object.values(weights))
        for (let e = 0; e < w.data.length; e++)
          w.data[e] = Math.fround(w.data[e]! + 0.3 * rng.normal());
      model.loadWeights(weights);
      const tokens = Int32Array.from({ length: 6 * 4 }, () => rng.integer(0, 9));
      const got = model.logits(tokens);
      const want = referenceLogits(weights, tokens, cfg);
      const scale = Math.max(...Array.from(want, Math.abs));
      for (let e = 0; e < want.length; e++)
        expect(Math.abs(got[e]! - want[e]!)).toBeLessThan(2e-5 * scale);
      model.dispose();
    },
  );

  it.each(["softmax", "simplex"] as const)(
    "%s: hand-written gradients equal tfjs autodiff and finite differences of the float64 reference",
    (attention) => {
      const cfg = { V: 9, n: 4, d: 16, h: 4, layers: 2, attention };
      const model = new DecoderTransformer({
        vocabSize: 9,
        sequenceLength: 4,
        width: 16,
        heads: 4,
        layers: 2,
        attention,
        seed: 4,
      });
      const rng = createRng(11);
      const weights = model.exportWeights();
      for (const w of Object.values(weights))
        for (let e = 0; e < w.data.length; e++)
          w.data[e] = Math.fround(w.data[e]! + 0.3 * rng.normal());
      model.loadWeights(weights);
      const b = 6;
      const tokens = Int32Array.from({ length: b * 4 }, () => rng.integer(0, 9));
      const labels = Int32Array.from({ length: b }, () => rng.integer(0, 9));
      const data = model.dataset(tokens, labels);
      const batch = { inputs: data.inputs, targets: data.targets };
      const vars = model.trainableVariables as tf.Variable[];
      const names = Object.keys(weights);
      const before = tf.memory().numTensors;
      let manual: Float64Array[] = [];
      let auto: Float64Array[] = [];
      let value = Number.NaN;
      let autoValue = Number.NaN;
      tf.tidy(() => {
        const m = model.lossAndGradients(batch, b);
        const a = tf.variableGrads(() => model.batchLoss(batch, b), vars);
        manual = m.grads.map((g) => Float64Array.from(g.dataSync()));
        auto = vars.map((v) => Float64Array.from(a.grads[v.name]!.dataSync()));
        value = m.value.dataSync()[0]!;
        autoValue = a.value.dataSync()[0]!;
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(value).toBe(autoValue);
      // the float64 reference loss: mean cross-entropy of the reference logits
      const referenceLoss = (w: Record<string, NamedWeight>) => {
        const logits = referenceLogits(w, tokens, cfg);
        let total = 0;
        for (let i = 0; i < b; i++) {
          const row = logits.subarray(i * cfg.V, (i + 1) * cfg.V);
          const m = Math.max(...row);
          const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
          total += lse - row[labels[i]!]!;
        }
        return total / b;
      };
      expect(Math.abs(referenceLoss(weights) - value)).toBeLessThan(1e-5 * Math.abs(value));
      names.forEach((name, k) => {
        const g = manual[k]!;
        const ga = auto[k]!;
        const scale = Math.max(1e-3, ...Array.from(ga, Math.abs));
        for (let e = 0; e < g.length; e++)
          expect(Math.abs(g[e]! - ga[e]!)).toBeLessThan(1e-4 * scale);
        // central differences in float64 at three entries of every parameter
        const w = weights[name]!;
        for (let t = 0; t < 3; t++) {
          const e = rng.integer(0, w.data.length);
          const x0 = w.data[e]!;
          const step = 1e-5;
          w.data[e] = x0 + step;
          const up = referenceLoss(weights);
          w.data[e] = x0 - step;
          const down = referenceLoss(weights);
          w.data[e] = x0;
          const fd = (up - down) / (2 * step);
          expect(Math.abs(g[e]! - fd)).toBeLessThan(1e-4 + 2e-3 * Math.abs(fd));
        }
      });
      data.dispose();
      model.dispose();
    },
  );

  it("train() takes the hand-written gradients: same step losses as tfjs autodiff", async () => {
    const { tokens, labels } = additionTask(5);
    const losses = async (handWritten: boolean) => {
      const model = new DecoderTransformer({
        vocabSize: 7,
        sequenceLength: 4,
        width: 16,
        heads: 2,
        layers: 2,
        seed: 6,
      });
      const data = model.dataset(tokens, labels);
      const trainable: Trainable = handWritten
        ? model
        : {
            trainableVariables: model.trainableVariables,
            batchLoss: (batch, n) => model.batchLoss(batch, n),
            afterStep: () => model.afterStep(),
            evaluate: (set) => model.evaluate(set),
          };
      const result = await train(trainable, data, {
        optimizer: "adamw",
        learningRate: 3e-3,
        weightDecay: 0.1,
        steps: 8,
        batchSize: 10,
        seed: 2,
      });
      data.dispose();
      model.dispose();
      return result.stepLosses;
    };
    const fast = await losses(true);
    const tape = await losses(false);
    expect(fast.length).toBe(8);
    for (let s = 0; s < 8; s++) expect(Math.abs(fast[s]! - tape[s]!)).toBeLessThan(1e-4 * tape[s]!);
  });

  it("initializes as PyTorch's defaults", () => {
    const model = new DecoderTransformer({
      vocabSize: 99,
      sequenceLength: 4,
      width: 128,
      heads: 4,
      layers: 1,
      seed: 1,
    });
    const w = model.exportWeights();
    const std = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(std(w.tokenEmbedding!.data)).toBeGreaterThan(0.95);
    expect(std(w.tokenEmbedding!.data)).toBeLessThan(1.05);
    expect(std(w.positionEmbedding!.data)).toBeLessThan(0.03);
    expect(Math.max(...Array.from(w["blocks.0.mlp.W2"]!.data, Math.abs))).toBeLessThanOrEqual(
      1 / Math.sqrt(512),
    );
    expect(Math.max(...Array.from(w["blocks.0.mlp.b1"]!.data, Math.abs))).toBeLessThanOrEqual(
      1 / Math.sqrt(128),
    );
    expect(Array.from(new Set(w["blocks.0.ln1.gain"]!.data))).toEqual([1]);
    expect(w.readout!.shape).toEqual([128, 99]);
    model.dispose();
    const simplex = new DecoderTransformer({
      vocabSize: 5,
      sequenceLength: 4,
      width: 8,
      heads: 2,
      layers: 1,
      attention: "simplex",
    });
    expect(Array.from(new Set(simplex.exportWeights()["blocks.0.attn.logits"]!.data))).toEqual([0]);
    simplex.dispose();
  });

  it.each(["softmax", "simplex"] as const)(
    "%s: memorizes p = 5 addition (train accuracy reaches 1)",
    async (attention) => {
      const { tokens, labels } = additionTask(5);
      const model = new DecoderTransformer({
        vocabSize: 7,
        sequenceLength: 4,
        width: 32,
        heads: 4,
        layers: 1,
        attention,
        seed: 0,
      });
      const data = model.dataset(tokens, labels);
      const result = await train(model, data, {
        optimizer: "adamw",
        learningRate: 3e-3,
        betas: [0.9, 0.98],
        weightDecay: 0.1,
        warmupSteps: 10,
        steps: 600,
        evaluateEvery: 25,
        earlyStop: { metric: "accuracy", target: 1 },
      });
      expect(result.stopReason).toBe("target");
      expect(result.reachedTarget?.accuracy).toBe(1);
      expect(model.evaluate(data).accuracy).toBe(1);
      data.dispose();
      model.dispose();
    },
  );

  it("no tensor leak over 100 mini-batch steps", async () => {
    const { tokens, labels } = additionTask(5);
    const model = new DecoderTransformer({
      vocabSize: 7,
      sequenceLength: 4,
      width: 16,
      heads: 2,
      layers: 2,
    });
    const data = model.dataset(tokens, labels);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const result = await train(model, data, {
      optimizer: "adamw",
      learningRate: 1e-3,
      weightDecay: 1,
      steps: 100,
      batchSize: 8,
      evaluateEvery: 1,
      onEvaluate: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(result.steps).toBe(100);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
    model.dispose();
  });

  it("rejects bad configurations with typed errors naming the argument", () => {
    const base = { vocabSize: 7, sequenceLength: 4, width: 30, heads: 4, layers: 1 };
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as ConvexformerError;
      }
      throw new Error("did not throw");
    };
    const e1 = err(() => new DecoderTransformer(base));
    expect(e1).toBeInstanceOf(InvalidOptionError);
    expect(e1.argument).toBe("heads");
    const e2 = err(
      () => new DecoderTransformer({ ...base, width: 32, attention: "linear" as AttentionKind }),
    );
    expect(e2.argument).toBe("attention");
    expect(e2.message).toContain("unknown attention kind");
    const e3 = err(() => new DecoderTransformer({ ...base, width: 32, layers: 0 }));
    expect(e3.argument).toBe("layers");
    const model = new DecoderTransformer({ ...base, width: 32 });
    expect(
      err(() => model.dataset(new Int32Array([0, 1, 2, 9]), new Int32Array([0]))).argument,
    ).toBe("tokens[3]");
    expect(err(() => model.dataset(new Int32Array([0, 1, 2]), new Int32Array([0]))).code).toBe(
      "shape-mismatch",
    );
    const w = model.exportWeights();
    expect(
      err(() => model.loadWeights({ ...w, extra: { shape: [1], data: new Float64Array(1) } }))
        .argument,
    ).toBe("weights.extra");
    const { readout: _, ...missing } = w;
    expect(err(() => model.loadWeights(missing)).argument).toBe("weights.readout");
    model.dispose();
  });
});
