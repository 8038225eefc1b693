import {
  type AttentionWeights,
  attentionForward,
  attentionObjective,
  fitConvexAttention,
  lossFromTargets,
  recoverNetwork,
  recoverSequenceNetwork,
  type SequenceWeights,
  type SimplexAttentionWeights,
  type StandardAttentionWeights,
  sampleGates,
  sequenceAttentionForward,
  sequenceAttentionObjective,
  sequenceToConvex,
  simplexAttentionForward,
  simplexAttentionObjective,
  standardAttentionForward,
  standardAttentionObjective,
} from "@convexformer/attention";
import { ConvexformerError, createRng, TokenBatch } from "@convexformer/tensors";
import { beforeAll, describe, expect, it } from "vitest";
import { SequenceHeads } from "./sequence-heads.js";
import { SimplexAttention } from "./simplex-attention.js";
import { SimplexHeads } from "./simplex-heads.js";
import { StandardAttention } from "./standard-attention.js";
import { setupTfjs } from "./tfjs-backend.js";

/**
 * The attention package's float64 evaluators are the ground truth: every tfjs model's
 * exported weights, scored by them, give the model's float32 predictions and objective
 * (relative 1e-5), and what the attention package's recovery maps produce loads into the
 * tfjs models unchanged.
 */

beforeAll(async () => {
  await setupTfjs();
});

const rng = createRng(2024);
const N = 7;
const n = 4;
const d = 6;
const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));

function expectClose(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  expect(worst / Math.max(scale, 1e-30), what).toBeLessThan(1e-5);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** The readout row(s) of `N × n × c` sequence outputs: token `t`'s row, or the mean. */
function readout(rows: Float64Array, c: number, t: number | "mean"): Float64Array {
  const out = new Float64Array(N * c);
  for (let i = 0; i < N; i++)
    for (let l = 0; l < c; l++) {
      if (t === "mean") {
        let s = 0;
        for (let k = 0; k < n; k++) s += rows[(i * n + k) * c + l] as number;
        out[i * c + l] = s / n;
      } else out[i * c + l] = rows[(i * n + t) * c + l] as number;
    }
  return out;
}

describe("exported weights are scored equally by the attention package (float32 vs float64)", () => {
  it("StandardAttention (3), several heads, head width ≠ d/h, score scale 0.6", () => {
    const c = 2;
    const Y = rng.fillNormal(new Float64Array(N * n * c));
    const model = new StandardAttention({
      tokens: n,
      features: d,
      outputs: c,
      heads: 3,
      headDim: 4,
      output: "sequence",
      scoreScale: 0.6,
      beta: 0.3,
      seed: 5,
    });
    const w: StandardAttentionWeights = model.exportWeights();
    expect(w.hidden).toBe(4);
    expect(w.WQ.length).toBe(3 * d * 4);
    expect(w.scoreScale).toBe(0.6);
    expectClose(model.predict(X), standardAttentionForward(w, X), "predictions");
    const objective = standardAttentionObjective(
      w,
      X,
      lossFromTargets(Y, { rows: Y.length / c, outputs: c }),
      0.3,
    );
    expect(rel(model.objective(X, Y), objective)).toBeLessThan(1e-5);
    // the scalar readout of the same weights is token 0's row of the attention layer
    const scalar = new StandardAttention({
      tokens: n,
      features: d,
      heads: 3,
      headDim: 4,
      scoreScale: 0.6,
      outputs: 1,
      seed: 9,
    });
    const ws = scalar.exportWeights();
    expectClose(
      scalar.predict(X),
      readout(standardAttentionForward(ws, X), 1, 0),
      "scalar readout",
    );
    model.dispose();
    scalar.dispose();
  });

  it.each(["softmax", "projection"] as const)(
    "SimplexAttention (4), %s parameterization",
    (simplex) => {
      const c = 3;
      const Y = rng.fillNormal(new Float64Array(N * n * c));
      const model = new SimplexAttention({
        tokens: n,
        features: d,
        outputs: c,
        heads: 2,
        headDim: 5,
        output: "sequence",
        simplex,
        beta: 0.7,
        seed: 3,
      });
      // move W_1 off the uniform start so the layout of every head matters
      const start = model.exportWeights();
      const W1 = new Float64Array(start.W1.length);
      for (let r = 0; r < W1.length / n; r++) {
        const row = Array.from({ length: n }, () => rng.uniform() + 0.05);
        const s = row.reduce((a, b) => a + b, 0);
        row.forEach((v, k) => {
          W1[r * n + k] = v / s;
        });
      }
      model.loadWeights({ ...start, W1 });
      const w: SimplexAttentionWeights = model.exportWeights();
      expectClose(model.predict(X), simplexAttentionForward(w, X), "predictions");
      const objective = simplexAttentionObjective(
        w,
        X,
        lossFromTargets(Y, { rows: Y.length / c, outputs: c }),
        0.7,
      );
      expect(rel(model.objective(X, Y), objective)).toBeLessThan(1e-5);
      const mean = new SimplexAttention({
        tokens: n,
        features: d,
        outputs: c,
        heads: 2,
        readout: "mean",
        simplex,
        seed: 8,
      });
      expectClose(
        mean.predict(X),
        readout(simplexAttentionForward(mean.exportWeights(), X), c, "mean"),
        "mean readout",
      );
      model.dispose();
      mean.dispose();
    },
  );

  it.each([
    ["(8) scalar", 1, false],
    ["(11) vector", 3, false],
    ["(13) gated", 2, true],
  ] as const)("SimplexHeads %s", (_name, c, gated) => {
    const Y = rng.fillNormal(new Float64Array(N * c));
    const model = new SimplexHeads({
      tokens: n,
      features: d,
      outputs: c,
      heads: 5,
      beta: 0.4,
      seed: 11,
      ...(gated ? { gates: "random" as const } : {}),
    });
    const w: AttentionWeights = model.exportWeights();
    expect(w.gates !== undefined).toBe(gated);
    expectClose(model.predict(X), attentionForward(w, X), "predictions");
    const objective = attentionObjective(
      w,
      X,
      lossFromTargets(Y, { rows: Y.length / c, outputs: c }),
      0.4,
    );
    expect(rel(model.objective(X, Y), objective)).toBeLessThan(1e-5);
    model.dispose();
  });

  it("SequenceHeads (30)", () => {
    const c = 2;
    const Y = rng.fillNormal(new Float64Array(N * n * c));
    const model = new SequenceHeads({
      tokens: n,
      features: d,
      outputs: c,
      heads: 3,
      beta: 0.5,
      seed: 4,
    });
    const w: SequenceWeights = model.exportWeights();
    expectClose(model.predict(X), sequenceAttentionForward(w, X), "predictions");
    const objective = sequenceAttentionObjective(
      w,
      X,
      lossFromTargets(Y, { rows: Y.length / c, outputs: c }),
      0.5,
    );
    expect(rel(model.objective(X, Y), objective)).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe("what the attention package's maps recover loads into the tfjs models", () => {
  it.each(["scalar", "vector", "gated"] as const)("a fitted %s program's network", (kind) => {
    const c = kind === "scalar" ? 1 : 2;
    const fit = fitConvexAttention(X, {
      model: kind,
      targets: rng.fillNormal(new Float64Array(N * c)),
      lambdaRatio: 0.05,
      ...(kind === "gated" ? { gates: 8, gateSeed: 2 } : {}),
    });
    const net = fit.network;
    const model = new SimplexHeads({
      tokens: n,
      features: d,
      outputs: c,
      heads: net.heads,
      ...(net.gates !== undefined ? { gates: net.gates } : {}),
    });
    model.loadWeights(net);
    const fresh = new TokenBatch(5, n, d, rng.fillNormal(new Float64Array(5 * n * d)));
    expectClose(model.predict(fresh), fit.predict(fresh), "new data");
    expectClose(model.predict(X), attentionForward(net, X), "training data");
    // exported back, the one-hot attention rows are exact
    expect(Array.from(model.exportWeights().w1)).toEqual(Array.from(net.w1));
    model.dispose();
  });

  it("recoverNetwork of a random convex point with gates (14)", () => {
    const gates = sampleGates(X, 4, { seed: 1 });
    const P = gates.count;
    const layout = { gates: P, outputs: 1, tokens: n, features: d };
    const z = rng.fillNormal(new Float64Array(P * n * d));
    const net = recoverNetwork(z, layout, gates);
    const model = new SimplexHeads({
      tokens: n,
      features: d,
      heads: net.heads,
      gates: net.gates ?? "random",
      simplex: "projection",
    });
    model.loadWeights(net);
    expectClose(model.predict(X), attentionForward(net, X), "gated predictions");
    model.dispose();
  });

  it("recoverSequenceNetwork of a point of (33)", () => {
    const c = 2;
    const W: SequenceWeights = {
      heads: 2,
      tokens: n,
      features: d,
      outputs: c,
      W1: Float64Array.from({ length: 2 * n * n }, (_, e) => (e % n === (e >> 2) % n ? 1 : 0)),
      W2: rng.fillNormal(new Float64Array(2 * d * c)),
      alpha: new Float64Array([0.5, -1.5]),
    };
    const net = recoverSequenceNetwork(sequenceToConvex(W), {
      tokens: n,
      features: d,
      outputs: c,
      signs: 2,
    });
    const model = new SequenceHeads({ tokens: n, features: d, outputs: c, heads: net.heads });
    model.loadWeights(net);
    expectClose(model.predict(X), sequenceAttentionForward(net, X), "sequence predictions");
    expectClose(model.predict(X), sequenceAttentionForward(W, X), "same function as the original");
    model.dispose();
  });
});

describe("float64 weights in the attention layouts load into the tfjs models (3) and (4)", () => {
  it("StandardAttention.loadWeights: the tfjs model then predicts what standardAttentionForward does", () => {
    const h = 2;
    const m = 3;
    const c = 2;
    const w: StandardAttentionWeights = {
      heads: h,
      features: d,
      hidden: m,
      outputs: c,
      WQ: rng.fillNormal(new Float64Array(h * d * m)).map((v) => 0.4 * v),
      WK: rng.fillNormal(new Float64Array(h * d * m)).map((v) => 0.4 * v),
      WV: rng.fillNormal(new Float64Array(h * d * m)),
      WO: rng.fillNormal(new Float64Array(h * m * c)),
      scoreScale: 0.5,
    };
    const model = new StandardAttention({
      tokens: n,
      features: d,
      outputs: c,
      heads: h,
      headDim: m,
      output: "sequence",
      scoreScale: 0.5,
    });
    model.loadWeights(w);
    expectClose(model.predict(X), standardAttentionForward(w, X), "predictions");
    const back = model.exportWeights();
    expectClose(back.WQ, w.WQ, "WQ round trip");
    expectClose(back.WV, w.WV, "WV round trip");
    model.dispose();
  });

  it("SimplexAttention.loadWeights: exact instance 3 reaches the optimum 3/4 of (4)", () => {
    const s = Math.SQRT1_2;
    const w: SimplexAttentionWeights = {
      heads: 1,
      tokens: 2,
      features: 1,
      hidden: 1,
      outputs: 1,
      W1: new Float64Array([1, 0, 1, 0]),
      WV: new Float64Array([s]),
      WO: new Float64Array([s]),
    };
    const X3 = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
    const Y3 = new Float64Array([1, 1]);
    const model = new SimplexAttention({ tokens: 2, features: 1, output: "sequence", beta: 1 });
    model.loadWeights(w);
    const reference = simplexAttentionObjective(w, X3, lossFromTargets(Y3, { rows: 2 }), 1);
    expect(reference).toBeCloseTo(0.75, 12);
    expect(rel(model.objective(X3, Y3), reference)).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe("weights of one model are not another's", () => {
  it("a type error at compile time, a shape error naming the field at run time", () => {
    const standard = new StandardAttention({
      tokens: n,
      features: d,
      heads: 2,
      output: "sequence",
    });
    const simplex = new SimplexAttention({ tokens: n, features: d, heads: 2, output: "sequence" });
    const heads = new SimplexHeads({ tokens: n, features: d, heads: 2 });
    const field = (f: () => void): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConvexformerError);
        return (e as ConvexformerError).argument ?? "";
      }
      throw new Error("accepted another model's weights");
    };
    // @ts-expect-error: (4)'s weights are not (3)'s
    expect(field(() => standard.loadWeights(simplex.exportWeights()))).toMatch(/^weights\.WQ/);
    // @ts-expect-error: (3)'s weights are not (4)'s
    expect(field(() => simplex.loadWeights(standard.exportWeights()))).toBe("weights.tokens");
    // @ts-expect-error: (8)'s weights are not (4)'s
    expect(field(() => simplex.loadWeights(heads.exportWeights()))).toBe("weights.hidden");
    // the retired layout (headDim, WV as d × h·dk) is refused by its field name
    const old = { ...standard.exportWeights(), headDim: 3, hidden: undefined };
    expect(field(() => standard.loadWeights(old as never))).toBe("weights.hidden");
    // a wrong score scale is refused, not silently applied
    expect(field(() => standard.loadWeights({ ...standard.exportWeights(), scoreScale: 2 }))).toBe(
      "weights.scoreScale",
    );
    standard.dispose();
    simplex.dispose();
    heads.dispose();
  });
});
