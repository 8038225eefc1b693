import type { SolveMonitor } from "../solve-monitor.js";
import type { SolveResult, SolveStatus } from "../solver.js";
import type { FistaCheckpoint } from "./fista-checkpoint.js";
import type { FistaCheckpointer } from "./fista-checkpointer.js";
import { type FistaCoreSettings, type FistaState, fistaCore } from "./fista-core.js";

/** What both FISTA loops share: the monitor, the step state, the settings, the checkpoints. @internal */
export interface FistaRun {
  readonly monitor: SolveMonitor;
  readonly state: FistaState;
  readonly settings: FistaCoreSettings;
  /** Full certificate every this many iterations. */
  readonly certificateEvery: number;
  readonly checkpoints: FistaCheckpointer;
}

/**
 * FISTA on the whole problem: every step recorded by the monitor, the full certificate every
 * `certificateEvery` steps, checkpoints as they fall due. `x` and `Ax` are the start (or the
 * resumed iterate) and end as the last iterate. @internal
 */
export function fistaPlainLoop(
  run: FistaRun,
  x: Float64Array,
  Ax: Float64Array,
  resume: FistaCheckpoint | undefined,
): SolveResult {
  const { monitor, checkpoints, certificateEvery } = run;
  let status: SolveStatus | undefined;
  let k = resume?.steps ?? 0;
  const xPrev = resume === undefined ? Float64Array.from(x) : Float64Array.from(resume.xPrevious);
  const AxPrev =
    resume === undefined ? Float64Array.from(Ax) : Float64Array.from(resume.AxPrevious);
  fistaCore(
    monitor.problem,
    x,
    Ax,
    run.state,
    run.settings,
    (xk, Axk, objective) => {
      k++;
      if (k % certificateEvery === 0) {
        monitor.certificateBuffers.predictions.set(Axk);
        status = monitor.step(xk, objective, monitor.certify(xk, true));
      } else {
        status = monitor.step(xk, objective);
      }
      if (checkpoints.due(status))
        checkpoints.emit({
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
