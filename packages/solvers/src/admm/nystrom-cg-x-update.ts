import type { CompositeProblem } from "../composite-problem.js";
import { nystromPreconditioner } from "./nystrom-preconditioner.js";
import type { XUpdate } from "./x-update.js";

/**
 * Matrix-free exact-in-the-limit `x`-update for the squared loss `F(ŷ) = (f/2)‖ŷ − y‖²`:
 * preconditioned conjugate gradients on `(f AᵀA + ρI) x = f Aᵀy + ρ v`, warm-started at the
 * previous `x`, with a randomized Nyström preconditioner of `f AᵀA` of rank `rank` (built
 * once: `rank` products with `A` and `Aᵀ`; valid for every `ρ`, so residual balancing costs
 * nothing). The CG relative residual tolerance of the `k`-th update is
 * `max(1e-12, 1e-3 / k^1.5)` (summable errors, as inexact ADMM needs). Returns `undefined`
 * when `interrupted()` turns true during the sketch. @internal
 */
export function nystromCgXUpdate(
  problem: CompositeProblem,
  rank: number,
  interrupted: () => boolean,
): XUpdate | undefined {
  const { operator, loss } = problem;
  const { rows, cols } = operator;
  const f = loss.smoothness; // squared loss: ∇²F = f·I
  const t = new Float64Array(rows);
  const gramProduct = (v: Float64Array, out: Float64Array): void => {
    operator.apply(v, t);
    operator.adjoint(t, out);
    if (f !== 1) for (let j = 0; j < cols; j++) out[j] = f * (out[j] as number);
  };
  const pre = nystromPreconditioner(cols, rank, gramProduct, interrupted);
  if (pre === undefined) return undefined;
  // c0 = f Aᵀy = −Aᵀ∇F(0)
  const c0 = new Float64Array(cols);
  const grad0 = new Float64Array(rows);
  loss.gradient(new Float64Array(rows), grad0);
  operator.adjoint(grad0, c0);
  for (let j = 0; j < cols; j++) c0[j] = -(c0[j] as number);
  const b = new Float64Array(cols);
  const r = new Float64Array(cols);
  const zv = new Float64Array(cols);
  const p = new Float64Array(cols);
  const hp = new Float64Array(cols);
  let calls = 0;
  const top = pre.eigenvalues[0];
  return {
    kind: "nystrom-cg",
    ...(top !== undefined && top > 0 ? { gramNorm: top } : {}),
    solve(v, rho, x) {
      calls++;
      let nb = 0;
      for (let j = 0; j < cols; j++) {
        const bj = (c0[j] as number) + rho * (v[j] as number);
        b[j] = bj;
        nb += bj * bj;
      }
      nb = Math.sqrt(nb);
      const stop = Math.max(1e-12, 1e-3 / calls ** 1.5) * nb;
      gramProduct(x, hp);
      let rr = 0;
      for (let j = 0; j < cols; j++) {
        const rj = (b[j] as number) - (hp[j] as number) - rho * (x[j] as number);
        r[j] = rj;
        rr += rj * rj;
      }
      if (Math.sqrt(rr) <= stop) return;
      pre.apply(r, rho, zv);
      p.set(zv);
      let rz = 0;
      for (let j = 0; j < cols; j++) rz += (r[j] as number) * (zv[j] as number);
      for (let it = 0; it < 200; it++) {
        gramProduct(p, hp);
        let php = 0;
        for (let j = 0; j < cols; j++) {
          hp[j] = (hp[j] as number) + rho * (p[j] as number);
          php += (p[j] as number) * (hp[j] as number);
        }
        if (!(php > 0)) return;
        const alpha = rz / php;
        rr = 0;
        for (let j = 0; j < cols; j++) {
          x[j] = (x[j] as number) + alpha * (p[j] as number);
          const rj = (r[j] as number) - alpha * (hp[j] as number);
          r[j] = rj;
          rr += rj * rj;
        }
        if (Math.sqrt(rr) <= stop) return;
        pre.apply(r, rho, zv);
        let rzNew = 0;
        for (let j = 0; j < cols; j++) rzNew += (r[j] as number) * (zv[j] as number);
        const beta = rzNew / rz;
        rz = rzNew;
        for (let j = 0; j < cols; j++) p[j] = (zv[j] as number) + beta * (p[j] as number);
      }
    },
  };
}
