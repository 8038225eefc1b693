import type { SolveMonitor } from "../solve-monitor.js";
import type { SolveStatus } from "../solver.js";
import type { FistaCheckpoint, FistaCheckpointHook } from "./fista-checkpoint.js";
import type { FistaState } from "./fista-core.js";

/** What a loop hands to {@link FistaCheckpointer.emit}; the rest comes from the run. @internal */
export type FistaCheckpointParts = Omit<
  FistaCheckpoint,
  "solver" | "mode" | "monitor" | "lipschitz" | "t" | "beta"
>;

/**
 * When FISTA writes checkpoints (every `everyIterations` iterations / `everyMs` ms, and when
 * stopping early) and what goes into them besides the loop's own arrays: the mode, the step
 * and momentum scalars, the monitor's state. @internal
 */
export class FistaCheckpointer {
  private readonly everyIterations: number | undefined;
  private readonly everyMs: number | undefined;
  private lastCheckpointMs: number;

  /**
   * @param hook - the caller's `options.checkpoint` (undefined: never due)
   * @param monitor - the run's monitor (iteration count, clock, snapshot)
   * @param state - the run's step and momentum state, read at each checkpoint
   * @param mode - the loop that writes them
   */
  constructor(
    private readonly hook: FistaCheckpointHook | undefined,
    private readonly monitor: SolveMonitor,
    private readonly state: FistaState,
    private readonly mode: "plain" | "rounds",
  ) {
    this.everyIterations = hook?.everyIterations;
    this.everyMs = hook?.everyMs ?? (this.everyIterations === undefined ? 1000 : undefined);
    this.lastCheckpointMs = monitor.elapsedMs;
  }

  /**
   * Whether a checkpoint is due now.
   *
   * @param stopping - the status the solve stops with, if it stops (a stop other than
   *   converged or diverged always checkpoints)
   */
  due(stopping: SolveStatus | undefined): boolean {
    if (this.hook === undefined) return false;
    if (stopping !== undefined) return stopping !== "converged" && stopping !== "diverged";
    if (this.everyIterations !== undefined && this.monitor.iteration % this.everyIterations === 0)
      return true;
    return (
      this.everyMs !== undefined && this.monitor.elapsedMs - this.lastCheckpointMs >= this.everyMs
    );
  }

  /**
   * Writes a checkpoint.
   *
   * @param parts - the loop's arrays and position (fresh copies)
   */
  emit(parts: FistaCheckpointParts): void {
    this.lastCheckpointMs = this.monitor.elapsedMs;
    this.hook?.write({
      solver: "fista",
      mode: this.mode,
      lipschitz: this.state.L,
      t: this.state.t ?? 1,
      beta: this.state.beta ?? 0,
      monitor: this.monitor.snapshot(),
      ...parts,
    });
  }
}
