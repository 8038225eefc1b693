import { createRng, Matrix } from "@convexformer/tensors";
import { createProblem } from "../src/create-problem.js";
import { ipmSolver } from "../src/ipm/ipm.js";
import { admmSolver } from "../src/admm/admm.js";
import { squaredLoss } from "../src/losses/squared-loss.js";
import { logisticLoss } from "../src/losses/logistic-loss.js";
import { denseOperator } from "../src/operators/dense-operator.js";
import { groupL2 } from "../src/regularizers/group-l2.js";
import { lambdaMax } from "../src/lambda-max.js";

for (const [m, n, gs, lossName] of [[30, 40, 4, "squared"],[50, 20, 4, "squared"], [30, 40, 4, "logistic"], [200, 200, 10, "squared"], [300, 1000, 10, "squared"], [300, 1000, 10, "logistic"]] as const) {
  const rng = createRng(m * 7 + n);
  const A = new Matrix(m, n, rng.fillNormal(new Float64Array(m * n)));
  const y = rng.fillNormal(new Float64Array(m));
  const loss = lossName === "squared" ? squaredLoss(y) : logisticLoss(Array.from(y, (v) => (v >= 0 ? 1 : -1)));
  const reg = groupL2({ sizes: Array(n / gs).fill(gs) });
  let problem = createProblem({ operator: denseOperator(A), loss, regularizer: reg, lambda: 1 });
  problem = createProblem({ operator: denseOperator(A), loss, regularizer: reg, lambda: 0.1 * lambdaMax(problem) });
  for (const ws of ["auto"] as const) {
    const t = performance.now();
    const r = admmSolver.solve(problem, { tolerance: 1e-8 });
    console.log(m, n, lossName, ws, r.status, r.objective, r.relativeGap, r.kktResidual, r.iterations, (performance.now() - t).toFixed(0), "ms");
  }
}
