/**
 * FISTA's certificate lag on the scnn instance (issue 13, item 2): how many iterations FISTA
 * needs to certify a relative duality gap of 1e-6 under different options, and what a Newton
 * polish on the support would cost instead of the remaining iterations.
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/certificate-lag.bench.ts
 *         [--shape 2000,50,100] [--starts 70,80,90,100] [--cg-tol 1e-6]
 *
 * Part 1: FISTA to 1e-6 with its defaults and with one option changed at a time (iterations,
 * seconds, gap). Part 2: FISTA stopped after k iterations, then Newton steps on the problem
 * restricted to the active groups (smooth there: `F(A_S x) + λ Σ w_g ‖x_g‖`), each solved by
 * conjugate gradients on its Hessian (products through the operator and the loss's
 * `hessianVector`) to a relative residual norm `sqrt(cg-tol)`, without a preconditioner and
 * with a block-Jacobi one (each active group's `Xᵀ D_g X + λ w_g (I − x̂x̂ᵀ)/‖x_g‖`, Cholesky
 * factored); the full certificate after each step. Only the one-token gated program (a group is
 * a gate's block) is supported. A measurement of an idea, not a solver: nothing here is used by
 * the packages. One JSON document on stdout; progress on stderr.
 */
import {
  certify,
  type FistaOptions,
  fista,
  type GroupStructure,
  lambdaMax,
  squaredLoss,
  withLambda,
} from "@convexformer/solvers";
import { configureKernels } from "@convexformer/tensors";
import { type AttentionOperator, gatedAttentionProblem, sampleGates } from "../src/index.js";
import { arg } from "./bench-args.js";
import { scnnData } from "./scnn-instance.js";

const [N, p, P] = (arg("--shape") ?? "2000,50,100").split(",").map(Number) as [
  number,
  number,
  number,
];
const starts = (arg("--starts") ?? "70,80,90,100").split(",").map(Number);
const cgTol = Number(arg("--cg-tol") ?? 1e-6);
const log = (...a: unknown[]): void => {
  console.error("[bench:certificate-lag]", ...a);
};

await configureKernels({ threads: 2 });
const { X, y } = scnnData(N, p);
const base = gatedAttentionProblem(X, sampleGates(X, P, { seed: 7 }), squaredLoss(y), 1);
const problem = withLambda(base, 0.1 * lambdaMax(base));
const { loss, lambda } = problem;
const A = problem.operator as AttentionOperator;
if (problem.regularizer.groups === undefined || A.mask === undefined)
  throw new Error("a gated problem is needed");
const groups: GroupStructure = problem.regularizer.groups;
const mask: Uint8Array = A.mask;
const Xd = X.data;
const dim = problem.dim;
const rows = A.rows;

// part 1: FISTA's options
const variants: [string, FistaOptions][] = [
  ["defaults", {}],
  ["workingSet: false", { workingSet: false }],
  ["stepGrowth: 1.1", { stepGrowth: 1.1 }],
  ["stepGrowth: 1.02", { stepGrowth: 1.02 }],
  ["certificateEvery: 5", { certificateEvery: 5 }],
  ["workingSetSize: 30", { workingSetSize: 30 }],
  ['restart: "function"', { restart: "function" }],
];
const options = [];
for (const [name, o] of variants) {
  const t = performance.now();
  const r = fista.solve(problem, { tolerance: 1e-6, ...o });
  const row = {
    variant: name,
    status: r.status,
    iterations: r.iterations,
    seconds: (performance.now() - t) / 1000,
    relativeGap: r.relativeGap,
  };
  options.push(row);
  log(JSON.stringify(row));
}

// part 2: Newton polish on the support after k FISTA iterations
const groupNorm = (x: Float64Array, g: number): number => {
  let s = 0;
  for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++)
    s += (x[i] as number) ** 2;
  return Math.sqrt(s);
};

/** In-place Cholesky factor (lower) of the k × k matrix `a`. */
function cholesky(a: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j] as number;
    for (let q = 0; q < j; q++) s -= (a[j * k + q] as number) ** 2;
    const d = Math.sqrt(s);
    a[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = a[i * k + j] as number;
      for (let q = 0; q < j; q++) t -= (a[i * k + q] as number) * (a[j * k + q] as number);
      a[i * k + j] = t / d;
    }
  }
}

/** Solves `L Lᵀ z = b` in place on `b[off .. off + k)`. */
function choleskySolve(L: Float64Array, k: number, b: Float64Array, off: number): void {
  for (let i = 0; i < k; i++) {
    let s = b[off + i] as number;
    for (let q = 0; q < i; q++) s -= (L[i * k + q] as number) * (b[off + q] as number);
    b[off + i] = s / (L[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[off + i] as number;
    for (let q = i + 1; q < k; q++) s -= (L[q * k + i] as number) * (b[off + q] as number);
    b[off + i] = s / (L[i * k + i] as number);
  }
}

function polish(k0: number, preconditioner: "none" | "block-jacobi") {
  const x = Float64Array.from(fista.solve(problem, { maxIterations: k0, tolerance: 1e-12 }).x);
  const startGap = certify(problem, x).relativeGap;
  const support: number[] = [];
  for (let g = 0; g < groups.count; g++) if (groupNorm(x, g) > 0) support.push(g);
  const inSupport = new Uint8Array(dim);
  for (const g of support)
    for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++) inSupport[i] = 1;
  const t0 = performance.now();
  let products = 0;
  const Ax = new Float64Array(rows);
  const lossGradient = new Float64Array(rows);
  const grad = new Float64Array(dim);
  const Av = new Float64Array(rows);
  const HAv = new Float64Array(rows);
  /** `out = ∇²(restricted objective) v` on the support (0 elsewhere). */
  const hessian = (v: Float64Array, out: Float64Array): void => {
    A.apply(v, Av);
    loss.hessianVector(Ax, Av, HAv);
    A.adjoint(HAv, out);
    products++;
    for (const g of support) {
      const a = groups.ptr[g] as number;
      const b = groups.ptr[g + 1] as number;
      const norm = groupNorm(x, g);
      let dot = 0;
      for (let i = a; i < b; i++) dot += ((x[i] as number) * (v[i] as number)) / norm;
      const w = (lambda * (groups.weights[g] as number)) / norm;
      for (let i = a; i < b; i++)
        out[i] = (out[i] as number) + w * ((v[i] as number) - ((x[i] as number) / norm) * dot);
    }
    for (let i = 0; i < dim; i++) if (inSupport[i] === 0) out[i] = 0;
  };
  const steps = [];
  let gap = startGap;
  for (let newton = 0; newton < 3 && gap > 1e-6; newton++) {
    // block-Jacobi factors (one token: group g is gate g's block, its columns the p features)
    const factors = new Map<number, Float64Array>();
    if (preconditioner === "block-jacobi") {
      for (const g of support) {
        const G = new Float64Array(p * p);
        for (let i = 0; i < N; i++) {
          if (mask[i * P + g] === 0) continue;
          for (let a = 0; a < p; a++) {
            const xa = Xd[i * p + a] as number;
            for (let b = 0; b <= a; b++)
              G[a * p + b] = (G[a * p + b] as number) + xa * (Xd[i * p + b] as number);
          }
        }
        const a0 = groups.ptr[g] as number;
        const norm = groupNorm(x, g);
        const w = (lambda * (groups.weights[g] as number)) / norm;
        for (let a = 0; a < p; a++)
          for (let b = 0; b <= a; b++) {
            const curvature =
              (a === b ? 1 : 0) - ((x[a0 + a] as number) * (x[a0 + b] as number)) / (norm * norm);
            G[a * p + b] = (G[a * p + b] as number) + w * curvature;
            G[b * p + a] = G[a * p + b] as number;
          }
        cholesky(G, p);
        factors.set(g, G);
      }
    }
    const precondition = (r: Float64Array): Float64Array => {
      const z = Float64Array.from(r);
      if (preconditioner === "block-jacobi")
        for (const g of support)
          choleskySolve(factors.get(g) as Float64Array, p, z, groups.ptr[g] as number);
      return z;
    };
    A.apply(x, Ax);
    loss.gradient(Ax, lossGradient);
    A.adjoint(lossGradient, grad);
    products++;
    for (const g of support) {
      const norm = groupNorm(x, g);
      for (let i = groups.ptr[g] as number; i < (groups.ptr[g + 1] as number); i++)
        grad[i] =
          (grad[i] as number) + (lambda * (groups.weights[g] as number) * (x[i] as number)) / norm;
    }
    for (let i = 0; i < dim; i++) if (inSupport[i] === 0) grad[i] = 0;
    // preconditioned CG on H d = −grad
    const d = new Float64Array(dim);
    const r = Float64Array.from(grad, (v) => -v);
    let z = precondition(r);
    const dir = Float64Array.from(z);
    const Hd = new Float64Array(dim);
    let rz = 0;
    let r0 = 0;
    for (let i = 0; i < dim; i++) {
      rz += (r[i] as number) * (z[i] as number);
      r0 += (r[i] as number) ** 2;
    }
    let cg = 0;
    while (cg < 300) {
      hessian(dir, Hd);
      cg++;
      let dHd = 0;
      for (let i = 0; i < dim; i++) dHd += (dir[i] as number) * (Hd[i] as number);
      const alpha = rz / dHd;
      let rr = 0;
      for (let i = 0; i < dim; i++) {
        d[i] = (d[i] as number) + alpha * (dir[i] as number);
        r[i] = (r[i] as number) - alpha * (Hd[i] as number);
        rr += (r[i] as number) ** 2;
      }
      if (rr <= cgTol * r0) break;
      z = precondition(r);
      let rzNext = 0;
      for (let i = 0; i < dim; i++) rzNext += (r[i] as number) * (z[i] as number);
      const beta = rzNext / rz;
      rz = rzNext;
      for (let i = 0; i < dim; i++) dir[i] = (z[i] as number) + beta * (dir[i] as number);
    }
    for (let i = 0; i < dim; i++) x[i] = (x[i] as number) + (d[i] as number);
    gap = certify(problem, x).relativeGap;
    steps.push({ cgIterations: cg, productPairs: products, relativeGap: gap });
  }
  const row = {
    fistaIterations: k0,
    preconditioner,
    support: support.length,
    startGap,
    steps,
    certified: gap <= 1e-6,
    polishSeconds: (performance.now() - t0) / 1000,
  };
  log(JSON.stringify(row));
  return row;
}

const polishes = [];
for (const preconditioner of ["none", "block-jacobi"] as const)
  for (const k0 of starts) polishes.push(polish(k0, preconditioner));

console.log(
  JSON.stringify(
    { bench: "certificate-lag", N, p, P, tolerance: 1e-6, cgTol, options, polishes },
    null,
    2,
  ),
);
