import { gemv } from "@convexformer/tensors";
import type { DenseGroupProblem } from "./dense-group-problem.js";
import { NewtonSystem, type NewtonSystemForm } from "./newton-system.js";

/** How {@link barrierSolve} ended. */
export type BarrierStop =
  | "converged"
  | "max-iterations"
  | "time-limit"
  | "aborted"
  | "diverged"
  | "stalled";

/** Controls of {@link barrierSolve}. */
export interface BarrierControl {
  /** Target relative duality gap of the (sub)problem. */
  readonly tolerance: number;
  /** Cap on Newton steps. */
  readonly maxSteps: number;
  /** Starting point (any `x`; `t` is centered for it). */
  readonly x0: Float64Array;
  /** Called before each Newton step; a non-undefined return stops the solve with that reason. */
  readonly interrupt: () => BarrierStop | undefined;
  /** Called after each Newton step with the new iterate and its predictions `A x`. */
  readonly onStep: (x: Float64Array, predictions: Float64Array) => void;
  /** Which Newton system to factor; `"auto"` picks the cheaper. */
  readonly system: NewtonSystemForm;
  /**
   * Called between blocks of the long computations inside a Newton step (Gram products,
   * factorizations), during set-up too; it stops the solve by throwing. Default: never stops.
   */
  readonly poll?: () => void;
}

/** What {@link barrierSolve} returns. */
export interface BarrierResult {
  /** Last iterate. */
  readonly x: Float64Array;
  /** Its `t` (cone heights `t_g ≥ ‖x_g‖`). */
  readonly t: Float64Array;
  /** Relative gap of the (sub)problem at `x`. */
  readonly relativeGap: number;
  /** Newton steps taken. */
  readonly steps: number;
  /** Why it stopped. */
  readonly stop: BarrierStop;
}

/**
 * A barrier interior-point method for the second-order-cone form of the group lasso
 *
 *     minimize  F(A x) + λ Σ_g w_g t_g   subject to  ‖x_g‖₂ ≤ t_g,
 *
 * minimizing `F(Ax) + λ Σ w_g t_g − μ Σ_g log(t_g² − ‖x_g‖²)` by damped Newton steps for a
 * decreasing `μ` (the reduction factor adapts to how many steps each centering takes). The
 * `t` variables are eliminated in closed form, leaving the `cols × cols` system
 * `(AᵀHA + D) dx = r` with `D` block diagonal, built and solved by {@link NewtonSystem} (primal
 * or sample-space form). This file is the loop: centering, the line search on the reduced
 * barrier, the `μ` schedule and the stopping rules. At a central point the certificate's dual
 * point is feasible and the gap is `≈ 2Gμ`; the method stops on the certificate's relative gap.
 *
 * @param problem - the dense group lasso
 * @param control - tolerance, caps, callbacks
 * @returns the last iterate and why it stopped
 *
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * import { barrierSolve } from "./barrier-solve.js"; // internal module
 * import { restrictGroups } from "./dense-group-problem.js";
 * // exact instance 1: A = I, y = (1, −1), λ = 1/8, one group per coordinate
 * const problem = restrictGroups(
 *   new Float64Array([1, 0, 0, 1]), 2, 2, new Int32Array([0, 1, 2]), new Float64Array([1, 1]),
 *   [0, 1], 1 / 8, squaredLoss(new Float64Array([1, -1])),
 * );
 * const r = barrierSolve(problem, {
 *   tolerance: 1e-10, maxSteps: 200, x0: new Float64Array(2),
 *   interrupt: () => undefined, onStep: () => {}, system: "auto",
 * });
 * r.stop; // "converged"
 * Math.abs((r.x[0] as number) - 0.875) < 1e-8; // true
 * ```
 */
export function barrierSolve(problem: DenseGroupProblem, control: BarrierControl): BarrierResult {
  const { a, rows, cols: p, ptr, weights, lambda, loss } = problem;
  const G = weights.length;
  const quadratic = loss.name === "squared";
  const x = Float64Array.from(control.x0);
  const t = new Float64Array(G);
  const yhat = new Float64Array(rows);
  const grad = new Float64Array(rows);
  const z = new Float64Array(p);
  const u = new Float64Array(rows);
  const gx = new Float64Array(p);
  const rhs = new Float64Array(p);
  const dx = new Float64Array(p);
  const ad = new Float64Array(rows);
  const xTrial = new Float64Array(p);
  const yTrial = new Float64Array(rows);
  const aG = new Float64Array(G);
  const bG = new Float64Array(G);
  const nx2 = new Float64Array(G);
  const eG = new Float64Array(G);
  const sG = new Float64Array(G);

  const dense = new NewtonSystem(problem, quadratic, control.system, control.poll);

  const applyA = (v: Float64Array, out: Float64Array): void => {
    gemv("no-transpose", rows, p, 1, a, p, 1, 0, v, 1, 0, 0, out, 1, 0);
  };
  const applyAt = (r: Float64Array, out: Float64Array): void => {
    gemv("transpose", rows, p, 1, a, p, 1, 0, r, 1, 0, 0, out, 1, 0);
  };
  const groupSq = (v: Float64Array, g: number): number => groupSquaredNorm(v, ptr, g);
  /** Relative gap of the certificate at the current x (grad and z must be current). */
  const certificate = (fval: number) => barrierCertificate(problem, x, z, grad, u, fval);

  applyA(x, yhat);
  let fval = loss.gradient(yhat, grad);
  applyAt(grad, z);
  let cert = certificate(fval);
  if (!Number.isFinite(cert.primal)) {
    return { x, t, relativeGap: Number.POSITIVE_INFINITY, steps: 0, stop: "diverged" };
  }
  // initial μ from the gap (a central point has gap ≈ 2Gμ), t centered for x
  let mu =
    Math.max(
      Number.isFinite(cert.rel) ? cert.rel * Math.max(1, Math.abs(cert.primal)) : 1,
      1e-3 * Math.max(1, Math.abs(cert.primal)),
    ) /
    (2 * G);
  for (let g = 0; g < G; g++) {
    const r = mu / (lambda * (weights[g] as number));
    t[g] = r + Math.sqrt(r * r + groupSq(x, g));
  }
  let kappa = 8;
  let centeringSteps = 0;
  let steps = 0;
  let stop: BarrierStop = "max-iterations";
  let bestRel = cert.rel;
  let sinceImprove = 0;

  const centerT = (xv: Float64Array, tv: Float64Array, sv: Float64Array, qv: Float64Array) =>
    centeredPenalty(problem, mu, xv, tv, sv, qv);
  const tTrial = new Float64Array(G);
  const sTrial = new Float64Array(G);
  const qTrial = new Float64Array(G);

  for (;;) {
    if (cert.rel <= control.tolerance) {
      stop = "converged";
      break;
    }
    if (steps >= control.maxSteps) {
      stop = "max-iterations";
      break;
    }
    const interrupted = control.interrupt();
    if (interrupted !== undefined) {
      stop = interrupted;
      break;
    }
    const pen0 = centerT(x, t, sG, nx2);
    // gradient of the reduced barrier objective (g_t = 0 at the optimal t) and the system
    for (let g = 0; g < G; g++) {
      const tg = t[g] as number;
      const q = nx2[g] as number;
      const s = sG[g] as number;
      aG[g] = (2 * mu) / s;
      bG[g] = (4 * mu) / (s * (tg * tg + q));
      eG[g] = (2 * mu) / (tg * tg + q); // a − b‖x‖², without the cancellation
      for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) {
        gx[j] = (z[j] as number) + ((2 * mu) / s) * (x[j] as number);
        rhs[j] = -(gx[j] as number);
      }
    }
    const ok = dense.solve(yhat, x, ptr, aG, bG, eG, rhs, dx);
    if (!ok) {
      stop = "stalled";
      break;
    }
    let dec = 0;
    for (let j = 0; j < p; j++) dec -= (gx[j] as number) * (dx[j] as number);
    applyA(dx, ad);
    const phi0 = fval + pen0;
    const { alpha, accepted } = lineSearch(phi0, dec, (step) => {
      for (let j = 0; j < p; j++) xTrial[j] = (x[j] as number) + step * (dx[j] as number);
      for (let i = 0; i < rows; i++) yTrial[i] = (yhat[i] as number) + step * (ad[i] as number);
      return loss.value(yTrial) + centerT(xTrial, tTrial, sTrial, qTrial);
    });
    steps++;
    centeringSteps++;
    if (accepted) {
      x.set(xTrial);
      // recompute the predictions exactly now and then to stop drift
      if (steps % 10 === 0) applyA(x, yhat);
      else yhat.set(yTrial);
    }
    fval = loss.gradient(yhat, grad);
    if (!Number.isFinite(fval)) {
      stop = "diverged";
      break;
    }
    applyAt(grad, z);
    cert = certificate(fval);
    control.onStep(x, yhat);
    if (cert.rel < bestRel * 0.999) {
      bestRel = cert.rel;
      sinceImprove = 0;
    } else if (++sinceImprove > 40) {
      stop = "stalled";
      break;
    }
    // the Newton decrement of the self-concordant φ̃/μ is dec/μ
    const scaledDec = dec / (2 * mu);
    if ((scaledDec <= 0.5 && alpha === 1) || scaledDec <= 1e-3 || !accepted) {
      // close enough to the central path (a full Newton step inside the quadratic region):
      // shrink μ, adapting the factor to the centering effort
      if (centeringSteps <= 1) kappa = Math.min(kappa * 2, 100);
      else if (centeringSteps >= 3) kappa = Math.max(kappa / 2, 3);
      mu = Math.max(mu / kappa, 1e-300);
      centeringSteps = 0;
      if (!accepted && mu < 1e-30) {
        stop = "stalled";
        break;
      }
    }
  }
  return { x, t, relativeGap: cert.rel, steps, stop };
}

/** `‖v_g‖²`. */
function groupSquaredNorm(v: Float64Array, ptr: Int32Array, g: number): number {
  let s = 0;
  for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) s += (v[j] as number) ** 2;
  return s;
}

/**
 * Optimal `t_g` for `x_g` at this μ (`λw − 2μt/s = 0`), and `s = t² − ‖x‖²` computed as
 * `(t − ‖x‖)(t + ‖x‖)` without cancellation; returns the barrier penalty
 * `Σ_g λ w_g t_g − μ log s_g`. The method works on the reduced barrier `φ̃(x) = min_t φ(x, t)`:
 * every `x` is strictly feasible and the eliminated Newton system is exactly its Hessian.
 */
function centeredPenalty(
  problem: DenseGroupProblem,
  mu: number,
  xv: Float64Array,
  tv: Float64Array,
  sv: Float64Array,
  qv: Float64Array,
): number {
  const { ptr, weights, lambda } = problem;
  let pen = 0;
  for (let g = 0; g < weights.length; g++) {
    const q = groupSquaredNorm(xv, ptr, g);
    const n = Math.sqrt(q);
    const lw = lambda * (weights[g] as number);
    const r = mu / lw;
    const root = Math.sqrt(r * r + q);
    const tg = r + root;
    const gapT = r + (r * r) / (root + n); // t − ‖x‖
    tv[g] = tg;
    qv[g] = q;
    sv[g] = gapT * (tg + n);
    pen += lw * tg - mu * Math.log(sv[g] as number);
  }
  return pen;
}

/**
 * Backtracking (Armijo, factor 0.5, at most 60 halvings) on the reduced barrier objective
 * `phiAt(step)` from `phi0` with Newton decrement `dec`; a step at rounding level counts as
 * accepted.
 */
function lineSearch(
  phi0: number,
  dec: number,
  phiAt: (step: number) => number,
): { alpha: number; accepted: boolean } {
  let alpha = 1;
  for (let ls = 0; ls < 60; ls++) {
    const phi = phiAt(alpha);
    if (phi <= phi0 - 0.01 * alpha * dec) return { alpha, accepted: true };
    if (Number.isFinite(phi) && phi - phi0 <= 1e-15 * Math.abs(phi0) && alpha < 1e-6)
      return { alpha, accepted: true }; // at rounding level: take it and move on
    alpha *= 0.5;
  }
  return { alpha, accepted: false };
}

/**
 * Primal value and relative gap at `x` from `fval = F(Ax)`, `grad = ∇F(Ax)` and
 * `z = Aᵀ∇F(Ax)`: the dual point `u = −s ∇F` scaled into feasibility (written into `u`).
 */
function barrierCertificate(
  problem: DenseGroupProblem,
  x: Float64Array,
  z: Float64Array,
  grad: Float64Array,
  u: Float64Array,
  fval: number,
): { primal: number; rel: number } {
  const { ptr, weights, lambda, loss, rows } = problem;
  const G = weights.length;
  const groupSq = (v: Float64Array, g: number): number => groupSquaredNorm(v, ptr, g);
  let pen = 0;
  let worst = 0;
  for (let g = 0; g < G; g++) {
    const w = weights[g] as number;
    pen += w * Math.sqrt(groupSq(x, g));
    worst = Math.max(worst, Math.sqrt(groupSq(z, g)) / w);
  }
  const primal = fval + lambda * pen;
  const s = worst > lambda ? lambda / worst : 1;
  for (let i = 0; i < rows; i++) u[i] = -s * (grad[i] as number);
  const dual = loss.dualValue(u);
  return { primal, rel: (primal - dual) / Math.max(1, Math.abs(primal)) };
}
