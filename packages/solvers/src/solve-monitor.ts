import { InvalidOptionError, validateInteger } from "@convexformer/tensors";
import {
  type Certificate,
  type CertificateBuffers,
  certificateBuffers,
  certifyInto,
} from "./certificate.js";
import type { CompositeProblem } from "./composite-problem.js";
import { DEFAULT_TOLERANCE } from "./default-tolerance.js";
import type { SolveMonitorConfig } from "./solve-monitor-config.js";
import type { SolveMonitorState } from "./solve-monitor-state.js";
import type { IterationRecord, SolveOptions, SolveResult, SolveStatus } from "./solver.js";
import { validateProblem, validateSolveOptions } from "./validate-problem.js";

/**
 * The bookkeeping every solver shares, so that all of them honour the {@link SolveResult}
 * contract the same way: option validation, warm start, iteration records and `onIteration`,
 * time limit, `AbortSignal`, iteration cap, divergence detection (a non-finite or blown-up
 * objective), best-iterate tracking, history thinning, timings, and a final status that never
 * lies, by construction: {@link SolveMonitor.finish} recomputes the certificate of the `x` it
 * returns from that point alone (`certify`, not the best dual bound of the solve) and says
 * `"converged"` exactly when its relative gap meets the tolerance; any other stop returns the
 * best iterate, upgraded to `"converged"` if that iterate is in fact certified.
 *
 * Usage: construct (validates problem and options, starts the clock), take
 * {@link SolveMonitor.initialPoint}, call {@link SolveMonitor.endSetup} after set-up work,
 * {@link SolveMonitor.start} once with the initial point, then {@link SolveMonitor.step} after
 * every iteration until it returns a status, and return {@link SolveMonitor.finish}.
 *
 * @example
 * ```ts
 * import { type CompositeProblem, SolveMonitor, type SolveOptions, type SolveResult } from "@convexformer/solvers";
 * // a (slow) proximal-gradient solver in a dozen lines
 * function solve(problem: CompositeProblem, options?: SolveOptions): SolveResult {
 *   const monitor = new SolveMonitor(problem, options, { solver: "pg", defaultMaxIterations: 10_000 });
 *   const x = monitor.initialPoint();
 *   monitor.endSetup();
 *   let status = monitor.start(x, monitor.certify(x));
 *   const grad = monitor.certificateBuffers.gradient; // ∇(F∘A)(x) from the last certificate
 *   while (status === undefined) {
 *     for (let i = 0; i < x.length; i++) x[i] = x[i]! - grad[i]! / 100;
 *     problem.regularizer.prox(x, problem.lambda / 100, x);
 *     const c = monitor.certify(x);
 *     status = monitor.step(x, c.objective, c);
 *   }
 *   return monitor.finish(x, status);
 * }
 * ```
 */
export class SolveMonitor {
  /** The problem being solved (validated). */
  readonly problem: CompositeProblem;
  /** Target relative duality gap. */
  readonly tolerance: number;
  /** Iteration cap. */
  readonly maxIterations: number;
  /** Buffers holding the by-products of the last {@link SolveMonitor.certify} call (`A x`, `∇F(Ax)`, `Aᵀ∇F(Ax)`, the dual point). */
  readonly certificateBuffers: CertificateBuffers;

  private readonly options: SolveOptions;
  private readonly solver: string;
  private readonly historyLimit: number;
  private readonly divergenceFactor: number;
  private readonly t0: number;
  private setupMs = 0;
  private certificateMs = 0;
  private iterationCount = 0;
  private bestDualValue = Number.NEGATIVE_INFINITY;
  private bestX: Float64Array;
  private bestObjective = Number.POSITIVE_INFINITY;
  private reference = Number.NaN;
  private convergedX: Float64Array | undefined;
  private readonly records: IterationRecord[] = [];
  private stride = 1;
  private lastRecord: IterationRecord | undefined;

  /**
   * Validates `problem` and `options` (throwing typed errors) and starts the clock.
   *
   * @param problem - the problem to solve, checked by `validateProblem` (dimensions, `λ > 0`,
   *   finite operator data)
   * @param options - the options given to the solver's `solve` (`undefined` for none): the
   *   shared keys of {@link SolveOptions} plus `config.extraOptionKeys`, checked by
   *   `validateSolveOptions` (unknown keys, ranges, `warmStart` length and finiteness)
   * @param config - solver name, default iteration cap, extra option names, history limit and
   *   divergence factor (see {@link SolveMonitorConfig}; `defaultMaxIterations` must be an
   *   integer `≥ 0`)
   */
  constructor(
    problem: CompositeProblem,
    options: SolveOptions | undefined,
    config: SolveMonitorConfig,
  ) {
    this.t0 = performance.now();
    validateProblem(problem);
    validateSolveOptions(options, problem.dim, config.extraOptionKeys ?? []);
    validateInteger("config.defaultMaxIterations", config.defaultMaxIterations, 0);
    this.problem = problem;
    this.options = options ?? {};
    this.solver = config.solver;
    this.tolerance = this.options.tolerance ?? DEFAULT_TOLERANCE;
    this.maxIterations = this.options.maxIterations ?? config.defaultMaxIterations;
    this.historyLimit = Math.max(2, config.historyLimit ?? 1000);
    this.divergenceFactor = config.divergenceFactor ?? 1e12;
    this.certificateBuffers = certificateBuffers(problem);
    this.bestX = new Float64Array(problem.dim);
  }

  /** Iterations recorded so far. */
  get iteration(): number {
    return this.iterationCount;
  }

  /** Milliseconds since the solve started. */
  get elapsedMs(): number {
    return performance.now() - this.t0;
  }

  /** The best dual objective seen by {@link SolveMonitor.certify} (`-Infinity` before any). */
  get bestDual(): number {
    return this.bestDualValue;
  }

  /** A copy of the state a resumed solve needs (see {@link SolveMonitor.resume}). */
  snapshot(): SolveMonitorState {
    return {
      iteration: this.iterationCount,
      bestDual: this.bestDualValue,
      bestObjective: this.bestObjective,
      reference: this.reference,
      bestX: Float64Array.from(this.bestX),
      history: this.records.slice(),
      stride: this.stride,
    };
  }

  /**
   * Continues from a {@link SolveMonitor.snapshot} instead of {@link SolveMonitor.start}: the
   * iteration count, best dual value, best iterate and history carry on (the clock and the time
   * limit start afresh). Returns `"aborted"`, `"time-limit"` or `"max-iterations"` when the
   * resumed solve must stop at once, else `undefined`.
   *
   * @param state - a {@link SolveMonitor.snapshot} of a monitor of the same problem: `bestX` of length
   *   `dim`, integer `iteration ≥ 0` and `stride ≥ 1`, finite `bestObjective` and `reference`,
   *   `bestDual < Infinity`; copied, not kept
   * @throws `InvalidOptionError` naming `state` when it does not fit the problem
   */
  resume(state: SolveMonitorState): SolveStatus | undefined {
    if (!(state.bestX instanceof Float64Array) || state.bestX.length !== this.problem.dim)
      throw new InvalidOptionError(
        "state.bestX",
        state.bestX?.length,
        `must be a Float64Array of length ${this.problem.dim}`,
      );
    validateInteger("state.iteration", state.iteration, 0);
    validateInteger("state.stride", state.stride, 1);
    for (const key of ["bestObjective", "reference"] as const) {
      if (typeof state[key] !== "number" || !Number.isFinite(state[key]))
        throw new InvalidOptionError(`state.${key}`, state[key], "must be a finite number");
    }
    if (
      typeof state.bestDual !== "number" ||
      Number.isNaN(state.bestDual) ||
      state.bestDual === Number.POSITIVE_INFINITY
    )
      throw new InvalidOptionError("state.bestDual", state.bestDual, "must be a number < Infinity");
    this.iterationCount = state.iteration;
    this.bestDualValue = state.bestDual;
    this.bestObjective = state.bestObjective;
    this.reference = state.reference;
    this.bestX.set(state.bestX);
    this.records.length = 0;
    this.records.push(...state.history);
    this.stride = state.stride;
    this.lastRecord = state.history[state.history.length - 1];
    return (
      this.interrupted() ??
      (this.iterationCount >= this.maxIterations ? "max-iterations" : undefined)
    );
  }

  /** A fresh copy of `options.warmStart`, or zeros. */
  initialPoint(): Float64Array {
    const w = this.options.warmStart;
    return w === undefined ? new Float64Array(this.problem.dim) : Float64Array.from(w);
  }

  /** Marks the end of set-up work (factorizations, step-size estimates) for the timings. */
  endSetup(): void {
    this.setupMs = this.elapsedMs;
  }

  /**
   * Certifies `x` (see `certify`), timing it and keeping the best dual value; the by-products
   * land in {@link SolveMonitor.certificateBuffers}. With `predictionsKnown`,
   * `certificateBuffers.predictions` must already hold `A x`.
   *
   * @param x - the point to certify, length `dim` (read only)
   * @param predictionsKnown - `true` when `certificateBuffers.predictions` already holds
   *   `A x` (saves one `apply`); default `false`
   */
  certify(x: Float64Array, predictionsKnown = false): Certificate {
    const t = performance.now();
    const c = certifyInto(this.problem, x, this.certificateBuffers, predictionsKnown);
    if (c.dualObjective > this.bestDualValue) this.bestDualValue = c.dualObjective;
    this.certificateMs += performance.now() - t;
    return c;
  }

  /**
   * Registers the initial point (iteration 0). Returns `"converged"` when its certificate
   * already meets the tolerance (e.g. `λ ≥ λ_max` from zero, or a warm start at the optimum),
   * `"aborted"` when the signal is already aborted, `"max-iterations"` when the cap is 0, and
   * `undefined` otherwise.
   *
   * @param x - the initial point (usually {@link SolveMonitor.initialPoint}), length `dim`;
   *   copied as the first best iterate
   * @param certificate - the certificate of `x` (from {@link SolveMonitor.certify}); its
   *   objective is the reference for divergence detection
   */
  start(x: Float64Array, certificate: Certificate): SolveStatus | undefined {
    this.reference = certificate.objective;
    this.bestObjective = certificate.objective;
    this.bestX.set(x);
    if (this.meetsTolerance(certificate)) {
      this.markConverged(x);
      return "converged";
    }
    this.emit(0, certificate.objective);
    return this.interrupted() ?? (this.maxIterations <= 0 ? "max-iterations" : undefined);
  }

  /**
   * Records one iteration ending at `x` with objective `P(x)` (and its certificate when one
   * was computed this iteration). Returns the status to stop with, or `undefined` to go on.
   *
   * @param x - the iterate after this iteration, length `dim`; copied when it is the best so far
   * @param objective - `P(x)`; a non-finite or blown-up value ends the solve as `"diverged"`
   * @param certificate - the certificate of `x` when one was computed this iteration (from
   *   {@link SolveMonitor.certify}); omitted, convergence is not tested this iteration
   */
  step(x: Float64Array, objective: number, certificate?: Certificate): SolveStatus | undefined {
    this.iterationCount++;
    if (
      !Number.isFinite(objective) ||
      objective > this.reference + this.divergenceFactor * Math.max(1, Math.abs(this.reference))
    ) {
      this.emit(this.iterationCount, objective);
      return "diverged";
    }
    if (objective < this.bestObjective) {
      this.bestObjective = objective;
      this.bestX.set(x);
    }
    if (certificate !== undefined && this.meetsTolerance(certificate)) {
      this.markConverged(x);
      this.emit(this.iterationCount, certificate.objective);
      return "converged";
    }
    this.emit(this.iterationCount, objective);
    return (
      this.interrupted() ??
      (this.iterationCount >= this.maxIterations ? "max-iterations" : undefined)
    );
  }

  /**
   * Records a certificate of `x` computed outside {@link SolveMonitor.step} (e.g. by an outer
   * loop after an inner solve): `x` becomes the best iterate if its objective is lower, and
   * when the certificate is within the tolerance `x` is remembered as the iterate to return
   * with status `"converged"`. Returns whether it is within the tolerance.
   *
   * @param x - the certified point, length `dim`; copied when it is kept
   * @param certificate - the certificate of `x` (from {@link SolveMonitor.certify}, so that the
   *   best dual value is up to date)
   */
  recordCertificate(x: Float64Array, certificate: Certificate): boolean {
    if (certificate.objective < this.bestObjective) {
      this.bestObjective = certificate.objective;
      this.bestX.set(x);
    }
    if (!this.meetsTolerance(certificate)) return false;
    this.markConverged(x);
    return true;
  }

  /**
   * `"aborted"` or `"time-limit"` when the solve must stop now, else `undefined` (for solvers
   * with long inner loops between {@link SolveMonitor.step} calls).
   */
  interrupted(): SolveStatus | undefined {
    if (this.options.signal?.aborted === true) return "aborted";
    const limit = this.options.timeLimitMs;
    if (limit !== undefined && this.elapsedMs >= limit) return "time-limit";
    return undefined;
  }

  /**
   * Builds the result. For `"converged"` (as returned by `start`/`step`) it returns the
   * certified iterate; otherwise the best iterate by objective (or `x` when it is as good).
   * Either way the returned point is certified again from itself, and the status is
   * `"converged"` exactly when that certificate's relative gap meets the tolerance (a claimed
   * convergence that does not hold becomes `"max-iterations"`).
   *
   * @param x - the solver's last iterate, length `dim` (returned when it is finite and at least
   *   as good as the best one; copied)
   * @param status - the status returned by {@link SolveMonitor.start}, {@link SolveMonitor.step},
   *   {@link SolveMonitor.resume} or {@link SolveMonitor.interrupted}
   */
  finish(x: Float64Array, status: SolveStatus): SolveResult {
    let resultX: Float64Array;
    if (status === "converged" && this.convergedX !== undefined) {
      resultX = this.convergedX;
    } else {
      const useX =
        status !== "diverged" &&
        isFiniteArray(x) &&
        (this.bestObjective === Number.POSITIVE_INFINITY ||
          !(this.bestObjective < this.problemObjective(x)));
      resultX = Float64Array.from(useX ? x : this.bestX);
    }
    // the one place a status is decided: the certificate of the returned point, recomputed
    // from that point alone, against the tolerance
    const certificate = this.certify(resultX);
    const certified = this.meetsTolerance(certificate);
    if (status === "converged" && !certified) status = "max-iterations";
    if (status !== "converged" && certified) status = "converged";
    const dual = Math.max(this.bestDualValue, certificate.dualObjective);
    const gap = certificate.objective - dual;
    const relativeGap = gap > 0 ? gap / Math.max(1, Math.abs(certificate.objective)) : 0;
    const totalMs = this.elapsedMs;
    const final: IterationRecord = {
      iteration: this.iterationCount,
      objective: certificate.objective,
      dualObjective: dual,
      relativeGap,
      elapsedMs: totalMs,
    };
    const history = this.records.slice();
    const last = history[history.length - 1];
    if (last === undefined || last.iteration !== final.iteration) history.push(final);
    else history[history.length - 1] = final;
    return {
      x: resultX,
      objective: certificate.objective,
      dualObjective: dual,
      relativeGap,
      kktResidual: certificate.kktResidual,
      iterations: this.iterationCount,
      status,
      solver: this.solver,
      history,
      timings: { totalMs, setupMs: this.setupMs, certificateMs: this.certificateMs },
    };
  }

  private problemObjective(x: Float64Array): number {
    const { operator, loss, regularizer, lambda } = this.problem;
    const p = new Float64Array(operator.rows);
    operator.apply(x, p);
    return loss.value(p) + lambda * regularizer.value(x);
  }

  /**
   * Whether `certificate` proves `x` within the tolerance on its own: its relative gap is that
   * of the dual point built from `x` (not the best dual bound of the solve), so a
   * `"converged"` result is what `certify(problem, result.x)` confirms.
   */
  private meetsTolerance(certificate: Certificate): boolean {
    return Number.isFinite(certificate.objective) && certificate.relativeGap <= this.tolerance;
  }

  private markConverged(x: Float64Array): void {
    this.convergedX = Float64Array.from(x);
  }

  private emit(iteration: number, objective: number): void {
    const dual = this.bestDualValue;
    const gap = objective - dual;
    const record: IterationRecord = {
      iteration,
      objective,
      dualObjective: dual,
      relativeGap: Number.isFinite(dual)
        ? Math.max(0, gap) / Math.max(1, Math.abs(objective))
        : Number.POSITIVE_INFINITY,
      elapsedMs: this.elapsedMs,
    };
    this.lastRecord = record;
    if (iteration % this.stride === 0) {
      if (this.records.length >= this.historyLimit) {
        let k = 0;
        for (let i = 0; i < this.records.length; i += 2)
          this.records[k++] = this.records[i] as IterationRecord;
        this.records.length = k;
        this.stride *= 2;
      }
      if (iteration % this.stride === 0) this.records.push(record);
    }
    this.options.onIteration?.(record);
  }

  /** The most recent iteration record, if any. */
  get latest(): IterationRecord | undefined {
    return this.lastRecord;
  }
}

function isFiniteArray(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v - v !== 0) return false;
  }
  return true;
}
