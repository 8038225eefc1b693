import type { IterationRecord } from "./solver.js";

/**
 * The resumable part of a {@link SolveMonitor}: everything its decisions depend on (iteration
 * count, best dual value, best iterate, reference objective) plus the thinned history, so that a
 * solve checkpointed and resumed records and stops exactly as an uninterrupted one.
 *
 * @example
 * ```ts
 * import type { SolveMonitorState } from "@convexformer/solvers";
 * const state: SolveMonitorState = {
 *   iteration: 0, bestDual: Number.NEGATIVE_INFINITY, bestObjective: 1, reference: 1,
 *   bestX: new Float64Array(2), history: [], stride: 1,
 * };
 * ```
 */
export interface SolveMonitorState {
  /** Iterations recorded. */
  readonly iteration: number;
  /** Best dual objective seen. */
  readonly bestDual: number;
  /** Objective of {@link SolveMonitorState.bestX}. */
  readonly bestObjective: number;
  /** The objective at iteration 0 (divergence reference). */
  readonly reference: number;
  /** The best iterate by objective. */
  readonly bestX: Float64Array;
  /** The thinned history so far. */
  readonly history: readonly IterationRecord[];
  /** The history's current thinning stride. */
  readonly stride: number;
}
