import { createRng, Matrix } from "@convexformer/tensors";
import { createProblem, denseOperator, fista, groupL2, lambdaMax, squaredLoss, withLambda } from "./index.js";
const [N, p, gs] = [1000, 4000, 20];
const rng = createRng(1); const A = new Matrix(N, p); rng.fillNormal(A.data); const y = rng.fillNormal(new Float64Array(N));
const base = createProblem({ operator: denseOperator(A), loss: squaredLoss(y), regularizer: groupL2({ sizes: new Array(p / gs).fill(gs) }), lambda: 1 });
for (const ratio of [0.1, 0.3]) {
  const prob = withLambda(base, ratio * lambdaMax(base));
  for (const o of [{ screening: false, workingSet: false }, { screening: true, workingSet: false }, { screening: false, workingSet: true }, {}]) {
    const t = performance.now(); const r = fista.solve(prob, { tolerance: 1e-6, ...o });
    let nz = 0; for (let g = 0; g < p / gs; g++) if (r.x.subarray(g * gs, (g + 1) * gs).some((v) => v !== 0)) nz++;
    console.log(ratio, JSON.stringify(o), r.status, r.iterations, nz, (performance.now() - t).toFixed(0) + "ms", "setup", r.timings.setupMs.toFixed(0));
  }
}
