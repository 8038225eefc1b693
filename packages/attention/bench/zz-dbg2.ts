import { denseOperator } from "@convexformer/solvers";
import { createRng, Matrix } from "@convexformer/tensors";
const rng = createRng(1);
for (const [m, n] of [[2000, 1024], [2000, 5000], [500, 8000]] as const) {
  const A = denseOperator(new Matrix(m, n, rng.fillNormal(new Float64Array(m * n))));
  const x = rng.fillNormal(new Float64Array(n)); const y = new Float64Array(m); const r = rng.fillNormal(new Float64Array(m)); const g = new Float64Array(n);
  for (let k = 0; k < 3; k++) { A.apply(x, y); A.adjoint(r, g); }
  const t = performance.now();
  for (let k = 0; k < 20; k++) { A.apply(x, y); A.adjoint(r, g); }
  const ms = (performance.now() - t) / 20;
  console.log(m, n, ms.toFixed(2), "ms", (4 * m * n / ms / 1e6).toFixed(2), "GFLOP/s");
}
