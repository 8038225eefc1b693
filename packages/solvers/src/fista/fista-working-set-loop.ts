import type { Matrix } from "@convexformer/tensors";
import { type Certificate, certificateBuffers, certifyInto } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { GroupStructure } from "../regularizer.js";
import { LazyBlockNorms } from "../screening/block-norm-bounds.js";
import { gapSafeScreen } from "../screening/gap-safe-screen.js";
import type { SolveResult, SolveStatus } from "../solver.js";
import { kktWorkingSet } from "../working-set/kkt-working-set.js";
import { type RestrictedProblem, restrictToGroups } from "../working-set/restrict-to-groups.js";
import type { FistaCheckpoint, FistaRoundState } from "./fista-checkpoint.js";
import { fistaCore } from "./fista-core.js";
import type { FistaRun } from "./fista-plain-loop.js";

/** What the working-set loop was asked for. @internal */
export interface FistaWorkingSetSettings {
  readonly screening: boolean;
  readonly workingSet: boolean;
  /** Smallest working set `p₀`. */
  readonly workingSetSize: number;
  /** One dense form of the operator per solve (shared by restrictions and bounds), if any. */
  readonly dense: Matrix | undefined;
  /** Polled by the set-up passes (the screening bounds). */
  readonly stopSetup: () => boolean;
}

/** A round's set and inner tolerance. */
interface RoundPlan {
  readonly keep: Int32Array;
  readonly complete: boolean;
  readonly same: boolean;
  readonly tolerance: number;
}

/** Where a round stands (read by its checkpoints). */
interface RoundProgress {
  step: number;
  fresh: boolean;
  ended: boolean;
}

/**
 * FISTA in rounds (celer / skglm): screening with the full certificate, a working set by KKT
 * scores, inner FISTA on the restricted problem (momentum carried across rounds) to a
 * tolerance tied to the outer gap, and the full certificate deciding. Resumes mid-round from
 * a checkpoint. @internal
 */
export class FistaWorkingSetLoop {
  private readonly problem: CompositeProblem;
  private readonly groups: GroupStructure;
  private bounds: LazyBlockNorms | undefined;
  private boundsTried = false;
  private readonly screened: Uint8Array;
  private readonly inSet: Uint8Array;
  private readonly score: Float64Array;
  private previousKeep: Int32Array | undefined;
  private sub: RestrictedProblem | undefined;
  private tighten = 1;
  private lastBase = Number.POSITIVE_INFINITY;
  /** FISTA's previous iterate in the full space, for momentum across rounds. */
  private readonly xPrevFull: Float64Array;
  private readonly AxPrevFull: Float64Array;
  private resetMomentum: boolean;
  /** A resumed solve re-enters its round where it stopped (steps 1–3 were done before). */
  private resumeRound: FistaRoundState | undefined;
  private status: SolveStatus | undefined;

  /**
   * @param run - monitor, step state, settings, checkpoints
   * @param settings - screening, working set, `p₀`, the dense form, the set-up poll
   * @param x - the iterate (updated in place; the result's last iterate)
   * @param Ax - `A x` (updated in place)
   * @param cert - the full certificate of `x` (its by-products in the monitor's buffers)
   * @param resume - the checkpoint a resumed solve starts from
   */
  constructor(
    private readonly run: FistaRun,
    private readonly settings: FistaWorkingSetSettings,
    private readonly x: Float64Array,
    private readonly Ax: Float64Array,
    private cert: Certificate,
    resume: FistaCheckpoint | undefined,
  ) {
    this.problem = run.monitor.problem;
    this.groups = this.problem.regularizer.groups as GroupStructure;
    const G = this.groups.count;
    this.screened = new Uint8Array(G);
    this.inSet = new Uint8Array(G);
    this.score = new Float64Array(G);
    this.xPrevFull = Float64Array.from(resume === undefined ? x : resume.xPrevious);
    this.AxPrevFull = Float64Array.from(resume === undefined ? Ax : resume.AxPrevious);
    this.resetMomentum = resume === undefined;
    this.resumeRound = resume?.round;
    if (this.resumeRound !== undefined) this.screened.set(this.resumeRound.screened);
  }

  /** Runs rounds until the monitor stops the solve. */
  solve(): SolveResult {
    const { monitor } = this.run;
    for (;;) {
      const round = this.resumeRound;
      this.resumeRound = undefined;
      let plan: RoundPlan;
      if (round !== undefined) {
        plan = this.resumedPlan(round);
      } else {
        // 1. screening with the current full certificate (bounds built on first use)
        const stop = this.screen();
        // (the bounds' pass was cut short: a resumed solve starts from the last checkpoint)
        if (stop !== undefined) return monitor.finish(this.x, stop);
        // 2–3. the working set and the round's inner tolerance
        plan = this.plan();
      }
      // 4. inner FISTA on the restricted problem
      const progress = this.innerSolve(plan, round);
      if (this.status !== undefined) return monitor.finish(this.x, this.status);
      // 5. the full certificate decides
      if (!progress.fresh) {
        monitor.certificateBuffers.predictions.set(this.Ax);
        this.cert = monitor.certify(this.x, true);
        if (monitor.recordCertificate(this.x, this.cert))
          return monitor.finish(this.x, "converged");
      }
      const stop = monitor.interrupted();
      if (stop !== undefined) return monitor.finish(this.x, stop);
    }
  }

  private resumedPlan(round: FistaRoundState): RoundPlan {
    const keep = Int32Array.from(round.keep);
    this.inSet.fill(0);
    for (const g of keep) this.inSet[g] = 1;
    this.tighten = round.tighten;
    this.lastBase = round.lastBase;
    return { keep, complete: round.complete, same: false, tolerance: round.tolerance };
  }

  /** Gap-safe screening with the current certificate; a status when the bounds' pass was interrupted. */
  private screen(): SolveStatus | undefined {
    const { settings, problem, groups, screened, x } = this;
    if (!settings.screening) return undefined;
    const { monitor } = this.run;
    if (!this.boundsTried) {
      this.boundsTried = true;
      this.bounds = LazyBlockNorms.of(problem.operator, groups, settings.dense, settings.stopSetup);
      const stop = monitor.interrupted();
      if (stop !== undefined) return stop;
    }
    const bounds = this.bounds;
    if (bounds === undefined) return undefined;
    const added = gapSafeScreen({
      gradient: monitor.certificateBuffers.gradient,
      dualScale: this.cert.dualScale,
      gap: Math.max(0, this.cert.objective - this.cert.dualObjective),
      smoothness: problem.loss.smoothness,
      lambda: problem.lambda,
      groups,
      blockNorms: bounds.upper,
      screened,
      // tightening costs rows × size² per group: worth it when screening shrinks every
      // product; with a working set, screening only prunes candidates
      ...(settings.workingSet
        ? {}
        : { refine: (g: number, needed: number) => bounds.refine(g, needed) }),
    });
    if (added === 0) return undefined;
    let changed = false;
    // (a screened group's zeros drop the momentum: see the reset in innerSolve)
    const { ptr, count: G } = groups;
    for (let g = 0; g < G; g++) {
      if (screened[g] !== 1) continue;
      this.inSet[g] = 0;
      for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
        if (x[i] !== 0) {
          x[i] = 0;
          changed = true;
        }
      }
    }
    if (changed) {
      problem.operator.apply(x, this.Ax);
      this.resetMomentum = true;
    }
    return undefined;
  }

  /**
   * The working set by KKT scores, and the inner tolerance tied to the outer gap (celer:
   * 0.3 × gap; the momentum carries across rounds, so short rounds cost no extra iterations),
   * the target itself once every unscreened group is in, halved whenever a round at the
   * target with an unchanged set fell short (the full dual point can lag the restricted one).
   */
  private plan(): RoundPlan {
    const { monitor } = this.run;
    const { keep, complete } = kktWorkingSet(
      monitor.certificateBuffers.gradient,
      this.x,
      this.groups,
      this.problem.lambda,
      this.screened,
      { score: this.score, inSet: this.inSet },
      { workingSet: this.settings.workingSet, minSize: this.settings.workingSetSize },
    );
    const same = this.previousKeep !== undefined && sameGroups(this.previousKeep, keep);
    const tolerance = monitor.tolerance;
    const baseTolerance = complete
      ? tolerance
      : Math.max(0.5 * tolerance, 0.3 * this.cert.relativeGap);
    this.tighten = same && this.lastBase <= tolerance ? this.tighten * 0.5 : 1;
    this.lastBase = baseTolerance;
    return { keep, complete, same, tolerance: this.tighten * baseTolerance };
  }

  /** Inner FISTA on the round's restricted problem (rebuilt only when the set changed). */
  private innerSolve(plan: RoundPlan, round: FistaRoundState | undefined): RoundProgress {
    const { x, Ax, xPrevFull, AxPrevFull, groups } = this;
    const { state } = this.run;
    if (this.sub === undefined || !plan.same) {
      const dense = this.settings.dense;
      this.sub = restrictToGroups(this.problem, plan.keep, dense === undefined ? {} : { dense });
      this.previousKeep = plan.keep;
    }
    const restricted = this.sub;
    const whole = restricted.strategy === "full";
    // momentum carries across rounds unless the previous iterate lives outside the new set
    const { ptr, count: G } = groups;
    for (let g = 0; g < G && !this.resetMomentum && round === undefined; g++) {
      if (this.inSet[g] === 1) continue;
      for (let i = ptr[g] as number; i < (ptr[g + 1] as number); i++) {
        if (xPrevFull[i] !== 0) {
          this.resetMomentum = true;
          break;
        }
      }
    }
    if (this.resetMomentum) {
      xPrevFull.set(x);
      AxPrevFull.set(Ax);
      state.t = 1;
      state.beta = 0;
      this.resetMomentum = false;
    }
    const dimW = restricted.problem.dim;
    const xW = whole ? x : new Float64Array(dimW);
    const xPrevW = whole ? xPrevFull : new Float64Array(dimW);
    if (!whole) {
      restricted.gather(x, xW);
      restricted.gather(xPrevFull, xPrevW);
    }
    const progress: RoundProgress = {
      step: round?.step ?? 0,
      fresh: round?.fresh ?? false,
      ended: round?.ended ?? false,
    };
    const decide = this.decider(plan, restricted, progress);
    const { checkpoints } = this.run;
    if (!progress.ended)
      fistaCore(
        restricted.problem,
        xW,
        Ax,
        state,
        this.run.settings,
        (xk, Axk, objective) => {
          const done = decide(xk, Axk, objective);
          // mid-round checkpoints, and one when the solve stops early (not at a round's end:
          // the next round's checkpoints carry on from there)
          if (
            done
              ? this.status !== undefined && checkpoints.due(this.status)
              : checkpoints.due(undefined)
          )
            this.capture(plan, restricted, progress, xPrevW, Axk);
          return done;
        },
        { x: xPrevW, Ax: AxPrevFull },
      );
    if (!whole && round?.ended !== true) restricted.scatter(xPrevW, xPrevFull);
    return progress;
  }

  /** The inner loop's step rule: record the step, certify now and then, end the round. */
  private decider(
    plan: RoundPlan,
    restricted: RestrictedProblem,
    progress: RoundProgress,
  ): (xk: Float64Array, Axk: Float64Array, objective: number) => boolean {
    const { monitor, certificateEvery: certEvery, checkpoints } = this.run;
    const whole = restricted.strategy === "full";
    const useScreening = this.settings.screening;
    const work = certificateBuffers(restricted.problem);
    // restricted certificates cost in proportion to the set: check small sets more often
    const checkEvery = whole
      ? certEvery
      : Math.max(
          1,
          Math.min(certEvery, Math.round((certEvery * restricted.problem.dim) / this.problem.dim)),
        );
    return (xk, Axk, objective) => {
      const x = this.x;
      if (!whole) restricted.scatter(xk, x);
      const k = ++progress.step;
      if (whole) {
        if (k % certEvery !== 0) {
          this.status = monitor.step(x, objective);
          return this.status !== undefined;
        }
        // the restricted problem is the problem: its certificate is the full one
        monitor.certificateBuffers.predictions.set(Axk);
        this.cert = monitor.certify(x, true);
        progress.fresh = true;
        this.status = monitor.step(x, objective, this.cert);
        // (a stop's checkpoint records whether the round would have ended here)
        progress.ended = useScreening && k >= 5 * certEvery;
        return this.status !== undefined || progress.ended;
      }
      this.status = monitor.step(x, objective);
      if (this.status !== undefined && !checkpoints.due(this.status)) return true;
      if (k % checkEvery !== 0) return this.status !== undefined;
      work.predictions.set(Axk);
      // with every unscreened group in play, come back for screening now and then
      progress.ended =
        certifyInto(restricted.problem, xk, work, true).relativeGap <= plan.tolerance ||
        (plan.complete && useScreening && k >= 5 * certEvery);
      return this.status !== undefined || progress.ended;
    };
  }

  /** A mid-round checkpoint. */
  private capture(
    plan: RoundPlan,
    restricted: RestrictedProblem,
    progress: RoundProgress,
    xPrevSource: Float64Array,
    AxNow: Float64Array,
  ): void {
    const xPrevious = Float64Array.from(this.xPrevFull);
    if (restricted.strategy !== "full") restricted.scatter(xPrevSource, xPrevious);
    this.run.checkpoints.emit({
      x: Float64Array.from(this.x),
      xPrevious,
      Ax: Float64Array.from(AxNow),
      AxPrevious: Float64Array.from(this.AxPrevFull),
      steps: progress.step,
      round: {
        keep: Int32Array.from(plan.keep),
        screened: Uint8Array.from(this.screened),
        step: progress.step,
        tolerance: plan.tolerance,
        complete: plan.complete,
        tighten: this.tighten,
        lastBase: this.lastBase,
        fresh: progress.fresh,
        ended: progress.ended,
      },
    });
  }
}

function sameGroups(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
