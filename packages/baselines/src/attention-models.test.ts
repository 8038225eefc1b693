import type { AttentionWeights, LossName } from "@convexformer/attention";
import { createRng, TokenBatch } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AttentionModel } from "./attention-model.js";
import { SequenceHeads } from "./sequence-heads.js";
import { SimplexAttention } from "./simplex-attention.js";
import { SimplexHeads } from "./simplex-heads.js";
import { StandardAttention } from "./standard-attention.js";
import { setupTfjs } from "./tfjs-backend.js";
import { train } from "./train.js";

// ---------------------------------------------------------------------------------------
// Float64 reference: the spec's formulas as plain loops (convex-attention.md §2).
// X entry (i, k, q) = X[(i*n + k)*d + q]. Targets: Float64Array, or Int32Array classes (CE).
// ---------------------------------------------------------------------------------------

type Kind = "standard" | "simplex" | "heads" | "sequence";
type Raw = Record<string, Float64Array>;
interface Dims {
  N: number;
  n: number;
  d: number;
  c: number;
  h: number;
  dk: number;
  output: "scalar" | "vector" | "sequence";
  loss: LossName;
  beta: number;
  scaling: "sum" | "mean";
  readout: number | "mean";
  scale: number;
  gates?: { u1: Float64Array; u2: Float64Array };
}

function softmaxRows(v: Float64Array, len: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let s = 0; s < v.length; s += len) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < len; k++) m = Math.max(m, v[s + k]!);
    let z = 0;
    for (let k = 0; k < len; k++) z += Math.exp(v[s + k]! - m);
    for (let k = 0; k < len; k++) out[s + k] = Math.exp(v[s + k]! - m) / z;
  }
  return out;
}

/** Simplex weights from raw parameters (logits → softmax; projection: as is). */
function simplexOf(raw: Raw, name: string, n: number): Float64Array {
  const logits = raw[`${name}Logits`];
  return logits !== undefined ? softmaxRows(logits, n) : raw[name]!;
}

/** Per-sample output rows `[N, n, c]` (before readout) or `[N, c]` for the heads model. */
function refPredict(kind: Kind, raw: Raw, X: Float64Array, dm: Dims): Float64Array {
  const { N, n, d, c, h, dk } = dm;
  if (kind === "heads") {
    const w1 = simplexOf(raw, "w1", n);
    const w2 = raw.w2!;
    const alpha = raw.alpha!;
    const y = new Float64Array(N * c);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < h; j++) {
        let s = 0;
        let g = 0;
        for (let k = 0; k < n; k++) {
          for (let q = 0; q < d; q++) {
            const x = X[(i * n + k) * d + q]!;
            s += w1[j * n + k]! * x * w2[j * d + q]!;
            if (dm.gates) g += dm.gates.u1[j * n + k]! * x * dm.gates.u2[j * d + q]!;
          }
        }
        if (dm.gates && !(g >= 0)) continue;
        for (let l = 0; l < c; l++) y[i * c + l]! += s * alpha[j * c + l]!;
      }
    }
    return y;
  }
  const rows = new Float64Array(N * n * c);
  for (let i = 0; i < N; i++) {
    const Xi = (k: number, q: number) => X[(i * n + k) * d + q]!;
    if (kind === "sequence") {
      const W1 = simplexOf(raw, "W1", n);
      const W2 = raw.W2!;
      const alpha = raw.alpha!;
      for (let j = 0; j < h; j++) {
        for (let r = 0; r < n; r++) {
          for (let l = 0; l < c; l++) {
            let s = 0;
            for (let k = 0; k < n; k++) {
              let xw = 0;
              for (let q = 0; q < d; q++) xw += Xi(k, q) * W2[(j * d + q) * c + l]!;
              s += W1[(j * n + r) * n + k]! * xw;
            }
            rows[(i * n + r) * c + l]! += alpha[j]! * s;
          }
        }
      }
      continue;
    }
    const W = h * dk;
    const proj = (M: Float64Array, j: number) => {
      const P = new Float64Array(n * dk);
      for (let k = 0; k < n; k++)
        for (let a = 0; a < dk; a++) {
          let s = 0;
          for (let q = 0; q < d; q++) s += Xi(k, q) * M[q * W + j * dk + a]!;
          P[k * dk + a] = s;
        }
      return P;
    };
    for (let j = 0; j < h; j++) {
      let A: Float64Array;
      if (kind === "standard") {
        const Q = proj(raw.WQ!, j);
        const K = proj(raw.WK!, j);
        const S = new Float64Array(n * n);
        for (let r = 0; r < n; r++)
          for (let k = 0; k < n; k++) {
            let s = 0;
            for (let a = 0; a < dk; a++) s += Q[r * dk + a]! * K[k * dk + a]!;
            S[r * n + k] = dm.scale * s;
          }
        A = softmaxRows(S, n);
      } else {
        A = simplexOf(raw, "W1", n).subarray(j * n * n, (j + 1) * n * n);
      }
      const V = proj(raw.WV!, j);
      for (let r = 0; r < n; r++)
        for (let a = 0; a < dk; a++) {
          let o = 0;
          for (let k = 0; k < n; k++) o += A[r * n + k]! * V[k * dk + a]!;
          for (let l = 0; l < c; l++)
            rows[(i * n + r) * c + l]! += o * raw.WO![(j * dk + a) * c + l]!;
        }
    }
  }
  if (dm.output === "sequence") return rows;
  const y = new Float64Array(N * c);
  for (let i = 0; i < N; i++)
    for (let l = 0; l < c; l++) {
      if (dm.readout === "mean") {
        let s = 0;
        for (let r = 0; r < n; r++) s += rows[(i * n + r) * c + l]!;
        y[i * c + l] = s / n;
      } else y[i * c + l] = rows[(i * n + dm.readout) * c + l]!;
    }
  return y;
}

function refLoss(
  loss: LossName,
  yhat: Float64Array,
  targets: Float64Array | Int32Array,
  c: number,
): number {
  let total = 0;
  if (loss === "cross-entropy") {
    for (let r = 0; r < yhat.length / c; r++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let l = 0; l < c; l++) m = Math.max(m, yhat[r * c + l]!);
      let z = 0;
      for (let l = 0; l < c; l++) z += Math.exp(yhat[r * c + l]! - m);
      const lse = m + Math.log(z);
      if (targets instanceof Int32Array) total += lse - yhat[r * c + targets[r]!]!;
      else for (let l = 0; l < c; l++) total += targets[r * c + l]! * (lse - yhat[r * c + l]!);
    }
    return total;
  }
  for (let e = 0; e < yhat.length; e++) {
    const t = targets[e]!;
    total += loss === "squared" ? 0.5 * (yhat[e]! - t) ** 2 : Math.log1p(Math.exp(-t * yhat[e]!));
  }
  return total;
}

function sq(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return s;
}

function refPenalty(kind: Kind, raw: Raw, dm: Dims): number {
  const { h, d, c } = dm;
  let r = 0;
  if (kind === "standard") r = sq(raw.WQ!) + sq(raw.WK!) + sq(raw.WV!) + sq(raw.WO!);
  else if (kind === "simplex") r = sq(raw.WV!) + sq(raw.WO!);
  else if (kind === "heads") {
    r = sq(raw.w2!);
    for (let j = 0; j < h; j++) {
      let l1 = 0;
      for (let l = 0; l < c; l++) l1 += Math.abs(raw.alpha![j * c + l]!);
      r += l1 * l1;
    }
  } else {
    r = sq(raw.alpha!);
    for (let j = 0; j < h; j++) {
      let l1 = 0;
      for (let e = 0; e < d * c; e++) l1 += Math.abs(raw.W2![j * d * c + e]!);
      r += l1 * l1;
    }
  }
  return (dm.beta / 2) * r;
}

function refObjective(
  kind: Kind,
  raw: Raw,
  X: Float64Array,
  Y: Float64Array | Int32Array,
  dm: Dims,
): number {
  const data = refLoss(dm.loss, refPredict(kind, raw, X, dm), Y, dm.output === "scalar" ? 1 : dm.c);
  return (dm.scaling === "mean" ? data / dm.N : data) + refPenalty(kind, raw, dm);
}

// ---------------------------------------------------------------------------------------

interface Case {
  name: string;
  kind: Kind;
  loss: LossName;
  output: "scalar" | "vector" | "sequence";
  simplex?: "softmax" | "projection";
  gated?: boolean;
  scaling?: "sum" | "mean";
  readout?: number | "mean";
}

const N = 12;
const n = 4;
const d = 3;
const h = 3;

function build(cs: Case, seed: number): { model: AttentionModel; dims: Dims } {
  const c = cs.output === "scalar" ? 1 : 3;
  const common = {
    tokens: n,
    features: d,
    outputs: c,
    loss: cs.loss,
    beta: 0.3,
    seed,
    scaling: cs.scaling ?? "sum",
  } as const;
  const dims: Dims = {
    N,
    n,
    d,
    c,
    h,
    dk: 2,
    output: cs.output,
    loss: cs.loss,
    beta: 0.3,
    scaling: cs.scaling ?? "sum",
    readout: cs.readout ?? 0,
    scale: 0.7,
  };
  let model: AttentionModel;
  if (cs.kind === "standard") {
    model = new StandardAttention({
      ...common,
      heads: h,
      headDim: 2,
      output: cs.output,
      readout: dims.readout,
      scoreScale: 0.7,
    });
  } else if (cs.kind === "simplex") {
    model = new SimplexAttention({
      ...common,
      heads: h,
      headDim: 2,
      output: cs.output,
      readout: dims.readout,
      simplex: cs.simplex ?? "softmax",
    });
  } else if (cs.kind === "heads") {
    const m = new SimplexHeads({
      ...common,
      heads: h,
      simplex: cs.simplex ?? "softmax",
      ...(cs.gated ? { gates: "random" as const } : {}),
    });
    if (cs.gated) dims.gates = m.exportWeights().gates!;
    model = m;
  } else {
    model = new SequenceHeads({ ...common, heads: h, simplex: cs.simplex ?? "softmax" });
  }
  return { model, dims };
}

function makeData(cs: Case, seed: number): { X: TokenBatch; Y: Float64Array | Int32Array } {
  const rng = createRng(seed);
  const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
  const c = cs.output === "scalar" ? 1 : 3;
  const rows = cs.output === "sequence" ? N * n : N;
  if (cs.loss === "cross-entropy")
    return { X, Y: Int32Array.from({ length: rows }, () => rng.integer(0, c)) };
  const Y = new Float64Array(rows * c);
  for (let e = 0; e < Y.length; e++)
    Y[e] = cs.loss === "logistic" ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
  return { X, Y };
}

function rawOf(model: AttentionModel): Raw {
  const out: Raw = {};
  for (const [name, p] of Object.entries(model.parameters())) out[name] = p.data;
  return out;
}

/** Raw parameters in reference form from exported weights (W1/w1 as simplex weights). */
function rawFromExport(kind: Kind, model: AttentionModel): Raw {
  const w = (model as unknown as { exportWeights(): Record<string, unknown> }).exportWeights();
  const pick = (...names: string[]) =>
    Object.fromEntries(names.map((k) => [k, w[k] as Float64Array]));
  // the exported layout keeps head j's projection as block j (h × d × dk); the reference reads
  // one d × h·dk matrix (head j = columns j·dk …)
  const columns = (name: string): Float64Array => {
    const blocks = w[name] as Float64Array;
    const h = w.heads as number;
    const d = w.features as number;
    const m = w.hidden as number;
    const out = new Float64Array(blocks.length);
    for (let j = 0; j < h; j++)
      for (let q = 0; q < d; q++)
        for (let r = 0; r < m; r++) out[q * h * m + j * m + r] = blocks[(j * d + q) * m + r]!;
    return out;
  };
  if (kind === "standard")
    return { WQ: columns("WQ"), WK: columns("WK"), WV: columns("WV"), WO: w.WO as Float64Array };
  if (kind === "simplex") return { ...pick("W1", "WO"), WV: columns("WV") };
  if (kind === "heads") return pick("w1", "w2", "alpha");
  return pick("W1", "W2", "alpha");
}

const CASES: Case[] = [
  { name: "(3) standard, scalar, squared", kind: "standard", loss: "squared", output: "scalar" },
  {
    name: "(3) standard, vector, cross-entropy, mean readout",
    kind: "standard",
    loss: "cross-entropy",
    output: "vector",
    readout: "mean",
  },
  {
    name: "(3) standard, sequence, logistic, mean scaling",
    kind: "standard",
    loss: "logistic",
    output: "sequence",
    scaling: "mean",
  },
  {
    name: "(4) simplex, sequence, squared, softmax",
    kind: "simplex",
    loss: "squared",
    output: "sequence",
  },
  {
    name: "(4) simplex, vector, cross-entropy, projection",
    kind: "simplex",
    loss: "cross-entropy",
    output: "vector",
    simplex: "projection",
    readout: 2,
  },
  { name: "(8) heads, scalar, logistic", kind: "heads", loss: "logistic", output: "scalar" },
  {
    name: "(8) heads, scalar, squared, projection",
    kind: "heads",
    loss: "squared",
    output: "scalar",
    simplex: "projection",
  },
  {
    name: "(11) heads, vector, cross-entropy",
    kind: "heads",
    loss: "cross-entropy",
    output: "vector",
  },
  {
    name: "(11) heads, vector, squared, mean",
    kind: "heads",
    loss: "squared",
    output: "vector",
    scaling: "mean",
  },
  {
    name: "(13) gated, vector, cross-entropy",
    kind: "heads",
    loss: "cross-entropy",
    output: "vector",
    gated: true,
  },
  {
    name: "(13) gated, scalar, squared, projection",
    kind: "heads",
    loss: "squared",
    output: "scalar",
    gated: true,
    simplex: "projection",
  },
  { name: "(30) sequence heads, squared", kind: "sequence", loss: "squared", output: "sequence" },
  {
    name: "(30) sequence heads, cross-entropy, projection",
    kind: "sequence",
    loss: "cross-entropy",
    output: "sequence",
    simplex: "projection",
  },
];

beforeAll(async () => {
  await setupTfjs();
});

describe.each(CASES)("$name", (cs) => {
  it("tfjs objective of the exported weights equals the float64 objective (relative 1e-5)", async () => {
    const { model, dims } = build(cs, 3);
    const { X, Y } = makeData(cs, 11);
    const data = model.dataset(X, Y);
    // move away from the initialization so every parameter matters
    await train(model, data, { optimizer: "adam", learningRate: 0.05, steps: 15 });
    const tfObjective = model.objective(X, Y);
    const reference = refObjective(cs.kind, rawFromExport(cs.kind, model), X.data, Y, dims);
    expect(Math.abs(tfObjective - reference)).toBeLessThan(1e-5 * Math.abs(reference));
    // predictions too, entry by entry
    const yhat = model.predict(X);
    const yref = refPredict(cs.kind, rawFromExport(cs.kind, model), X.data, dims);
    expect(yhat.length).toBe(yref.length);
    for (let e = 0; e < yref.length; e++)
      expect(Math.abs(yhat[e]! - yref[e]!)).toBeLessThan(2e-5 * (1 + Math.abs(yref[e]!)));
    data.dispose();
    model.dispose();
  });

  it("gradients agree with central finite differences of the float64 objective", () => {
    const { model, dims } = build(cs, 5);
    const { X, Y } = makeData(cs, 13);
    const data = model.dataset(X, Y);
    const { objective, gradients } = model.gradients(data);
    const raw = rawOf(model);
    expect(Math.abs(objective - refObjective(cs.kind, raw, X.data, Y, dims))).toBeLessThan(
      1e-5 * Math.abs(objective),
    );
    const step = 1e-6;
    for (const [name, values] of Object.entries(raw)) {
      const g = gradients[name]!;
      const fd = new Float64Array(values.length);
      for (let e = 0; e < values.length; e++) {
        const keep = values[e]!;
        values[e] = keep + step;
        const up = refObjective(cs.kind, raw, X.data, Y, dims);
        values[e] = keep - step;
        const down = refObjective(cs.kind, raw, X.data, Y, dims);
        values[e] = keep;
        fd[e] = (up - down) / (2 * step);
      }
      let err = 0;
      for (let e = 0; e < fd.length; e++) err = Math.max(err, Math.abs(g[e]! - fd[e]!));
      const scale = Math.max(...Array.from(fd, Math.abs), 1e-3);
      expect(err / scale, `${name}`).toBeLessThan(2e-3);
    }
    data.dispose();
    model.dispose();
  });
});

describe("recovered convex networks load and reproduce the convex predictions", () => {
  // convex variable Z_l (n x d) per output l; recovery: one head per nonzero row (l, k) with
  // w1 = e_k, w2 = z_{l,k}/sqrt(|z_{l,k}|), alpha = sqrt(|z_{l,k}|) e_l (docs/concepts.md#maps)
  function recover(
    Z: Float64Array,
    nn: number,
    dd: number,
    cc: number,
  ): AttentionWeights & { heads: number } {
    const heads: { k: number; l: number; z: Float64Array }[] = [];
    for (let l = 0; l < cc; l++)
      for (let k = 0; k < nn; k++) {
        const z = Z.slice((l * nn + k) * dd, (l * nn + k + 1) * dd);
        if (Math.hypot(...z) > 0) heads.push({ k, l, z });
      }
    const H = heads.length;
    const w1 = new Float64Array(H * nn);
    const w2 = new Float64Array(H * dd);
    const alpha = new Float64Array(H * cc);
    heads.forEach(({ k, l, z }, j) => {
      const norm = Math.hypot(...z);
      w1[j * nn + k] = 1;
      for (let q = 0; q < dd; q++) w2[j * dd + q] = z[q]! / Math.sqrt(norm);
      alpha[j * cc + l] = Math.sqrt(norm);
    });
    return { heads: H, tokens: nn, features: dd, outputs: cc, w1, w2, alpha };
  }

  it.each(["softmax", "projection"] as const)("vector output, %s parameterization", (simplex) => {
    const nn = 5;
    const dd = 3;
    const cc = 2;
    const rng = createRng(21);
    const Z = rng.fillNormal(new Float64Array(cc * nn * dd));
    for (const [l, k] of [
      [0, 1],
      [1, 3],
      [1, 4],
    ] as const)
      Z.fill(0, (l * nn + k) * dd, (l * nn + k + 1) * dd);
    const w = recover(Z, nn, dd, cc);
    expect(w.heads).toBe(7);
    const model = new SimplexHeads({
      tokens: nn,
      features: dd,
      outputs: cc,
      heads: w.heads,
      beta: 0.2,
      simplex,
    });
    model.loadWeights(w);
    const NN = 9;
    const X = new TokenBatch(NN, nn, dd, rng.fillNormal(new Float64Array(NN * nn * dd)));
    const yhat = model.predict(X);
    const Y = rng.fillNormal(new Float64Array(NN * cc));
    let convexLoss = 0;
    for (let i = 0; i < NN; i++)
      for (let l = 0; l < cc; l++) {
        let s = 0; // <Z_l, X_i>
        for (let e = 0; e < nn * dd; e++) s += Z[l * nn * dd + e]! * X.data[i * nn * dd + e]!;
        expect(Math.abs(yhat[i * cc + l]! - s)).toBeLessThan(1e-5 * (1 + Math.abs(s)));
        convexLoss += 0.5 * (s - Y[i * cc + l]!) ** 2;
      }
    let groupNorms = 0;
    for (let g = 0; g < cc * nn; g++) groupNorms += Math.hypot(...Z.subarray(g * dd, (g + 1) * dd));
    const convexObjective = convexLoss + 0.2 * groupNorms;
    expect(Math.abs(model.objective(X, Y) - convexObjective)).toBeLessThan(1e-5 * convexObjective);
    // the exported w1 is exactly the one-hot rows that were loaded
    expect(Array.from(model.exportWeights().w1)).toEqual(Array.from(w.w1));
    model.dispose();
  });

  it("exact instance 2 of the spec: the recovered head attends to token 2, objective 15/128", () => {
    const w = recover(new Float64Array([0, 7 / 8]), 2, 1, 1);
    expect(Array.from(w.w1)).toEqual([0, 1]);
    const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1, beta: 1 / 8 });
    model.loadWeights(w);
    const X = new TokenBatch(1, 2, 1, new Float64Array([0, 1]));
    expect(model.predict(X)[0]).toBeCloseTo(7 / 8, 6);
    expect(model.objective(X, new Float64Array([1]))).toBeCloseTo(15 / 128, 6);
    model.dispose();
  });

  it("exact instance 1 of the spec: two recovered heads reach 15/64", () => {
    const w = recover(new Float64Array([7 / 8, -7 / 8]), 2, 1, 1);
    const model = new SimplexHeads({
      tokens: 2,
      features: 1,
      heads: 2,
      beta: 1 / 8,
      simplex: "projection",
    });
    model.loadWeights(w);
    const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
    expect(model.objective(X, new Float64Array([1, -1]))).toBeCloseTo(15 / 64, 6);
    model.dispose();
  });

  it("a gated network recovered per gate reproduces the gated convex predictions", () => {
    const nn = 3;
    const dd = 2;
    const P = 2; // gates
    const rng = createRng(8);
    const u1 = rng.fillNormal(new Float64Array(P * nn));
    const u2 = rng.fillNormal(new Float64Array(P * dd));
    const Z = rng.fillNormal(new Float64Array(P * nn * dd)); // Z_j (scalar output)
    // one head per (gate j, token k): copy the gate vectors to each head of gate j
    const H = P * nn;
    const w1 = new Float64Array(H * nn);
    const w2 = new Float64Array(H * dd);
    const alpha = new Float64Array(H);
    const g1 = new Float64Array(H * nn);
    const g2 = new Float64Array(H * dd);
    for (let j = 0; j < P; j++)
      for (let k = 0; k < nn; k++) {
        const head = j * nn + k;
        const z = Z.subarray((j * nn + k) * dd, (j * nn + k + 1) * dd);
        const norm = Math.hypot(...z);
        w1[head * nn + k] = 1;
        for (let q = 0; q < dd; q++) w2[head * dd + q] = z[q]! / Math.sqrt(norm);
        alpha[head] = Math.sqrt(norm);
        g1.set(u1.subarray(j * nn, (j + 1) * nn), head * nn);
        g2.set(u2.subarray(j * dd, (j + 1) * dd), head * dd);
      }
    const model = new SimplexHeads({ tokens: nn, features: dd, heads: H, gates: "random" });
    model.loadWeights({
      heads: H,
      tokens: nn,
      features: dd,
      outputs: 1,
      w1,
      w2,
      alpha,
      gates: { u1: g1, u2: g2 },
    });
    const NN = 20;
    const X = new TokenBatch(NN, nn, dd, rng.fillNormal(new Float64Array(NN * nn * dd)));
    const yhat = model.predict(X);
    for (let i = 0; i < NN; i++) {
      let y = 0;
      const Xi = X.data.subarray(i * nn * dd, (i + 1) * nn * dd);
      for (let j = 0; j < P; j++) {
        let gate = 0;
        let s = 0;
        for (let k = 0; k < nn; k++)
          for (let q = 0; q < dd; q++) {
            gate += u1[j * nn + k]! * Xi[k * dd + q]! * u2[j * dd + q]!;
            s += Z[(j * nn + k) * dd + q]! * Xi[k * dd + q]!;
          }
        if (gate >= 0) y += s;
      }
      expect(Math.abs(yhat[i]! - y)).toBeLessThan(1e-5 * (1 + Math.abs(y)));
    }
    model.dispose();
  });
});

describe("exact instance 3 of the spec: (3) vs (4)", () => {
  const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
  const Y = new Float64Array([1, 1]);

  it("(4) reaches its optimum 3/4 with both simplex parameterizations", async () => {
    for (const simplex of ["softmax", "projection"] as const) {
      const model = new SimplexAttention({
        tokens: 2,
        features: 1,
        output: "sequence",
        beta: 1,
        simplex,
        seed: 2,
      });
      const data = model.dataset(X, Y);
      const result = await train(model, data, {
        optimizer: "adam",
        learningRate: 0.05,
        steps: 1500,
      });
      expect(result.evaluations.at(-1)!.objective).toBeCloseTo(0.75, 3);
      const w = model.exportWeights();
      // both rows of W_1 attend to the same single token (e_1 with v·o = 1/2, or e_2 with -1/2)
      expect(Math.abs(w.W1[0]! - 0.5)).toBeGreaterThan(0.49);
      expect(Math.abs(w.W1[0]! - w.W1[2]!)).toBeLessThan(0.01);
      expect(Math.abs(model.predict(X)[0]! - 0.5)).toBeLessThan(1e-3);
      data.dispose();
      model.dispose();
    }
  });

  it("(3) never goes below its optimum 1 and approaches it", async () => {
    const model = new StandardAttention({
      tokens: 2,
      features: 1,
      heads: 1,
      output: "sequence",
      beta: 1,
      seed: 4,
    });
    const data = model.dataset(X, Y);
    const result = await train(model, data, {
      optimizer: "adam",
      learningRate: 0.02,
      steps: 600,
      evaluateEvery: 50,
    });
    for (const e of result.evaluations) expect(e.objective).toBeGreaterThan(1 - 1e-5);
    expect(result.evaluations.at(-1)!.objective).toBeLessThan(1.01);
    data.dispose();
    model.dispose();
  });
});

describe("tensor hygiene", () => {
  it("the tensor count is stable over 100 training steps (mini-batches, projection)", async () => {
    const cs: Case = {
      name: "",
      kind: "heads",
      loss: "cross-entropy",
      output: "vector",
      simplex: "projection",
      gated: true,
    };
    const { model } = build(cs, 1);
    const { X, Y } = makeData(cs, 2);
    const data = model.dataset(X, Y);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await train(model, data, {
      optimizer: "adamw",
      learningRate: 0.01,
      weightDecay: 0.1,
      steps: 100,
      batchSize: 5,
      evaluateEvery: 1,
      onEvaluate: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(counts.length).toBe(101);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    for (const M of [StandardAttention, SequenceHeads]) {
      const m = new M({
        tokens: n,
        features: d,
        heads: 3,
        outputs: 1,
        output: "sequence",
        headDim: 1,
      } as never);
      const t0 = tf.memory().numTensors;
      m.dispose();
      expect(tf.memory().numTensors).toBeLessThan(t0);
    }
    data.dispose();
    model.dispose();
  });
});
