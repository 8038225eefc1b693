import { gemv } from "@convexformer/tensors";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky.js";
import { gram } from "../linalg/gram.js";
import type { DenseGroupProblem } from "./dense-group-problem.js";
import { applyFactorTranspose, hessianFactor } from "./hessian-factor.js";

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
  readonly system: "auto" | "primal" | "dual";
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
 * `(AᵀHA + D) dx = r` with `D` block diagonal (a scaled identity minus a rank-one term per
 * group). It is solved either in the primal form (Cholesky of `AᵀHA + D`; `AᵀA` is cached
 * for the squared loss) or, when `rows < cols`, in the sample space by the Woodbury identity
 * (Cholesky of `I + LᵀA D⁻¹ AᵀL`, `H = LLᵀ`), each followed by one step of iterative
 * refinement. At a central point the certificate's dual point is feasible and the gap is
 * `≈ 2Gμ`; the method stops on the certificate's relative gap.
 *
 * @param problem - the dense group lasso
 * @param control - tolerance, caps, callbacks
 * @returns the last iterate and why it stopped
 *
 * @example
 * ```ts
 * import { squaredLoss } from "@convexformer/solvers";
 * import { barrierSolve } from "./barrier-solve.js"; // internal module
 * // spec §7 instance 1 as a group lasso: A = I, y = (1, −1), λ = 1/8 → x = (7/8, −7/8)
 * const problem = {
 *   a: new Float64Array([1, 0, 0, 1]),
 *   rows: 2,
 *   cols: 2,
 *   ptr: new Int32Array([0, 1, 2]),
 *   weights: new Float64Array([1, 1]),
 *   lambda: 1 / 8,
 *   loss: squaredLoss(new Float64Array([1, -1])),
 * };
 * const r = barrierSolve(problem, {
 *   tolerance: 1e-9, maxSteps: 200, x0: new Float64Array(problem.cols),
 *   interrupt: () => undefined, onStep: () => {}, system: "auto",
 * });
 * r.x; // [7/8, -7/8] ± 1e-6
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

  const dense = new DenseSystem(problem, quadratic, control.system);

  const applyA = (v: Float64Array, out: Float64Array): void => {
    gemv("no-transpose", rows, p, 1, a, p, 1, 0, v, 1, 0, 0, out, 1, 0);
  };
  const applyAt = (r: Float64Array, out: Float64Array): void => {
    gemv("transpose", rows, p, 1, a, p, 1, 0, r, 1, 0, 0, out, 1, 0);
  };
  const groupSq = (v: Float64Array, g: number): number => {
    let s = 0;
    for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) s += (v[j] as number) ** 2;
    return s;
  };
  /** Relative gap of the certificate at the current x (grad and z must be current). */
  const certificate = (fval: number): { primal: number; rel: number } => {
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
  };

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

  /**
   * Optimal `t_g` for `x_g` at this μ (`λw − 2μt/s = 0`), and `s = t² − ‖x‖²` computed as
   * `(t − ‖x‖)(t + ‖x‖)` without cancellation. The method works on the reduced barrier
   * `φ̃(x) = min_t φ(x, t)`: every `x` is strictly feasible and the eliminated system below
   * is exactly its Hessian.
   */
  const centerT = (
    xv: Float64Array,
    tv: Float64Array,
    sv: Float64Array,
    qv: Float64Array,
  ): number => {
    let pen = 0;
    for (let g = 0; g < G; g++) {
      const q = groupSq(xv, g);
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
  };
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
    let alpha = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let j = 0; j < p; j++) xTrial[j] = (x[j] as number) + alpha * (dx[j] as number);
      for (let i = 0; i < rows; i++) yTrial[i] = (yhat[i] as number) + alpha * (ad[i] as number);
      const phi = loss.value(yTrial) + centerT(xTrial, tTrial, sTrial, qTrial);
      if (phi <= phi0 - 0.01 * alpha * dec) {
        accepted = true;
        break;
      }
      if (Number.isFinite(phi) && phi - phi0 <= 1e-15 * Math.abs(phi0) && alpha < 1e-6) {
        accepted = true; // at rounding level: take it and move on
        break;
      }
      alpha *= 0.5;
    }
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

/** Builds and solves the eliminated Newton system `(AᵀHA + D) dx = r`. */
class DenseSystem {
  private readonly problem: DenseGroupProblem;
  private readonly quadratic: boolean;
  private readonly form: "primal" | "dual";
  private cachedGram: Float64Array | undefined;
  private readonly b: Float64Array;
  private readonly m: Float64Array;
  private readonly vecRows: Float64Array;
  private readonly vecRows2: Float64Array;
  private readonly vecCols: Float64Array;
  private readonly vecCols2: Float64Array;
  private readonly sqrtScale: number;

  constructor(problem: DenseGroupProblem, quadratic: boolean, system: "auto" | "primal" | "dual") {
    this.problem = problem;
    this.quadratic = quadratic;
    const { rows, cols } = problem;
    const G = problem.weights.length;
    const primalCost = cols ** 3 / 3 + (quadratic ? 0 : (rows * cols * cols) / 2);
    const dualCost = (rows * rows * cols) / 2 + rows ** 3 / 3 + G * rows * rows + rows * cols;
    this.form = system === "auto" ? (primalCost <= dualCost ? "primal" : "dual") : system;
    this.b = new Float64Array(quadratic && this.form === "primal" ? 0 : rows * cols);
    const n = this.form === "primal" ? cols : rows;
    this.m = new Float64Array(n * n);
    this.vecRows = new Float64Array(rows);
    this.vecRows2 = new Float64Array(rows);
    this.vecCols = new Float64Array(cols);
    this.vecCols2 = new Float64Array(cols);
    // squared loss: H = f·I, L = √f·I
    this.sqrtScale = quadratic ? Math.sqrt(problem.loss.smoothness) : 1;
  }

  /** `B = LᵀA` at the current predictions (not needed for the cached quadratic primal form). */
  private buildB(yhat: Float64Array): void {
    const { a, rows, cols, loss } = this.problem;
    if (this.quadratic) {
      const f = this.sqrtScale;
      for (let i = 0; i < a.length; i++) this.b[i] = f * (a[i] as number);
      return;
    }
    applyFactorTranspose(hessianFactor(loss, yhat), loss.outputs, a, rows, cols, this.b);
  }

  solve(
    yhat: Float64Array,
    x: Float64Array,
    ptr: Int32Array,
    aG: Float64Array,
    bG: Float64Array,
    eG: Float64Array,
    rhs: Float64Array,
    dx: Float64Array,
  ): boolean {
    const { rows, cols, a } = this.problem;
    const G = aG.length;
    if (this.form === "primal") {
      let q: Float64Array;
      if (this.quadratic) {
        this.cachedGram ??= gram(a, rows, cols, "columns", this.problem.loss.smoothness);
        q = this.cachedGram;
      } else {
        this.buildB(yhat);
        q = this.m;
      }
      const m = this.m;
      let ridge = 0;
      for (let attempt = 0; attempt < 6; attempt++) {
        if (m !== q) m.set(q);
        else gram(this.b, rows, cols, "columns", 1, 0, m);
        for (let g = 0; g < G; g++) {
          const s0 = ptr[g] as number;
          const s1 = ptr[g + 1] as number;
          const ag = (aG[g] as number) + ridge;
          const bg = bG[g] as number;
          for (let i = s0; i < s1; i++) {
            const xi = x[i] as number;
            const row = i * cols;
            m[row + i] = (m[row + i] as number) + ag;
            for (let j = s0; j < s1; j++)
              m[row + j] = (m[row + j] as number) - bg * xi * (x[j] as number);
          }
        }
        if (choleskyInPlace(m, cols)) {
          dx.set(rhs);
          choleskySolve(m, cols, dx);
          // one step of iterative refinement against the unfactored operator
          const res = this.vecCols;
          this.applyOperatorPrimal(q, x, ptr, aG, bG, dx, res);
          for (let i = 0; i < cols; i++) res[i] = (rhs[i] as number) - (res[i] as number);
          choleskySolve(m, cols, res);
          for (let i = 0; i < cols; i++) dx[i] = (dx[i] as number) + (res[i] as number);
          return allFinite(dx);
        }
        ridge = ridge === 0 ? 1e-12 * (1 + (m === q ? 1 : maxDiag(q, cols))) : ridge * 100;
      }
      return false;
    }
    // dual (sample-space) form
    this.buildB(yhat);
    const b = this.b;
    const k = this.m;
    const scaled = new Float64Array(rows * cols);
    // scaled = B diag(1/√a)
    const inv = this.vecCols2;
    for (let g = 0; g < G; g++) {
      const r = 1 / Math.sqrt(aG[g] as number);
      for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) inv[j] = r;
    }
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      for (let j = 0; j < cols; j++) scaled[o + j] = (b[o + j] as number) * (inv[j] as number);
    }
    gram(scaled, rows, cols, "rows", 1, 0, k);
    for (let i = 0; i < rows; i++) k[i * rows + i] = (k[i * rows + i] as number) + 1;
    // rank-one terms (c_g / a_g) v_g v_gᵀ, v_g = B_g x_g
    const v = this.vecRows;
    for (let g = 0; g < G; g++) {
      const ag = aG[g] as number;
      const bg = bG[g] as number;
      const coef = bg / (eG[g] as number) / ag;
      if (!(coef > 0) || !Number.isFinite(coef)) continue;
      const s0 = ptr[g] as number;
      const s1 = ptr[g + 1] as number;
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const o = i * cols;
        for (let j = s0; j < s1; j++) s += (b[o + j] as number) * (x[j] as number);
        v[i] = s;
      }
      for (let i = 0; i < rows; i++) {
        const vi = coef * (v[i] as number);
        if (vi === 0) continue;
        const o = i * rows;
        for (let j = 0; j < rows; j++) k[o + j] = (k[o + j] as number) + vi * (v[j] as number);
      }
    }
    if (!choleskyInPlace(k, rows)) return false;
    const woodbury = (r: Float64Array, out: Float64Array): void => {
      // out = D⁻¹r − D⁻¹Bᵀ K⁻¹ B D⁻¹ r
      applyDinv(ptr, aG, bG, eG, x, r, out);
      gemv("no-transpose", rows, cols, 1, b, cols, 1, 0, out, 1, 0, 0, this.vecRows2, 1, 0);
      choleskySolve(k, rows, this.vecRows2);
      gemv("transpose", rows, cols, 1, b, cols, 1, 0, this.vecRows2, 1, 0, 0, this.vecCols, 1, 0);
      applyDinv(ptr, aG, bG, eG, x, this.vecCols, this.vecCols);
      for (let j = 0; j < cols; j++) out[j] = (out[j] as number) - (this.vecCols[j] as number);
    };
    woodbury(rhs, dx);
    // refinement: res = rhs − (BᵀB + D) dx
    const res = new Float64Array(cols);
    gemv("no-transpose", rows, cols, 1, b, cols, 1, 0, dx, 1, 0, 0, this.vecRows2, 1, 0);
    gemv("transpose", rows, cols, 1, b, cols, 1, 0, this.vecRows2, 1, 0, 0, res, 1, 0);
    applyD(ptr, aG, bG, x, dx, res);
    for (let j = 0; j < cols; j++) res[j] = (rhs[j] as number) - (res[j] as number);
    const corr = new Float64Array(cols);
    woodbury(res, corr);
    for (let j = 0; j < cols; j++) dx[j] = (dx[j] as number) + (corr[j] as number);
    return allFinite(dx);
  }

  /** `out = (Q + D) v` for the primal form. */
  private applyOperatorPrimal(
    q: Float64Array,
    x: Float64Array,
    ptr: Int32Array,
    aG: Float64Array,
    bG: Float64Array,
    v: Float64Array,
    out: Float64Array,
  ): void {
    const cols = this.problem.cols;
    if (this.quadratic) {
      gemv("no-transpose", cols, cols, 1, q, cols, 1, 0, v, 1, 0, 0, out, 1, 0);
    } else {
      // q was overwritten by the factorization: use B
      const rows = this.problem.rows;
      gemv("no-transpose", rows, cols, 1, this.b, cols, 1, 0, v, 1, 0, 0, this.vecRows2, 1, 0);
      gemv("transpose", rows, cols, 1, this.b, cols, 1, 0, this.vecRows2, 1, 0, 0, out, 1, 0);
    }
    applyD(ptr, aG, bG, x, v, out);
  }
}

/** `out += D v`, `D_g = a_g I − b_g x_g x_gᵀ`. */
function applyD(
  ptr: Int32Array,
  aG: Float64Array,
  bG: Float64Array,
  x: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  for (let g = 0; g < aG.length; g++) {
    const s0 = ptr[g] as number;
    const s1 = ptr[g + 1] as number;
    let xv = 0;
    for (let j = s0; j < s1; j++) xv += (x[j] as number) * (v[j] as number);
    const ag = aG[g] as number;
    const f = (bG[g] as number) * xv;
    for (let j = s0; j < s1; j++)
      out[j] = (out[j] as number) + ag * (v[j] as number) - f * (x[j] as number);
  }
}

/** `out = D⁻¹ v`, `D_g⁻¹ = (1/a)(I + c x xᵀ)`, `c = b / e`, `e = a − b‖x‖²`; `out` may alias `v`. */
function applyDinv(
  ptr: Int32Array,
  aG: Float64Array,
  bG: Float64Array,
  eG: Float64Array,
  x: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  for (let g = 0; g < aG.length; g++) {
    const s0 = ptr[g] as number;
    const s1 = ptr[g + 1] as number;
    const ag = aG[g] as number;
    const bg = bG[g] as number;
    const cg = bg / (eG[g] as number);
    let xv = 0;
    for (let j = s0; j < s1; j++) xv += (x[j] as number) * (v[j] as number);
    const f = cg * xv;
    for (let j = s0; j < s1; j++) out[j] = ((v[j] as number) + f * (x[j] as number)) / ag;
  }
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] as number)) return false;
  return true;
}

function maxDiag(q: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(q[i * n + i] as number));
  return m;
}
