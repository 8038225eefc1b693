import {
  ConvexformerError,
  CorruptFileError,
  createRng,
  TokenBatch,
  UnsupportedFormatError,
} from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { attentionForward } from "./attention-network.js";
import type { AttentionProgramKind } from "./attention-program-kind.js";
import type { AttentionWeights } from "./attention-weights.js";
import { fitConvexAttention } from "./fit-convex-attention.js";
import type { FitOptions } from "./fit-options.js";
import type { FitResult } from "./fit-result.js";
import { fittedModel } from "./fitted-model.js";
import { parseFittedModel, serializeFittedModel } from "./fitted-model-json.js";
import { sequenceAttentionForward } from "./sequence-attention.js";
import type { SequenceWeights } from "./sequence-weights.js";
import { simplexAttentionForward } from "./simplex-attention.js";
import type { SimplexAttentionWeights } from "./simplex-attention-weights.js";
import { standardAttentionForward } from "./standard-attention.js";
import type { StandardAttentionWeights } from "./standard-attention-weights.js";

const rng = createRng(77);
const batch = (N: number, n: number, d: number) =>
  new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));

function fitOf(model: AttentionProgramKind): { fit: FitResult; train: TokenBatch } {
  const n = 3;
  const d = 2;
  const train = batch(12, n, d);
  const sequence = model === "sequence" || model === "sequence-relaxed";
  const c = model === "scalar" ? 1 : 2;
  const rows = sequence ? train.samples * n : train.samples;
  const options: FitOptions = {
    model,
    targets: rng.fillNormal(new Float64Array(rows * c)),
    outputs: c,
    lambdaRatio: 0.2,
    tolerance: 1e-10,
    maxIterations: 50000,
    ...(model === "gated" ? { gates: 6, gateSeed: 3 } : {}),
  };
  return { fit: fitConvexAttention(train, options), train };
}

const KINDS: readonly AttentionProgramKind[] = [
  "scalar",
  "vector",
  "gated",
  "sequence",
  "sequence-relaxed",
];

describe("fitted models", () => {
  for (const kind of KINDS) {
    it(`${kind}: predict on the training batch equals the convex model A(X)z; JSON round trip predicts identical numbers`, () => {
      const { fit, train } = fitOf(kind);
      expect(fit.model).toBe(kind);
      const y = new Float64Array(fit.problem.operator.rows);
      fit.problem.operator.apply(fit.solution, y);
      const p = fit.predict(train);
      expect(p.length).toBe(y.length);
      let worst = 0;
      for (let i = 0; i < y.length; i++)
        worst = Math.max(worst, Math.abs((p[i] as number) - (y[i] as number)));
      expect(worst).toBeLessThan(1e-10);

      const fresh = batch(5, 3, 2);
      const before = fit.predict(fresh);
      if (fit.model === "sequence") {
        expect(Array.from(before)).toEqual(
          Array.from(sequenceAttentionForward(fit.network, fresh)),
        );
      } else if (fit.model !== "sequence-relaxed") {
        expect(Array.from(before)).toEqual(Array.from(attentionForward(fit.network, fresh)));
      }
      const text = serializeFittedModel(fit);
      const loaded = parseFittedModel(text, "model.json");
      expect(loaded.model).toBe(kind);
      expect(Array.from(loaded.predict(fresh))).toEqual(Array.from(before));
      // only the model is saved, and saving the loaded model gives the same text
      expect(serializeFittedModel(loaded)).toBe(text);
    });
  }

  it("the gated model keeps its gates: predictions on new data use the gate patterns there", () => {
    const { fit } = fitOf("gated");
    if (fit.model !== "gated") throw new Error("unreachable");
    expect(fit.network.gates).toBeDefined();
    const loaded = parseFittedModel(serializeFittedModel(fit));
    if (loaded.model !== "gated") throw new Error("unreachable");
    expect(Array.from(loaded.network.gates?.u1 ?? [])).toEqual(
      Array.from(fit.network.gates?.u1 ?? []),
    );
  });

  it("fittedModel copies its input and rejects inconsistent models naming the field", () => {
    const w1 = new Float64Array([0, 1]);
    const network: AttentionWeights = {
      heads: 1,
      tokens: 2,
      features: 1,
      outputs: 1,
      w1,
      w2: new Float64Array([2]),
      alpha: new Float64Array([0.5]),
    };
    const m = fittedModel({ model: "scalar", network });
    w1[0] = 1;
    w1[1] = 0;
    expect(Array.from(m.predict(new TokenBatch(1, 2, 1, new Float64Array([5, 3]))))).toEqual([3]);
    const errorOf = (f: () => unknown): ConvexformerError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConvexformerError);
        return e as ConvexformerError;
      }
      throw new Error("did not throw");
    };
    expect(
      errorOf(() =>
        fittedModel({ model: "gated", network: { ...network, w1: new Float64Array([0, 1]) } }),
      ).argument,
    ).toBe("weights.gates");
    expect(
      errorOf(() =>
        fittedModel({
          model: "scalar",
          network: {
            ...network,
            w1: new Float64Array([0, 1]),
            outputs: 2,
            alpha: new Float64Array(2),
          },
        }),
      ).argument,
    ).toBe("weights.outputs");
    expect(errorOf(() => m.predict(new TokenBatch(1, 3, 1, new Float64Array(3)))).code).toBe(
      "shape-mismatch",
    );
  });

  it("corrupt JSON is a typed error naming the field", () => {
    const { fit } = fitOf("vector");
    const good = JSON.parse(serializeFittedModel(fit)) as Record<string, unknown> & {
      network: Record<string, unknown>;
    };
    const variant = (edit: (o: typeof good) => void): string => {
      const o = JSON.parse(JSON.stringify(good)) as typeof good;
      edit(o);
      return JSON.stringify(o);
    };
    const failure = (text: string): ConvexformerError => {
      try {
        parseFittedModel(text, "fit.json");
      } catch (e) {
        expect(e).toBeInstanceOf(ConvexformerError);
        expect((e as Error).message).toContain("fit.json");
        return e as ConvexformerError;
      }
      throw new Error("parsed a corrupt model");
    };
    const cases: [string, string, string][] = [
      ["{not json", "corrupt-file", "text"],
      ["[1, 2]", "corrupt-file", "text"],
      [
        variant((o) => {
          o.format = "other";
        }),
        "unsupported-format",
        "format",
      ],
      [
        variant((o) => {
          o.version = 2;
        }),
        "unsupported-format",
        "version",
      ],
      [
        variant((o) => {
          o.model = "softmax";
        }),
        "corrupt-file",
        "model",
      ],
      [
        variant((o) => {
          delete (o as Partial<typeof good>).network;
        }),
        "corrupt-file",
        "network",
      ],
      [
        variant((o) => {
          o.network.heads = 1.5;
        }),
        "corrupt-file",
        "network.heads",
      ],
      [
        variant((o) => {
          o.network.outputs = "2";
        }),
        "corrupt-file",
        "network.outputs",
      ],
      [
        variant((o) => {
          o.network.tokens = 2 ** 40;
        }),
        "corrupt-file",
        "network.tokens",
      ],
      [
        variant((o) => {
          (o.network.w2 as number[]).pop();
        }),
        "corrupt-file",
        "network.w2",
      ],
      [
        variant((o) => {
          (o.network.alpha as unknown[])[1] = null;
        }),
        "corrupt-file",
        "network.alpha[1]",
      ],
      [
        variant((o) => {
          o.network.w1 = "abc";
        }),
        "corrupt-file",
        "network.w1",
      ],
      // a row of w1 off the simplex: the model's own check, renamed to the file's field
      [
        variant((o) => {
          (o.network.w1 as number[])[0] = 5;
        }),
        "corrupt-file",
        "network.w1",
      ],
      [
        variant((o) => {
          o.network.gates = { u1: [1], u2: [1] };
        }),
        "corrupt-file",
        "network.gates.u1",
      ],
    ];
    for (const [text, code, field] of cases) {
      const e = failure(text);
      expect(e.code, text).toBe(code);
      expect(e.argument ?? "", text).toMatch(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}`));
    }
    expect(
      failure(
        variant((o) => {
          o.format = "x";
        }),
      ),
    ).toBeInstanceOf(UnsupportedFormatError);
    expect(failure("{")).toBeInstanceOf(CorruptFileError);
  });

  it("types: results are narrowed by model, and weights of one model are not another's", () => {
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    const scalar = fitConvexAttention(X, {
      model: "scalar",
      targets: new Float64Array([1, -1]),
      lambda: 1 / 8,
    });
    // compiles without a cast: the result of a scalar fit has AttentionWeights
    expect(attentionForward(scalar.network, X).length).toBe(2);
    const sequence = fitConvexAttention(X, {
      model: "sequence",
      targets: new Float64Array([1, -1, 0, 1]),
      lambda: 0.1,
    });
    expect(sequenceAttentionForward(sequence.network, X).length).toBe(4);
    // @ts-expect-error: a sequence network is not an AttentionWeights
    expect(() => attentionForward(sequence.network, X)).toThrow(ConvexformerError);
    const simplex: SimplexAttentionWeights = {
      heads: 1,
      tokens: 2,
      features: 1,
      hidden: 1,
      outputs: 1,
      W1: new Float64Array([1, 0, 1, 0]),
      WV: new Float64Array([1]),
      WO: new Float64Array([1]),
    };
    const standard: StandardAttentionWeights = {
      heads: 1,
      features: 1,
      hidden: 1,
      outputs: 1,
      WQ: new Float64Array([1]),
      WK: new Float64Array([1]),
      WV: new Float64Array([1]),
      WO: new Float64Array([1]),
    };
    const seq: SequenceWeights = {
      heads: 1,
      tokens: 2,
      features: 1,
      outputs: 1,
      W1: new Float64Array([1, 0, 1, 0]),
      W2: new Float64Array([1]),
      alpha: new Float64Array([1]),
    };
    // @ts-expect-error: simplex-attention weights are not standard-attention weights
    expect(() => standardAttentionForward(simplex, X)).toThrow(/weights\.WQ/);
    // @ts-expect-error: standard-attention weights are not simplex-attention weights
    expect(() => simplexAttentionForward(standard, X)).toThrow(/weights\.tokens/);
    // @ts-expect-error: sequence weights (30) are not simplex-attention weights (4)
    expect(() => simplexAttentionForward(seq, X)).toThrow(/weights\.hidden/);
    const unknown = ((): FitResult => scalar)();
    // @ts-expect-error: the union's network is not known to be AttentionWeights before narrowing
    attentionForward(unknown.network, X);
    if (unknown.model === "vector") expect(attentionForward(unknown.network, X)).toBeDefined();
  });
});
