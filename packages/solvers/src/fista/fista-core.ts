import type { CompositeProblem } from "../composite-problem.js";

/**
 * Adaptive-restart rules of FISTA (O'Donoghue and Candès): `"gradient"` restarts the momentum
 * when the step and the momentum disagree, `"function"` when the objective increases, `"none"`
 * never does.
 *
 * @example
 * ```ts
 * import { fista, type FistaRestart } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const rules: FistaRestart[] = ["gradient", "function", "none"];
 * rules.map((restart) => fista.solve(problem, { tolerance: 1e-8, restart }).status); // ["converged", "converged", "converged"]
 * ```
 */
export type FistaRestart = "gradient" | "function" | "none";

/** Mutable step-size state shared across the inner solves of one FISTA run. @internal */
export interface FistaState {
  /** Current Lipschitz estimate `L` (step `1/L`). */
  L: number;
  /** FISTA's `t` after the last step (read and written only when a previous iterate is passed). */
  t?: number;
  /** Momentum weight of the next step (read and written only when a previous iterate is passed). */
  beta?: number;
}

/** The previous iterate and its image, for carrying momentum across calls. @internal */
export interface FistaPrevious {
  /** The previous iterate (same length as `x`), updated in place. */
  readonly x: Float64Array;
  /** `A` times the previous iterate, updated in place. */
  readonly Ax: Float64Array;
}

/** @internal */
export interface FistaCoreSettings {
  readonly restart: FistaRestart;
  /** Factor by which the step grows after each accepted step (`≥ 1`). */
  readonly stepGrowth: number;
}

/**
 * Accelerated proximal gradient (FISTA) with backtracking, step growth (the momentum rule of
 * Scheinberg, Goldfarb and Bai for varying steps) and adaptive restart, from `x` with
 * `Ax = A x`, updating both in place. `afterStep` runs after every accepted step and stops the
 * loop by returning `true`. With `previous`, the momentum carries over: the loop starts from
 * `previous` and `state.t` / `state.beta` and leaves them as the next call needs them (an
 * outer loop keeps the acceleration across working-set rounds); without it, the momentum
 * starts at zero. @internal
 */
export function fistaCore(
  problem: CompositeProblem,
  x: Float64Array,
  Ax: Float64Array,
  state: FistaState,
  settings: FistaCoreSettings,
  afterStep: (x: Float64Array, Ax: Float64Array, objective: number) => boolean,
  previous?: FistaPrevious,
): void {
  const { operator, loss, regularizer, lambda } = problem;
  const n = problem.dim;
  const m = operator.rows;
  const xPrev = previous?.x ?? Float64Array.from(x);
  const AxPrev = previous?.Ax ?? Float64Array.from(Ax);
  const y = new Float64Array(n);
  const Ay = new Float64Array(m);
  const gy = new Float64Array(m);
  const g = new Float64Array(n);
  const z = new Float64Array(n);
  const Az = new Float64Array(m);
  let t = previous === undefined ? 1 : (state.t ?? 1);
  let Px = loss.value(Ax) + lambda * regularizer.value(x);
  let beta = previous === undefined ? 0 : (state.beta ?? 0);
  const save = (): void => {
    if (previous === undefined) return;
    state.t = t;
    state.beta = beta;
  };
  for (;;) {
    for (let i = 0; i < n; i++)
      y[i] = (x[i] as number) + beta * ((x[i] as number) - (xPrev[i] as number));
    for (let i = 0; i < m; i++)
      Ay[i] = (Ax[i] as number) + beta * ((Ax[i] as number) - (AxPrev[i] as number));
    const Fy = loss.gradient(Ay, gy);
    operator.adjoint(gy, g);
    let L = state.L;
    let Fz: number;
    for (;;) {
      const step = 1 / L;
      for (let i = 0; i < n; i++) z[i] = (y[i] as number) - step * (g[i] as number);
      regularizer.prox(z, lambda * step, z);
      let lin = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const d = (z[i] as number) - (y[i] as number);
        lin += (g[i] as number) * d;
        sq += d * d;
      }
      operator.apply(z, Az);
      Fz = loss.value(Az);
      const bound = Fy + lin + 0.5 * L * sq;
      if (Fz <= bound + 1e-12 * Math.max(1, Math.abs(Fy)) || !Number.isFinite(L) || sq === 0) break;
      if (!Number.isFinite(Fz) && L > 1e300) break;
      L *= 2;
    }
    const Pz = Fz + lambda * regularizer.value(z);
    let restart = false;
    if (settings.restart === "gradient") {
      let s = 0;
      for (let i = 0; i < n; i++)
        s += ((y[i] as number) - (z[i] as number)) * ((z[i] as number) - (x[i] as number));
      restart = s > 0;
    } else if (settings.restart === "function" && Pz > Px && beta > 0) {
      // reject the step: stay at x, drop the momentum
      t = 1;
      beta = 0;
      xPrev.set(x);
      AxPrev.set(Ax);
      state.L = L;
      save();
      if (afterStep(x, Ax, Px)) return;
      continue;
    }
    // xPrev ← x, x ← z (x and Ax are the caller's buffers)
    xPrev.set(x);
    x.set(z);
    AxPrev.set(Ax);
    Ax.set(Az);
    Px = Pz;
    const nextL = L / settings.stepGrowth;
    if (restart) {
      t = 1;
      beta = 0;
    } else {
      const tNext = (1 + Math.sqrt(1 + 4 * (nextL / L) * t * t)) / 2;
      beta = (t - 1) / tNext;
      t = tNext;
    }
    state.L = nextL;
    save();
    if (afterStep(x, Ax, Pz)) return;
  }
}
