import { fista, lambdaMax, squaredLoss, withLambda } from "@convexformer/solvers";
import { createRng, TokenBatch } from "@convexformer/tensors";
import { gatedAttentionProblem, sampleGates } from "../src/index.js";
const rng = createRng(2026);
const N = 2000, n = 8, d = 16;
const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
const y = new Float64Array(N);
for (let i = 0; i < N; i++) y[i] = X.get(i, 1, 0) - 0.5 * X.get(i, 5, 3) + 0.1 * rng.normal();
const g = gatedAttentionProblem(X, sampleGates(X, 32, { seed: 5 }), squaredLoss(y), 1);
const p = withLambda(g, 0.1 * lambdaMax(g));
for (const o of [{ screening: false, workingSet: false }, { screening: true, workingSet: false }, { screening: false, workingSet: false }, { screening: true, workingSet: false }]) {
  const t = performance.now();
  const r = fista.solve(p, { tolerance: 1e-6, ...o });
  console.error(JSON.stringify(o), r.iterations, ((performance.now() - t)/1000).toFixed(2), r.timings);
}
