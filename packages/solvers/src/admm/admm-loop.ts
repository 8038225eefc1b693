import type { Certificate } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { SolveStatus } from "../solver.js";
import type { XUpdate } from "./x-update.js";

/** ADMM's numerical settings (validated by the solver). @internal */
export interface AdmmSettings {
  /** Over-relaxation `α ∈ (0, 2)`. */
  readonly relaxation: number;
  /** Residual balancing of `ρ`. */
  readonly adaptiveRho: boolean;
  /** Absolute residual tolerance (scaled by `√dim`). */
  readonly absoluteTolerance: number;
  /** Relative residual tolerance. */
  readonly relativeTolerance: number;
  /** Certify every this many iterations. */
  readonly certifyEvery: number;
}

/** How {@link admmLoop} reports to its caller. @internal */
export interface AdmmHooks {
  /** The certificate of `z` (for the problem the loop runs on). */
  certify(z: Float64Array): Certificate;
  /**
   * Records one iteration ending at `z` (objective, and the certificate when one was
   * computed); returns a status to stop the solve, `"done"` to end the loop without one, or
   * `undefined` to go on.
   */
  step(
    z: Float64Array,
    objective: number,
    certificate?: Certificate,
  ): SolveStatus | "done" | undefined;
}

/**
 * Scaled, over-relaxed ADMM iterations for `min F(Ax) + λR(z)` s.t. `x = z` from `z`
 * (updated in place) with scaled dual `u` (updated in place) and penalty `ρ`, until a hook
 * stops it. Returns the status (or `"done"`) and the final `ρ`. @internal
 */
export function admmLoop(
  problem: CompositeProblem,
  z: Float64Array,
  u: Float64Array,
  rho0: number,
  update: XUpdate,
  settings: AdmmSettings,
  hooks: AdmmHooks,
): { status: SolveStatus | "done"; rho: number } {
  const { operator, loss, regularizer, lambda, dim } = problem;
  const { relaxation, adaptiveRho, certifyEvery } = settings;
  let absTol = settings.absoluteTolerance;
  let relTol = settings.relativeTolerance;
  let rho = rho0;
  const x = Float64Array.from(z);
  const v = new Float64Array(dim);
  const zOld = new Float64Array(dim);
  const xh = new Float64Array(dim);
  const pred = new Float64Array(operator.rows);
  const sqrtDim = Math.sqrt(dim);
  let lastRhoChange = 0;
  for (let k = 1; ; k++) {
    for (let j = 0; j < dim; j++) v[j] = (z[j] as number) - (u[j] as number);
    update.solve(v, rho, x);
    zOld.set(z);
    for (let j = 0; j < dim; j++) {
      xh[j] = relaxation * (x[j] as number) + (1 - relaxation) * (zOld[j] as number);
      z[j] = (xh[j] as number) + (u[j] as number);
    }
    regularizer.prox(z, lambda / rho, z);
    let rPri = 0;
    let rDual = 0;
    let nx = 0;
    let nz = 0;
    let nu = 0;
    for (let j = 0; j < dim; j++) {
      const zj = z[j] as number;
      u[j] = (u[j] as number) + (xh[j] as number) - zj;
      rPri += ((x[j] as number) - zj) ** 2;
      rDual += (zj - (zOld[j] as number)) ** 2;
      nx += (x[j] as number) ** 2;
      nz += zj * zj;
      nu += (u[j] as number) ** 2;
    }
    rPri = Math.sqrt(rPri);
    rDual = rho * Math.sqrt(rDual);
    const epsPri = sqrtDim * absTol + relTol * Math.sqrt(Math.max(nx, nz));
    const epsDual = sqrtDim * absTol + relTol * rho * Math.sqrt(nu);
    const residualsMet = rPri <= epsPri && rDual <= epsDual;
    let status: SolveStatus | "done" | undefined;
    if (residualsMet || k % certifyEvery === 0) {
      const cert = hooks.certify(z);
      status = hooks.step(z, cert.objective, cert);
      if (status === undefined && residualsMet) {
        // residuals small but the gap does not hold yet: tighten them
        absTol *= 0.1;
        relTol *= 0.1;
      }
    } else {
      operator.apply(z, pred);
      status = hooks.step(z, loss.value(pred) + lambda * regularizer.value(z));
    }
    if (status !== undefined) return { status, rho };
    // residual balancing (each change refactors a Cholesky update: at most every 10 iterations)
    if (adaptiveRho && k - lastRhoChange >= 10) {
      let factor = 1;
      if (rPri > 10 * rDual) factor = 2;
      else if (rDual > 10 * rPri) factor = 0.5;
      if (factor !== 1) {
        rho *= factor;
        for (let j = 0; j < dim; j++) u[j] = (u[j] as number) / factor; // scaled dual u = y/ρ
        lastRhoChange = k;
      }
    }
  }
}
