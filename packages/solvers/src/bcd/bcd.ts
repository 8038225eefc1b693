import { InvalidOptionError, validateInteger } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import { denseFormOf } from "../operators/dense-form-of.js";
import type { GroupStructure } from "../regularizer.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "../solver.js";
import { kktWorkingSet } from "../working-set/kkt-working-set.js";
import { AndersonMemory } from "./anderson.js";
import { type ColumnBlocks, cachedColumnBlocks } from "./column-blocks.js";

/**
 * Options of {@link bcd}: the shared {@link SolveOptions} plus its own.
 *
 * @example
 * ```ts
 * import type { BcdOptions } from "@convexformer/solvers";
 * const options: BcdOptions = { tolerance: 1e-8, workingSetSize: 5, andersonDepth: 5 };
 * options.workingSetSize; // 5
 * ```
 */
export interface BcdOptions extends SolveOptions {
  /** Smallest working set `p₀` (groups): the first set and the floor of every later one. Default 10. */
  readonly workingSetSize?: number;
  /** Anderson extrapolation every this many epochs (`K`, the number of differences; 0: off). Default 5. */
  readonly andersonDepth?: number;
  /** Restricted duality gap checked every this many epochs of an inner solve. Default 5. */
  readonly checkEvery?: number;
  /**
   * Most numbers kept in compact copies of the working set's column blocks (each block is
   * copied on first use; later products run unit-stride kernels on the copy instead of the
   * operator's column products). Default `2^24` (128 MiB).
   */
  readonly maxCachedEntries?: number;
}

const BCD_KEYS = ["workingSetSize", "andersonDepth", "checkEvery", "maxCachedEntries"] as const;
const DEFAULT_MAX_CACHED = 2 ** 24;

/**
 * A {@link Solver} whose `solve` also takes {@link BcdOptions}.
 *
 * @example
 * ```ts
 * import { type BcdSolver, bcd } from "@convexformer/solvers";
 * const solver: BcdSolver = bcd;
 * solver.name; // "bcd"
 * ```
 */
export interface BcdSolver extends Solver {
  /**
   * Solves `problem` by working-set block-coordinate descent; see {@link BcdOptions}.
   *
   * @param problem - a composite problem whose regularizer has a group structure (`groupL2`
   *   or `l1`; otherwise `InvalidOptionError`), validated like every solver's input
   * @param options - the shared {@link SolveOptions} plus the {@link BcdOptions} keys (default
   *   `{}`; unknown keys throw `InvalidOptionError`)
   */
  solve(problem: CompositeProblem, options?: BcdOptions): SolveResult;
}

/**
 * Working-set block-coordinate descent with Anderson acceleration (the method of celer and
 * skglm) for the weighted group lasso `F(Ax) + λ Σ_g w_g ‖x_g‖₂` (ℓ1 is groups of size one).
 *
 * Outer loop: certify the full problem (duality gap from the dual point `−s∇F(Ax)`, in
 * float64), score every group by its distance to optimality (`max(0, ‖A_gᵀ∇F‖ − λw_g)` at
 * zero groups; the support always in), keep the best `max(p₀, 2·|support|)`. Inner loop on
 * that working set: cyclic epochs of proximal block steps
 * `x_g ← prox_{λw_g/L_g}(x_g − A_gᵀ∇F(Ax)/L_g)` with per-group Lipschitz constants
 * `L_g = smoothness·‖A_g‖₂²` (estimated by power iteration, raised by backtracking whenever
 * the step fails the sufficient-decrease test, so any smooth loss is safe), Anderson
 * extrapolation of the last `K + 1` epochs accepted only when it lowers the objective, until
 * the restricted duality gap is below 0.3 × the outer gap. One iteration is one epoch;
 * `onIteration`, `maxIterations`, `timeLimitMs` and `signal` count and stop epochs.
 *
 * Column blocks come from the operator's dense form when it has one, else from
 * `applyColumns` / `adjointColumns`, else from the full operator on a padded vector (slow).
 *
 * Not the default solver (FISTA is), by measurement (`packages/attention/bench/solver-choice.bench.ts`
 * and `pnpm bench:solvers`, 1e-6, see docs/benchmarks.md): it needs a group ℓ2 / ℓ1
 * regularizer, so it cannot solve the sequence program (33); it is 3× slower than FISTA on the
 * cross-entropy program (12) (every block step recomputes the joint softmax gradient over all
 * rows); on the gated program (14) and the scnn instances it takes 35–45% fewer epochs than
 * FISTA takes iterations, but each epoch runs one group at a time while FISTA's working set runs
 * through the attention operators' `restrictColumns` (one fused wasm product over the kept
 * blocks), so FISTA is 3–6× faster there (quiet machine, 2026-12-02: (14) at N = 2,000 0.29 s
 * against 0.86 s; scnn N = 2,000 0.29 s against 1.45 s, N = 10,000 5.5 s against 35 s); it ties
 * on the scalar program (9) and wins on tall dense designs (2.3× on the solver bench's
 * 20,000 × 2,000). Pick it by name for ℓ1 / group-lasso problems with few active groups.
 *
 * @throws InvalidOptionError when the regularizer has no group structure, or for bad options
 * @example
 * ```ts
 * import { bcd, createProblem, denseOperator, groupL2, squaredLoss } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * // exact instance 1: optimum (7/8, −7/8), value 15/64
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = bcd.solve(problem, { tolerance: 1e-10 });
 * result.status; // "converged"
 * result.objective; // ≈ 0.234375
 * ```
 */
export const bcd: BcdSolver = {
  name: "bcd",
  description: "working-set block-coordinate descent with Anderson acceleration",
  solve: solveBcd,
};

function solveBcd(problem: CompositeProblem, options: BcdOptions = {}): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "bcd",
    defaultMaxIterations: 100_000,
    extraOptionKeys: BCD_KEYS,
  });
  const groups = problem.regularizer.groups;
  if (groups === undefined) {
    throw new InvalidOptionError(
      "problem.regularizer",
      problem.regularizer.name,
      "bcd needs a group-structured regularizer (group ℓ2 or ℓ1)",
    );
  }
  const p0 = options.workingSetSize ?? 10;
  validateInteger("options.workingSetSize", p0, 1);
  const K = options.andersonDepth ?? 5;
  validateInteger("options.andersonDepth", K, 0);
  const checkEvery = options.checkEvery ?? 5;
  validateInteger("options.checkEvery", checkEvery, 1);

  const { operator, loss, lambda } = problem;
  const { count: G } = groups;
  const maxCached = options.maxCachedEntries ?? DEFAULT_MAX_CACHED;
  if (!(typeof maxCached === "number" && maxCached >= 0)) {
    throw new InvalidOptionError("options.maxCachedEntries", maxCached, "must be a number >= 0");
  }
  const blocks = cachedColumnBlocks(operator, denseFormOf(operator), maxCached);
  const Lg = new Float64Array(G).fill(Number.NaN);
  const x = monitor.initialPoint();
  monitor.endSetup();

  let cert = monitor.certify(x);
  let status: SolveStatus | undefined = monitor.start(x, cert);
  if (status !== undefined) return monitor.finish(x, status);

  const rows = operator.rows;
  const Ax = Float64Array.from(monitor.certificateBuffers.predictions);
  const lg = new Float64Array(rows);
  const F = loss.gradient(Ax, lg);
  const state: InnerState = {
    problem,
    groups,
    blocks,
    Lg,
    x,
    Ax,
    lg,
    F,
    maxSize: maxGroupSize(groups),
  };
  const score = new Float64Array(G);
  const inSet = new Uint8Array(G);
  const noneScreened = new Uint8Array(G);
  const tolerance = monitor.tolerance;
  for (;;) {
    // 1–2. the working set: the support plus the worst violators by distance to optimality
    // from the full certificate's gradient, max(p₀, 2·|support|) groups
    const { keep: ws, complete } = kktWorkingSet(
      monitor.certificateBuffers.gradient,
      x,
      groups,
      lambda,
      noneScreened,
      { score, inSet },
      { workingSet: true, minSize: p0, rule: "excess" },
    );
    const innerTolerance = complete ? tolerance : Math.max(0.5 * tolerance, 0.3 * cert.relativeGap);

    // 3. inner BCD epochs with Anderson extrapolation
    status = innerSolve(state, ws, innerTolerance, K, checkEvery, monitor);
    if (status !== undefined) return monitor.finish(x, status);

    // 4. the full certificate decides
    monitor.certificateBuffers.predictions.set(Ax);
    cert = monitor.certify(x, true);
    if (monitor.recordCertificate(x, cert)) return monitor.finish(x, "converged");
    const stop = monitor.interrupted();
    if (stop !== undefined) return monitor.finish(x, stop);
  }
}

/** The iterate and its by-products, updated in place by the inner solves. */
interface InnerState {
  readonly problem: CompositeProblem;
  readonly groups: GroupStructure;
  readonly blocks: ColumnBlocks;
  /** Per-group Lipschitz estimates (`NaN`: not yet estimated). */
  readonly Lg: Float64Array;
  readonly x: Float64Array;
  readonly Ax: Float64Array;
  /** `∇F(Ax)`. */
  readonly lg: Float64Array;
  /** `F(Ax)`. */
  F: number;
  readonly maxSize: number;
}

/**
 * Epochs over the groups `ws` until the restricted duality gap is at most `innerTolerance` (or
 * the monitor stops the solve: its status is returned).
 */
function innerSolve(
  s: InnerState,
  ws: Int32Array,
  innerTolerance: number,
  K: number,
  checkEvery: number,
  monitor: SolveMonitor,
): SolveStatus | undefined {
  const { problem, groups, blocks, Lg, x, Ax, lg } = s;
  const { loss, lambda } = problem;
  const { ptr, weights } = groups;
  const rows = problem.operator.rows;
  const m = s.maxSize;
  const gradG = new Float64Array(m);
  const z = new Float64Array(m);
  const d = new Float64Array(m);
  const Ad = new Float64Array(rows);
  const trial = new Float64Array(rows);
  const lgTrial = new Float64Array(rows);
  let dimW = 0;
  for (const g of ws) dimW += (ptr[g + 1] as number) - (ptr[g] as number);
  const xw = new Float64Array(dimW + rows);
  const xMem = K > 0 ? new AndersonMemory(K, dimW + rows, dimW) : undefined;
  const c = new Float64Array(Math.max(1, K));
  const xAcc = new Float64Array(dimW + rows);
  const dual = new Float64Array(rows);

  const gather = (out: Float64Array): void => {
    let o = 0;
    for (const g of ws) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      out.set(x.subarray(a, b), o);
      o += b - a;
    }
    out.set(Ax, dimW);
  };
  const penalty = (v: Float64Array, fromCompact: boolean): number => {
    let r = 0;
    let o = 0;
    for (const g of ws) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      let n2 = 0;
      if (fromCompact) for (let i = o; i < o + b - a; i++) n2 += (v[i] as number) ** 2;
      else for (let i = a; i < b; i++) n2 += (v[i] as number) ** 2;
      r += (weights[g] as number) * Math.sqrt(n2);
      o += b - a;
    }
    return r;
  };
  let R = penalty(x, false);

  for (let epoch = 1; ; epoch++) {
    // one cyclic epoch of proximal block steps
    for (const g of ws) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      const len = b - a;
      if (len === 0) continue;
      let L = Lg[g] as number;
      if (Number.isNaN(L)) L = Lg[g] = blockLipschitz(s, a, b, Ad, z);
      blocks.adjoint(a, b, lg, gradG);
      const lw = lambda * (weights[g] as number);
      let accepted = false;
      for (let bt = 0; bt < 60; bt++) {
        let nz = 0;
        for (let i = 0; i < len; i++) {
          const v = (x[a + i] as number) - (gradG[i] as number) / L;
          z[i] = v;
          nz += v * v;
        }
        nz = Math.sqrt(nz);
        const scale = nz > lw / L ? 1 - lw / (L * nz) : 0;
        let lin = 0;
        let sq = 0;
        let nonzero = false;
        for (let i = 0; i < len; i++) {
          const di = scale * (z[i] as number) - (x[a + i] as number);
          d[i] = di;
          if (di !== 0) nonzero = true;
          lin += (gradG[i] as number) * di;
          sq += di * di;
        }
        if (!nonzero) {
          accepted = true;
          break;
        }
        blocks.apply(a, b, d, Ad);
        for (let i = 0; i < rows; i++) trial[i] = (Ax[i] as number) + (Ad[i] as number);
        const Ft = loss.gradient(trial, lgTrial);
        if (
          Ft <= s.F + lin + 0.5 * L * sq + 1e-12 * Math.max(1, Math.abs(s.F)) ||
          !Number.isFinite(L)
        ) {
          for (let i = 0; i < len; i++) x[a + i] = (x[a + i] as number) + (d[i] as number);
          Ax.set(trial);
          lg.set(lgTrial);
          s.F = Ft;
          accepted = true;
          break;
        }
        L *= 2;
      }
      Lg[g] = L;
      if (!accepted) break;
    }
    R = penalty(x, false);
    let objective = s.F + lambda * R;

    // Anderson extrapolation over the working set (variables and predictions together)
    if (xMem !== undefined) {
      gather(xw);
      if (xMem.push(xw) && xMem.weights(c)) {
        xMem.combine(c, xAcc);
        const predAcc = xAcc.subarray(dimW);
        const Facc = loss.gradient(predAcc, lgTrial);
        const Racc = penalty(xAcc, true);
        const Pacc = Facc + lambda * Racc;
        if (Number.isFinite(Pacc) && Pacc < objective) {
          let o = 0;
          for (const g of ws) {
            const a = ptr[g] as number;
            const b = ptr[g + 1] as number;
            x.set(xAcc.subarray(o, o + b - a), a);
            o += b - a;
          }
          Ax.set(predAcc);
          lg.set(lgTrial);
          s.F = Facc;
          R = Racc;
          objective = Pacc;
        }
      }
    }

    const status = monitor.step(x, objective);
    if (status !== undefined) return status;
    if (epoch % checkEvery !== 0) continue;
    const gap = objective - restrictedDualValue(s, ws, gradG, dual);
    if (gap <= innerTolerance * Math.max(1, Math.abs(objective))) return undefined;
  }
}

/**
 * The dual value of the working set's problem at `−s∇F`, with `s` making it feasible on the
 * working set (`gradG` and `dual` are scratch).
 */
function restrictedDualValue(
  s: InnerState,
  ws: Int32Array,
  gradG: Float64Array,
  dual: Float64Array,
): number {
  const { problem, groups, blocks, lg } = s;
  const { ptr, weights } = groups;
  const { lambda, loss } = problem;
  let polar = 0;
  for (const g of ws) {
    const a = ptr[g] as number;
    const b = ptr[g + 1] as number;
    blocks.adjoint(a, b, lg, gradG);
    let n2 = 0;
    for (let i = 0; i < b - a; i++) n2 += (gradG[i] as number) ** 2;
    const r = Math.sqrt(n2) / (weights[g] as number);
    if (r > polar) polar = r;
  }
  const scale = polar > lambda ? lambda / polar : 1;
  for (let i = 0; i < dual.length; i++) dual[i] = -scale * (lg[i] as number);
  return loss.dualValue(dual);
}

/** `smoothness · ‖A_g‖₂²` for the columns `[a, b)` by a few power iterations (a lower bound; backtracking raises it). */
function blockLipschitz(
  s: InnerState,
  a: number,
  b: number,
  Av: Float64Array,
  v: Float64Array,
): number {
  const len = b - a;
  for (let i = 0; i < len; i++) v[i] = 1 + ((i * 7919) % 13) / 13;
  let rayleigh = 0;
  for (let it = 0; it < (len === 1 ? 1 : 4); it++) {
    let nv = 0;
    for (let i = 0; i < len; i++) nv += (v[i] as number) ** 2;
    nv = Math.sqrt(nv);
    if (!(nv > 0) || !Number.isFinite(nv)) break;
    for (let i = 0; i < len; i++) v[i] = (v[i] as number) / nv;
    s.blocks.apply(a, b, v, Av);
    let q = 0;
    for (let i = 0; i < Av.length; i++) q += (Av[i] as number) ** 2;
    rayleigh = q;
    s.blocks.adjoint(a, b, Av, v);
  }
  const L = s.problem.loss.smoothness * rayleigh;
  return L > 0 && Number.isFinite(L) ? L : Math.max(s.problem.loss.smoothness, 1e-12);
}

function maxGroupSize(groups: GroupStructure): number {
  let m = 1;
  for (let g = 0; g < groups.count; g++)
    m = Math.max(m, (groups.ptr[g + 1] as number) - (groups.ptr[g] as number));
  return m;
}
