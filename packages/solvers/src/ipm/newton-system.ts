import { gemv } from "@convexformer/tensors";
import { choleskyInPlace, choleskySolve } from "../linalg/cholesky.js";
import { gram } from "../linalg/gram.js";
import type { DenseGroupProblem } from "./dense-group-problem.js";
import { applyFactorTranspose, hessianFactor } from "./hessian-factor.js";

/** The form of the Newton system: `"primal"` (`cols × cols`), `"dual"` (`rows × rows`), or `"auto"` (the cheaper). @internal */
export type NewtonSystemForm = "auto" | "primal" | "dual";

/**
 * The eliminated Newton system `(AᵀHA + D) dx = r` of the barrier method (see
 * `barrierSolve`), built and solved in whichever form is cheaper:
 *
 * - primal: Cholesky of the `cols × cols` matrix `AᵀHA + D` (`AᵀA` cached for the squared
 *   loss, where `H` is a constant multiple of the identity);
 * - dual (sample space, for `rows < cols`): Cholesky of `I + LᵀA D⁻¹ AᵀL` (`H = LLᵀ`) and the
 *   Woodbury identity,
 *
 * each followed by one step of iterative refinement. `D` is block diagonal, a scaled identity
 * minus a rank-one term per group: `D_g = a_g I − b_g x_g x_gᵀ`. The Gram products and the
 * factorizations call `poll` between blocks, so a caller can stop a long set-up (it throws
 * from `poll` to stop). @internal
 */
export class NewtonSystem {
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
  private readonly poll: () => void;

  /**
   * @param problem - the dense group lasso
   * @param quadratic - whether the loss is the squared loss (constant Hessian)
   * @param system - the form, or `"auto"` for the cheaper one
   * @param poll - called between blocks of the Gram products and factorizations
   */
  constructor(
    problem: DenseGroupProblem,
    quadratic: boolean,
    system: NewtonSystemForm,
    poll: () => void = () => {},
  ) {
    this.problem = problem;
    this.poll = poll;
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

  /**
   * Solves the system at the current point into `dx`.
   *
   * @returns `false` when it is not numerically positive definite (even with a ridge)
   */
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
        this.cachedGram ??= gram(
          a,
          rows,
          cols,
          "columns",
          this.problem.loss.smoothness,
          0,
          undefined,
          this.poll,
        );
        q = this.cachedGram;
      } else {
        this.buildB(yhat);
        q = this.m;
      }
      const m = this.m;
      let ridge = 0;
      for (let attempt = 0; attempt < 6; attempt++) {
        if (m !== q) m.set(q);
        else gram(this.b, rows, cols, "columns", 1, 0, m, this.poll);
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
        if (choleskyInPlace(m, cols, this.poll)) {
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
    gram(scaled, rows, cols, "rows", 1, 0, k, this.poll);
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
    if (!choleskyInPlace(k, rows, this.poll)) return false;
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
