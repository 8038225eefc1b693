// Renders one example of every figure kind from real computations into docs/figures/
// (<name>.svg + <name>.json), prints the terminal versions, and screenshots every SVG to PNG
// with Debian's chromium (for the visual check; PNGs go to --png <dir>, default a temp dir).
//
//   pnpm --filter @convexformer/interpret figures [-- --out <dir>] [--png <dir>] [--no-png]
//
// What is computed (nothing is made up):
// - token map, convergence, sparsity path: fitConvexAttention / the registered solvers on a
//   planted student–teacher problem (program (12), 3 outputs reading tokens 3, 6 and 3 + 8);
// - model comparison: the exact sequence program (33) solved by FISTA, and the simplex layer (4)
//   and standard softmax attention (3) trained by Adam on the same task (every token's target is
//   feature 1 of token 3) through the float64 evaluators of @convexformer/attention, with
//   central-difference gradients (these models have 14 and 48 parameters);
// - grokking curves: x + y mod 11, train/validation accuracy of the convex programs (14)
//   (gated, cross-entropy) and (12) after k FISTA iterations. The transformer curves of
//   experiment E2 (softmax vs simplex decoders) come from @convexformer/experiments later.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  fitConvexAttention,
  type GateVectors,
  gatedAttentionProblem,
  type SimplexAttentionWeights,
  type StandardAttentionWeights,
  simplexAttentionObjective,
  standardAttentionObjective,
  vectorAttentionProblem,
} from "@convexformer/attention";
import {
  type AccuracyCurve,
  convergenceFigure,
  type Figure,
  grokkingFigure,
  headTableOf,
  mapSparsity,
  modelComparisonFigure,
  pathSummaryOf,
  simplexMaps,
  softmaxAttentionMaps,
  sparsityPathFigure,
  terminalHeatmap,
  terminalLines,
  tokenMapFigure,
  tokenMapOf,
} from "@convexformer/interpret";
import { writeFigure } from "@convexformer/interpret/node";
import { crossEntropyLoss, getSolver, squaredLoss } from "@convexformer/solvers";
import { createRng, Matrix, TokenBatch } from "@convexformer/tensors";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = resolve(option("--out") ?? join(here, "../../../docs/figures"));
const figures: [string, Figure][] = [];
const terminal: string[] = [];
const log = (s: string) => {
  console.log(s);
  terminal.push(s);
};

// ---- 1. planted student–teacher problem, program (12) ------------------------------------
const rng = createRng(7);
const N = 80;
const n = 8;
const d = 4;
const split = 60; // first 60 samples train, last 20 test
const all = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
const teacher = (X: TokenBatch, i: number): [number, number, number] => [
  X.get(i, 2, 0) + 0.5 * X.get(i, 2, 1),
  X.get(i, 5, 2),
  X.get(i, 2, 3) - X.get(i, 7, 0),
];
const slice = (from: number, to: number) =>
  new TokenBatch(to - from, n, d, all.data.slice(from * n * d, to * n * d));
const train = slice(0, split);
const test = slice(split, N);
const targets = (X: TokenBatch) => {
  const y = new Float64Array(X.samples * 3);
  for (let i = 0; i < X.samples; i++) y.set(teacher(X, i), 3 * i);
  for (let e = 0; e < y.length; e++) y[e] = (y[e] as number) + 0.05 * (rng.normal() as number);
  return y;
};
const yTrain = targets(train);
const yTest = targets(test);
const fit = fitConvexAttention(train, {
  model: "vector",
  targets: yTrain,
  outputs: 3,
  lambdaRatio: 0.05,
  tolerance: 1e-9,
});
const map = tokenMapOf(fit);
log(
  `program (12): status ${fit.solve.status}, relative gap ${fit.certificate.relativeGap.toExponential(2)}, heads needed ${fit.headsNeeded}`,
);
figures.push(["token-map", await tokenMapFigure(map)]);
if (map.kind === "token") {
  log(
    terminalHeatmap(map.perOutput, {
      title: "token map ‖z‖ of program (12)",
      rowLabels: ["output 1", "output 2", "output 3"],
    }),
  );
  log(
    `support: ${map.support.rows} rows on ${map.support.tokens} tokens, bound N·c + 1 = ${map.support.bound}`,
  );
}
log(
  `heads: ${JSON.stringify(headTableOf(fit).map((h) => ("token" in h ? [h.token, h.output, Number(h.norm.toFixed(3))] : [])))}`,
);

// ---- 2. convergence of the registered solvers on the same problem ------------------------
const runs = ["fista", "admm", "ipm"].map((name) =>
  getSolver(name).solve(fit.problem, { tolerance: 1e-10, maxIterations: 5000 }),
);
for (const r of runs)
  log(
    `${r.solver}: ${r.status} after ${r.iterations} iterations, ${r.timings.totalMs.toFixed(1)} ms`,
  );
figures.push(["convergence", await convergenceFigure(runs)]);
log(
  terminalLines(
    runs.map((r) => ({ name: r.solver, values: r.history.map((h) => h.relativeGap) })),
    { title: "relative gap per iteration", logY: true, height: 8 },
  ),
);

// ---- 3. sparsity along a λ path, with train/test error -----------------------------------
const top = fit.lambdaMax;
const lambdas = Array.from({ length: 14 }, (_, k) => top * 10 ** (-2.6 * (k / 13)));
const pathFit = fitConvexAttention(train, {
  model: "vector",
  targets: yTrain,
  outputs: 3,
  lambdaPath: lambdas,
  tolerance: 1e-8,
  prune: false,
});
const mse = (X: TokenBatch, y: Float64Array) => (x: Float64Array) => {
  const p = vectorAttentionProblem(X, squaredLoss(y, { outputs: 3 }), 1);
  const pred = new Float64Array(y.length);
  p.operator.apply(x, pred);
  let s = 0;
  for (let e = 0; e < y.length; e++) s += ((pred[e] as number) - (y[e] as number)) ** 2;
  return s / y.length;
};
const path = pathSummaryOf(pathFit, {
  trainError: mse(train, yTrain),
  testError: mse(test, yTest),
});
figures.push([
  "sparsity-path",
  await sparsityPathFigure(path, { errorTitle: "mean squared error" }),
]);
log(
  terminalLines(
    [
      { name: "tokens used", values: path.map((p) => p.tokens) },
      { name: "test MSE ×10", values: path.map((p) => 10 * (p.testError ?? 0)) },
    ],
    { title: "λ path (λ decreasing →)", height: 6 },
  ),
);

// ---- 4. three models on one sequence task -------------------------------------------------
const sN = 40;
const sn = 6;
const sd = 2;
const seq = new TokenBatch(sN, sn, sd, createRng(3).fillNormal(new Float64Array(sN * sn * sd)));
const seqY = new Float64Array(sN * sn);
for (let i = 0; i < sN; i++) for (let k = 0; k < sn; k++) seqY[i * sn + k] = seq.get(i, 2, 0);
const beta = 1e-2;
const seqFit = fitConvexAttention(seq, {
  model: "sequence",
  targets: seqY,
  lambda: beta,
  tolerance: 1e-8,
  maxIterations: 20000,
});
const seqMap = tokenMapOf(seqFit);
log(
  `program (33): status ${seqFit.solve.status}, relative gap ${seqFit.certificate.relativeGap.toExponential(2)}`,
);
const loss = squaredLoss(seqY);
/** Adam on central-difference gradients of a float64 objective (tiny models only). */
const adam = (theta: Float64Array, f: (t: Float64Array) => number, steps: number, lr: number) => {
  const m = new Float64Array(theta.length);
  const v = new Float64Array(theta.length);
  const g = new Float64Array(theta.length);
  const h = 1e-6;
  for (let s = 1; s <= steps; s++) {
    for (let p = 0; p < theta.length; p++) {
      const t = theta[p] as number;
      theta[p] = t + h;
      const up = f(theta);
      theta[p] = t - h;
      const down = f(theta);
      theta[p] = t;
      g[p] = (up - down) / (2 * h);
    }
    for (let p = 0; p < theta.length; p++) {
      m[p] = 0.9 * (m[p] as number) + 0.1 * (g[p] as number);
      v[p] = 0.999 * (v[p] as number) + 0.001 * (g[p] as number) ** 2;
      const mh = (m[p] as number) / (1 - 0.9 ** s);
      const vh = (v[p] as number) / (1 - 0.999 ** s);
      theta[p] = (theta[p] as number) - (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  return f(theta);
};
const init = createRng(11);
// simplex attention (4): one head, W1 = softmax_row(logits), hidden 1
const simplexOf = (t: Float64Array): SimplexAttentionWeights => {
  const W1 = new Float64Array(sn * sn);
  for (let k = 0; k < sn; k++) {
    let max = -Infinity;
    for (let m = 0; m < sn; m++) max = Math.max(max, t[k * sn + m] as number);
    let z = 0;
    for (let m = 0; m < sn; m++) z += Math.exp((t[k * sn + m] as number) - max);
    for (let m = 0; m < sn; m++) W1[k * sn + m] = Math.exp((t[k * sn + m] as number) - max) / z;
  }
  return {
    heads: 1,
    tokens: sn,
    features: sd,
    hidden: 1,
    outputs: 1,
    W1,
    WV: t.slice(sn * sn, sn * sn + sd),
    WO: t.slice(sn * sn + sd, sn * sn + sd + 1),
  };
};
const simplexTheta = Float64Array.from({ length: sn * sn + sd + 1 }, (_, p) =>
  p < sn * sn ? 0 : 0.5 * (init.normal() as number),
);
const simplexValue = adam(
  simplexTheta,
  (t) => simplexAttentionObjective(simplexOf(t), seq, loss, beta),
  600,
  0.05,
);
// standard attention (3): one head, hidden 2
const standardOf = (t: Float64Array): StandardAttentionWeights => ({
  heads: 1,
  features: sd,
  hidden: 2,
  outputs: 1,
  WQ: t.slice(0, 4),
  WK: t.slice(4, 8),
  WV: t.slice(8, 12),
  WO: t.slice(12, 14),
});
const standardTheta = Float64Array.from({ length: 14 }, () => 0.5 * (init.normal() as number));
const standardValue = adam(
  standardTheta,
  (t) => standardAttentionObjective(standardOf(t), seq, loss, beta),
  600,
  0.05,
);
log(
  `objectives at β = ${beta}: convex (33) ${seqFit.certificate.objective.toFixed(4)}, simplex (4) ${simplexValue.toFixed(4)}, softmax (3) ${standardValue.toFixed(4)}`,
);
const convexMixing = seqMap.kind === "sequence" ? seqMap.mixing : Matrix.zeros(sn, sn);
const simplexMixing = simplexMaps(simplexOf(simplexTheta)).mean;
const softmaxMixing = softmaxAttentionMaps(standardOf(standardTheta), seq).meanOverHeads;
const normalized = (m: Matrix) => {
  const out = m.clone();
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let k = 0; k < m.cols; k++) s += m.get(i, k);
    for (let k = 0; k < m.cols; k++) out.set(i, k, s > 0 ? m.get(i, k) / s : 0);
  }
  return out;
};
for (const [name, m] of [
  ["convex (33)", convexMixing],
  ["simplex (4)", simplexMixing],
  ["softmax (3), mean over inputs", softmaxMixing],
] as const) {
  const s = mapSparsity(normalized(m)).mean;
  log(
    `${name}: entropy/log n ${s.entropy.toFixed(3)}, top-1 mass ${s.topKMass.toFixed(3)}, effective tokens ${s.effectiveTokens.toFixed(2)}, Gini ${s.gini.toFixed(3)}`,
  );
}
figures.push([
  "model-comparison",
  await modelComparisonFigure(
    [
      { model: "convex (33): Σ|C⁺ − C⁻|", map: convexMixing, rowTitle: "output token" },
      { model: "simplex attention (4): W₁", map: simplexMixing },
      { model: "softmax attention (3): mean A", map: softmaxMixing },
    ],
    { title: "Token mixing learned for Y[k] = X[3, 1] (rows normalized)" },
  ),
]);
log(
  terminalHeatmap(normalized(softmaxMixing), { title: "softmax attention (3), mean over inputs" }),
);

// ---- 5. accuracy curves: x + y mod 11 with the convex programs ---------------------------
const p = 11;
const pairs: [number, number][] = [];
for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) pairs.push([a, b]);
const order = createRng(5).permutation(pairs.length);
const half = Math.floor(pairs.length / 2);
const batch = (idx: ArrayLike<number>) => {
  const X = new TokenBatch(idx.length, 4, p + 2);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const [a, b] = pairs[idx[i] as number] as [number, number];
    // sequence [a, +, b, =], one-hot over the p + 2 symbols
    for (const [k, sym] of [
      [0, a],
      [1, p],
      [2, b],
      [3, p + 1],
    ] as const)
      X.data[(i * 4 + k) * (p + 2) + sym] = 1;
    y[i] = (a + b) % p;
  }
  return { X, y };
};
const trainSet = batch(Array.from(order).slice(0, half));
const valSet = batch(Array.from(order).slice(half));
const accuracy = (logits: Float64Array, y: Int32Array) => {
  let hits = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let l = 1; l < p; l++)
      if ((logits[i * p + l] as number) > (logits[i * p + best] as number)) best = l;
    if (best === y[i]) hits++;
  }
  return hits / y.length;
};
const checkpoints = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
const curves: AccuracyCurve[] = [];
for (const model of ["gated", "vector"] as const) {
  const points = [];
  for (const k of checkpoints) {
    const f = fitConvexAttention(trainSet.X, {
      model,
      loss: "cross-entropy",
      targets: trainSet.y,
      outputs: p,
      lambda: 1e-3,
      maxIterations: k,
      tolerance: 1e-12,
      prune: false,
      ...(model === "gated" ? { gates: 64, gateSeed: 1 } : {}),
    });
    const evaluate = (X: TokenBatch, y: Int32Array) => {
      const l = crossEntropyLoss(y, { classes: p });
      const problem =
        model === "gated"
          ? gatedAttentionProblem(X, f.gates as GateVectors, l, 1e-3)
          : vectorAttentionProblem(X, l, 1e-3);
      const logits = new Float64Array(y.length * p);
      problem.operator.apply(f.solution, logits);
      return accuracy(logits, y);
    };
    points.push({
      step: k,
      trainAccuracy: evaluate(trainSet.X, trainSet.y),
      validationAccuracy: evaluate(valSet.X, valSet.y),
    });
  }
  const last = points[points.length - 1];
  log(
    `x + y mod ${p}, ${model}: train ${last?.trainAccuracy.toFixed(3)}, validation ${last?.validationAccuracy.toFixed(3)} after ${checkpoints[checkpoints.length - 1]} FISTA iterations`,
  );
  curves.push({
    kind: model === "gated" ? "convex (14), 64 gates" : "convex (12), no gates",
    points,
  });
}
figures.push([
  "grokking",
  await grokkingFigure(curves, {
    title: `x + y mod ${p}: accuracy after k FISTA iterations (step = iteration)`,
  }),
]);

// ---- write, then screenshot --------------------------------------------------------------
for (const [name, figure] of figures) {
  const w = await writeFigure(figure, out, name);
  console.log(`wrote ${w.svg} and ${w.json}`);
}
await writeFile(join(out, "terminal.txt"), `${terminal.join("\n")}\n`);
if (!args.includes("--no-png")) {
  const pngDir = resolve(
    option("--png") ?? (await mkdtemp(join(tmpdir(), "convexformer-figures-"))),
  );
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1.5 });
    for (const [name, figure] of figures) {
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:white">${figure.svg}</body></html>`,
      );
      const svg = await page.$("svg");
      await svg?.screenshot({ path: join(pngDir, `${name}.png`) });
      console.log(`png ${join(pngDir, `${name}.png`)}`);
    }
  } finally {
    await browser.close();
  }
}
