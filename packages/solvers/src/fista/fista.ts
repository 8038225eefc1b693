import { InvalidOptionError, type Matrix, validateInteger } from "@convexformer/tensors";
import { type Certificate, certificateBuffers, certifyInto } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { LinearOperator } from "../linear-operator.js";
import { LazyBlockNorms } from "../screening/block-norm-bounds.js";
import { gapSafeScreen } from "../screening/gap-safe-screen.js";
import { SolveMonitor } from "../solve-monitor.js";
import type { SolveOptions, SolveResult, Solver, SolveStatus } from "../solver.js";
import { estimateLipschitz } from "../step-size/estimate-lipschitz.js";
import { type RestrictedProblem, restrictToGroups } from "../working-set/restrict-to-groups.js";
import {
  type FistaCheckpoint,
  type FistaCheckpointHook,
  type FistaRoundState,
  validateFistaCheckpoint,
} from "./fista-checkpoint.js";
import { fistaCheckpointCodec } from "./fista-checkpoint-codec.js";
import { type FistaRestart, type FistaState, fistaCore } from "./fista-core.js";

export type { FistaRestart } from "./fista-core.js";

/**
 * Options of {@link fista}: the shared {@link SolveOptions} plus FISTA's own.
 *
 * @example
 * ```ts
 * import { fista, type FistaOptions } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const reference = fista.solve(problem, { tolerance: 1e-10 }); // defaults: working set, gradient restart
 * const options: FistaOptions = {
 *   tolerance: 1e-10, restart: "function", stepGrowth: 1.1, certificateEvery: 5, workingSet: false, screening: true,
 * };
 * const plain = fista.solve(problem, options);
 * plain.status; // "converged"
 * // both settings certify the same optimum
 * Math.abs(plain.objective - reference.objective) < 1e-8; // true
 * fista.solve(problem, { stepGrowth: 0.5 }); // throws InvalidOptionError
 * ```
 */
export interface FistaOptions extends SolveOptions {
  /**
   * Adaptive restart of the momentum (O'Donoghue and Candès): `"gradient"` (default) when the
   * step and the momentum disagree, `"function"` when the objective increases, or `"none"`.
   */
  readonly restart?: FistaRestart;
  /** The step grows by this factor after every accepted step (`≥ 1`; backtracking shrinks it). Default 1.05. */
  readonly stepGrowth?: number;
  /** Certificate (duality gap) every this many iterations. Default 10. */
  readonly certificateEvery?: number;
  /**
   * Gap-safe screening: drop groups that the current dual point proves zero at every optimum
   * (group-structured regularizers whose operator exposes columns or a dense form). The block
   * norms it needs start as Frobenius norms (one pass over the columns) and are tightened to
   * Gram bounds only for groups a tighter bound could screen (not at all under a working
   * set, where screening only prunes candidates). Default `false`: in
   * `packages/attention/bench/fista-options.bench.ts` (relative gap 1e-6, λ = 0.1 λ_max
   * unless noted) screening alone took 0.7–1.2× the time of plain FISTA on dense 2,000 ×
   * 5,000, 500 × 8,000 at 0.5 λ_max and the attention programs (9), (12), (14) (noise
   * level), 1.2× on the one-token gated (scnn) program at N = 2,000 and 1.55× at N = 10,000,
   * p = 100, P = 500 (the bounds' pass and Grams through `applyColumns`, and no group screened
   * before the end), and added 0–30% on top of the working set. It pays at tighter gaps and
   * along paths (bounds cached per solve).
   */
  readonly screening?: boolean;
  /**
   * Working-set outer loop (celer / skglm): solve on the support plus the worst KKT violators
   * (ranked by `‖A_gᵀ∇F‖ / (λ w_g)`; `max(p₀, 2·|support|)` groups while violators abound,
   * `max(p₀, |support| + violators)` when few are left, every group once that is more than
   * half), each inner solve warm-started with the momentum carried over and stopped at 0.3 ×
   * the outer gap, and let the full certificate decide; the restricted operator is the
   * operator's own `restrictColumns` when it has one (the attention operators), else a compact
   * copy of the kept columns (see `restrictToGroups`). Default `true` for group-structured
   * regularizers: in the same bench it took 0.45× the time of plain FISTA on dense 2,000 ×
   * 5,000 (10/100 groups active), 0.3× on 500 × 8,000 (52/400), 0.7× on the gated program
   * (14) (61/256), 0.85–0.95× on scnn at N = 2,000 (43/100), ties on (9) and (12), and
   * 1.05–1.1× at scnn N = 10,000, p = 100, P = 500 (66/500: the kept columns no longer fit a
   * compact copy, and the attention operator's `applyColumns` costs about 5× its full product
   * per column). It takes 0.85–1.25× plain FISTA's iterations (1.3× on the largest scnn), the
   * extra ones on small sets. (Those ratios were measured before the attention operators had
   * `restrictColumns`; with it, on scnn at N = 2,000 plain FISTA and the working set tie.)
   */
  readonly workingSet?: boolean;
  /** Smallest working set `p₀`: the size of the first set and the floor of every later one. Default 10. */
  readonly workingSetSize?: number;
  /**
   * Periodic checkpoints of the whole solver state (see {@link FistaCheckpoint}), plus one when
   * the solve stops early, for `resumeFrom`.
   */
  readonly checkpoint?: FistaCheckpointHook;
  /**
   * Continue from a checkpoint written by a solve of the same problem with the same FISTA
   * settings: the solve takes the steps the uninterrupted one would have taken (`warmStart` is
   * ignored; the clock and the time limit start afresh; `maxIterations` counts all iterations).
   */
  readonly resumeFrom?: FistaCheckpoint;
}

/** Default of {@link FistaOptions.screening}. */
const DEFAULT_SCREENING = false;
/** Default of {@link FistaOptions.workingSet}. */
const DEFAULT_WORKING_SET = true;

const FISTA_OPTION_NAMES = [
  "restart",
  "stepGrowth",
  "certificateEvery",
  "screening",
  "workingSet",
  "workingSetSize",
  "checkpoint",
  "resumeFrom",
] as const;

/**
 * The type of {@link fista}: a {@link Solver} whose `solve` also takes {@link FistaOptions}
 * (kept as a name for `Solver<FistaOptions>`).
 *
 * @example
 * ```ts
 * import { type FistaSolver, fista } from "@convexformer/solvers";
 * const solver: FistaSolver = fista;
 * solver.name; // "fista"
 * ```
 */
export type FistaSolver = Solver<FistaOptions>;

/**
 * FISTA (accelerated proximal gradient) for `F(Ax) + λ R(x)`: backtracking line search with
 * step growth, adaptive restart, warm start, a duality-gap certificate every
 * `certificateEvery` iterations, and, for group ℓ2 / ℓ1, gap-safe screening and a working-set
 * outer loop. Converges at `O(1/k²)`; each iteration costs one `apply` and one `adjoint`
 * (plus one `apply` per backtracking step).
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { createProblem, denseOperator, fista, groupL2, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const result = fista.solve(problem, { tolerance: 1e-10 });
 * result.x; // [0.875, -0.875] ± 1e-9
 * result.objective; // ≈ 0.234375
 * ```
 */
export const fista: FistaSolver = {
  name: "fista",
  description: "accelerated proximal gradient (default; resumable, matrix-free)",
  checkpoints: fistaCheckpointCodec,
  solve: solveFista,
};

function solveFista(problem: CompositeProblem, options: FistaOptions = {}): SolveResult {
  const monitor = new SolveMonitor(problem, options, {
    solver: "fista",
    defaultMaxIterations: 100_000,
    extraOptionKeys: FISTA_OPTION_NAMES,
  });
  const restart = options.restart ?? "gradient";
  if (restart !== "gradient" && restart !== "function" && restart !== "none") {
    throw new InvalidOptionError(
      "options.restart",
      restart,
      'must be "gradient", "function" or "none"',
    );
  }
  const stepGrowth = options.stepGrowth ?? 1.05;
  if (!(typeof stepGrowth === "number" && stepGrowth >= 1 && Number.isFinite(stepGrowth))) {
    throw new InvalidOptionError("options.stepGrowth", stepGrowth, "must be a finite number >= 1");
  }
  const certEvery = options.certificateEvery ?? 10;
  validateInteger("options.certificateEvery", certEvery, 1);
  const wsSize = options.workingSetSize ?? 10;
  validateInteger("options.workingSetSize", wsSize, 1);
  for (const key of ["screening", "workingSet"] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean")
      throw new InvalidOptionError(`options.${key}`, v, "must be a boolean");
  }
  const settings = { restart, stepGrowth };
  const { operator, loss, lambda } = problem;
  const groups = problem.regularizer.groups;
  const tol = monitor.tolerance;

  const hook = options.checkpoint;
  if (hook !== undefined) {
    if (typeof hook !== "object" || hook === null || typeof hook.write !== "function")
      throw new InvalidOptionError(
        "options.checkpoint",
        typeof hook,
        "must be { write(checkpoint), everyIterations?, everyMs? }",
      );
    if (hook.everyIterations !== undefined)
      validateInteger("options.checkpoint.everyIterations", hook.everyIterations, 1);
    if (hook.everyMs !== undefined && !(typeof hook.everyMs === "number" && hook.everyMs > 0))
      throw new InvalidOptionError(
        "options.checkpoint.everyMs",
        hook.everyMs,
        "must be a number > 0",
      );
  }
  const useScreening = groups !== undefined && (options.screening ?? DEFAULT_SCREENING);
  const useWorkingSet = groups !== undefined && (options.workingSet ?? DEFAULT_WORKING_SET);
  const plain = groups === undefined || (!useScreening && !useWorkingSet);
  const resume = options.resumeFrom;
  if (resume !== undefined)
    validateFistaCheckpoint(
      resume,
      problem.dim,
      operator.rows,
      groups?.count,
      plain ? "plain" : "rounds",
    );

  // set-up honours the signal and the time limit: the power iterations stop early, the
  // solve then returns the starting point (certified) with the status
  const x = resume === undefined ? monitor.initialPoint() : Float64Array.from(resume.x);
  const stopSetup = () => monitor.interrupted() !== undefined;
  const state: FistaState =
    resume === undefined
      ? { L: estimateLipschitz(problem, { stop: stopSetup }), t: 1, beta: 0 }
      : { L: resume.lipschitz, t: resume.t, beta: resume.beta };
  const setupStop = monitor.interrupted();
  if (setupStop !== undefined) return monitor.finish(x, setupStop);
  monitor.endSetup();

  // checkpoints: every `everyIterations` iterations / `everyMs` ms, and when stopping early
  const everyIterations = hook?.everyIterations;
  const everyMs = hook?.everyMs ?? (everyIterations === undefined ? 1000 : undefined);
  let lastCheckpointMs = monitor.elapsedMs;
  const checkpointDue = (stopping: SolveStatus | undefined): boolean => {
    if (hook === undefined) return false;
    if (stopping !== undefined) return stopping !== "converged" && stopping !== "diverged";
    if (everyIterations !== undefined && monitor.iteration % everyIterations === 0) return true;
    return everyMs !== undefined && monitor.elapsedMs - lastCheckpointMs >= everyMs;
  };
  const emit = (
    c: Omit<FistaCheckpoint, "solver" | "mode" | "monitor" | "lipschitz" | "t" | "beta">,
  ) => {
    lastCheckpointMs = monitor.elapsedMs;
    hook?.write({
      solver: "fista",
      mode: plain ? "plain" : "rounds",
      lipschitz: state.L,
      t: state.t ?? 1,
      beta: state.beta ?? 0,
      monitor: monitor.snapshot(),
      ...c,
    });
  };

  let cert: Certificate;
  let status: SolveStatus | undefined;
  let Ax: Float64Array;
  if (resume === undefined) {
    cert = monitor.certify(x);
    status = monitor.start(x, cert);
    if (status !== undefined) return monitor.finish(x, status);
    Ax = Float64Array.from(monitor.certificateBuffers.predictions);
  } else {
    status = monitor.resume(resume.monitor);
    if (status !== undefined) return monitor.finish(x, status);
    Ax = Float64Array.from(resume.Ax);
    // not offered to the monitor (that would change its best dual): only the rounds' first
    // screening reads it, and a resumed round skips that
    cert = certifyInto(problem, x, certificateBuffers(problem), false);
  }

  if (plain) {
    let k = resume?.steps ?? 0;
    const xPrev = resume === undefined ? Float64Array.from(x) : Float64Array.from(resume.xPrevious);
    const AxPrev =
      resume === undefined ? Float64Array.from(Ax) : Float64Array.from(resume.AxPrevious);
    fistaCore(
      problem,
      x,
      Ax,
      state,
      settings,
      (xk, Axk, objective) => {
        k++;
        if (k % certEvery === 0) {
          monitor.certificateBuffers.predictions.set(Axk);
          status = monitor.step(xk, objective, monitor.certify(xk, true));
        } else {
          status = monitor.step(xk, objective);
        }
        if (checkpointDue(status))
          emit({
            x: Float64Array.from(xk),
            xPrevious: Float64Array.from(xPrev),
            Ax: Float64Array.from(Axk),
            AxPrevious: Float64Array.from(AxPrev),
            steps: k,
          });
        return status !== undefined;
      },
      { x: xPrev, Ax: AxPrev },
    );
    return monitor.finish(x, status ?? "max-iterations");
  }

  const G = groups.count;
  const { ptr, weights } = groups;
  // one dense form per solve (free for dense operators), shared by every restriction and bound
  const dense = denseFormOf(operator);
  let bounds: LazyBlockNorms | undefined;
  let boundsTried = false;
  const screened = new Uint8Array(G);
  const inSet = new Uint8Array(G);
  const score = new Float64Array(G);
  let previousKeep: Int32Array | undefined;
  let sub: RestrictedProblem | undefined;
  let tighten = 1;
  let lastBase = Number.POSITIVE_INFINITY;
  // FISTA's previous iterate in the full space, for momentum across rounds
  const xPrevFull = Float64Array.from(resume === undefined ? x : resume.xPrevious);
  const AxPrevFull = Float64Array.from(resume === undefined ? Ax : resume.AxPrevious);
  let resetMomentum = resume === undefined;
  // a resumed solve re-enters its round where it stopped (steps 1–3 were done before)
  let resumeRound: FistaRoundState | undefined = resume?.round;
  if (resumeRound !== undefined) screened.set(resumeRound.screened);

  for (;;) {
    const round = resumeRound;
    resumeRound = undefined;
    let keep: Int32Array;
    let complete: boolean;
    let same: boolean;
    let tolInner: number;
    if (round !== undefined) {
      keep = Int32Array.from(round.keep);
      inSet.fill(0);
      for (const g of keep) inSet[g] = 1;
      complete = round.complete;
      same = false;
      tighten = round.tighten;
      lastBase = round.lastBase;
      tolInner = round.tolerance;
    } else {
      // 1. screening with the current full certificate (bounds built on first use)
      if (useScreening) {
        if (!boundsTried) {
          boundsTried = true;
          bounds = LazyBlockNorms.of(operator, groups, dense, stopSetup);
          const stop = monitor.interrupted();
          if (stop !== undefined) {
            // the bounds' pass was cut short (a resumed solve starts from the last checkpoint)
            return monitor.finish(x, stop);
          }
        }
        if (bounds !== undefined) {
          const added = gapSafeScreen({
            gradient: monitor.certificateBuffers.gradient,
            dualScale: cert.dualScale,
            gap: Math.max(0, cert.objective - cert.dualObjective),
            smoothness: loss.smoothness,
            lambda,
            groups,
            blockNorms: bounds.upper,
            screened,
            // tightening costs rows × size² per group: worth it when screening shrinks every
            // product; with a working set, screening only prunes candidates
            ...(useWorkingSet
              ? {}
              : {
                  refine: (g: number, needed: number) =>
                    (bounds as LazyBlockNorms).refine(g, needed),
                }),
          });
          if (added > 0) {
            let changed = false;
            // (a screened group's zeros drop the momentum: see the reset below)
            for (let g = 0; g < G; g++) {
              if (screened[g] !== 1) continue;
              inSet[g] = 0;
              for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
                if (x[i] !== 0) {
                  x[i] = 0;
                  changed = true;
                }
              }
            }
            if (changed) {
              operator.apply(x, Ax);
              resetMomentum = true;
            }
          }
        }
      }
      // 2. KKT scores ‖A_gᵀ∇F‖ / (λ w_g) (> 1: violated at a zero group), support always in
      const grad = monitor.certificateBuffers.gradient;
      let support = 0;
      let unscreened = 0;
      for (let g = 0; g < G; g++) {
        if (screened[g] === 1) {
          score[g] = -1;
          continue;
        }
        unscreened++;
        let s = 0;
        let nonzero = false;
        for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
          s += (grad[i] as number) * (grad[i] as number);
          if (x[i] !== 0) nonzero = true;
        }
        if (nonzero) {
          support++;
          score[g] = Number.POSITIVE_INFINITY;
        } else {
          score[g] = Math.sqrt(s) / (lambda * (weights[g] as number));
        }
      }
      // 3. the working set (celer / skglm): the support plus the worst violators, by
      //    ‖A_gᵀ∇F‖/(λ w_g): max(p₀, 2·|support|) groups while violators abound (the set
      //    doubles), max(p₀, |support| + violators) when few are left (with costly column
      //    access, every extra group costs); without a working set, every unscreened group
      if (useWorkingSet) {
        let zeroViolators = 0;
        for (let g = 0; g < G; g++) {
          const v = score[g] as number;
          if (v > 1 && v !== Number.POSITIVE_INFINITY) zeroViolators++;
        }
        let size = Math.min(
          Math.max(wsSize, 2 * support),
          Math.max(wsSize, support + zeroViolators),
          unscreened,
        );
        // a set of more than half the groups saves little per iteration and costs a round
        if (2 * size > unscreened) size = unscreened;
        const order: number[] = [];
        for (let g = 0; g < G; g++) if (screened[g] !== 1) order.push(g);
        order.sort((a, b) => (score[b] as number) - (score[a] as number));
        inSet.fill(0);
        for (let k = 0; k < size; k++) inSet[order[k] as number] = 1;
      } else {
        for (let g = 0; g < G; g++) inSet[g] = screened[g] === 1 ? 0 : 1;
      }
      let kept = 0;
      for (let g = 0; g < G; g++) kept += inSet[g] as number;
      keep = new Int32Array(kept);
      for (let g = 0, k = 0; g < G; g++) if (inSet[g] === 1) keep[k++] = g;
      complete = kept === unscreened;
      same = previousKeep !== undefined && sameGroups(previousKeep, keep);
      // inner tolerance tied to the outer gap (celer: 0.3 × gap; the momentum carries across
      // rounds, so short rounds cost no extra iterations), the target itself once every
      // unscreened group is in, halved whenever a round at the target with an unchanged set
      // fell short (the full dual point can lag the restricted one)
      const baseTol = complete ? tol : Math.max(0.5 * tol, 0.3 * cert.relativeGap);
      tighten = same && lastBase <= tol ? tighten * 0.5 : 1;
      lastBase = baseTol;
      tolInner = tighten * baseTol;
    }

    // 4. inner FISTA on the restricted problem (rebuilt only when the set changed)
    if (sub === undefined || !same) {
      sub = restrictToGroups(problem, keep, dense === undefined ? {} : { dense });
      previousKeep = keep;
    }
    const restricted = sub;
    const whole = restricted.strategy === "full";
    // momentum carries across rounds unless the previous iterate lives outside the new set
    for (let g = 0; g < G && !resetMomentum && round === undefined; g++) {
      if (inSet[g] === 1) continue;
      for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
        if (xPrevFull[i] !== 0) {
          resetMomentum = true;
          break;
        }
      }
    }
    if (resetMomentum) {
      xPrevFull.set(x);
      AxPrevFull.set(Ax);
      state.t = 1;
      state.beta = 0;
      resetMomentum = false;
    }
    const dimW = restricted.problem.dim;
    const xW = whole ? x : new Float64Array(dimW);
    const xPrevW = whole ? xPrevFull : new Float64Array(dimW);
    if (!whole) {
      restricted.gather(x, xW);
      restricted.gather(xPrevFull, xPrevW);
    }
    const work = certificateBuffers(restricted.problem);
    // restricted certificates cost in proportion to the set: check small sets more often
    const checkEvery = whole
      ? certEvery
      : Math.max(1, Math.min(certEvery, Math.round((certEvery * dimW) / problem.dim)));
    let fresh = round?.fresh ?? false;
    let k = round?.step ?? 0;
    let roundEnds = round?.ended ?? false;
    const roundKeep = keep;
    const roundComplete = complete;
    const roundTol = tolInner;
    const capture = (xPrevSource: Float64Array, AxNow: Float64Array) => {
      const xPrevious = Float64Array.from(xPrevFull);
      if (!whole) restricted.scatter(xPrevSource, xPrevious);
      emit({
        x: Float64Array.from(x),
        xPrevious,
        Ax: Float64Array.from(AxNow),
        AxPrevious: Float64Array.from(AxPrevFull),
        steps: k,
        round: {
          keep: Int32Array.from(roundKeep),
          screened: Uint8Array.from(screened),
          step: k,
          tolerance: roundTol,
          complete: roundComplete,
          tighten,
          lastBase,
          fresh,
          ended: roundEnds,
        },
      });
    };
    const decide = (xk: Float64Array, Axk: Float64Array, objective: number): boolean => {
      if (!whole) restricted.scatter(xk, x);
      k++;
      if (whole) {
        if (k % certEvery !== 0) {
          status = monitor.step(x, objective);
          return status !== undefined;
        }
        // the restricted problem is the problem: its certificate is the full one
        monitor.certificateBuffers.predictions.set(Axk);
        cert = monitor.certify(x, true);
        fresh = true;
        status = monitor.step(x, objective, cert);
        // (a stop's checkpoint records whether the round would have ended here)
        roundEnds = useScreening && k >= 5 * certEvery;
        return status !== undefined || roundEnds;
      }
      status = monitor.step(x, objective);
      if (status !== undefined && !checkpointDue(status)) return true;
      if (k % checkEvery !== 0) return status !== undefined;
      work.predictions.set(Axk);
      // with every unscreened group in play, come back for screening now and then
      roundEnds =
        certifyInto(restricted.problem, xk, work, true).relativeGap <= tolInner ||
        (complete && useScreening && k >= 5 * certEvery);
      return status !== undefined || roundEnds;
    };
    if (!roundEnds)
      fistaCore(
        restricted.problem,
        xW,
        Ax,
        state,
        settings,
        (xk, Axk, objective) => {
          const done = decide(xk, Axk, objective);
          // mid-round checkpoints, and one when the solve stops early (not at a round's end:
          // the next round's checkpoints carry on from there)
          if (done ? status !== undefined && checkpointDue(status) : checkpointDue(undefined))
            capture(xPrevW, Axk);
          return done;
        },
        { x: xPrevW, Ax: AxPrevFull },
      );
    if (!whole && round?.ended !== true) restricted.scatter(xPrevW, xPrevFull);
    if (status !== undefined) return monitor.finish(x, status);
    // 5. the full certificate decides
    if (!fresh) {
      monitor.certificateBuffers.predictions.set(Ax);
      cert = monitor.certify(x, true);
      if (monitor.recordCertificate(x, cert)) return monitor.finish(x, "converged");
    }
    const stop = monitor.interrupted();
    if (stop !== undefined) return monitor.finish(x, stop);
  }
}

function sameGroups(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `operator.toDense()` when it offers one and it succeeds (implementations may throw when too large). */
function denseFormOf(operator: LinearOperator): Matrix | undefined {
  if (operator.toDense === undefined) return undefined;
  try {
    return operator.toDense();
  } catch {
    return undefined;
  }
}
