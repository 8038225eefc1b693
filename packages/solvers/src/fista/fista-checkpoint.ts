import { InvalidOptionError } from "@convexformer/tensors";
import type { SolveMonitorState } from "../solve-monitor-state.js";

/**
 * The position inside a working-set round of FISTA, for resuming mid-round: the round's set
 * and inner tolerance and how far the round had gone.
 *
 * @example
 * ```ts
 * import type { FistaRoundState } from "@convexformer/solvers";
 * const round: FistaRoundState = {
 *   keep: new Int32Array([0, 2]), screened: new Uint8Array(3), step: 4, tolerance: 1e-6,
 *   complete: false, tighten: 1, lastBase: 1e-6, fresh: false, ended: false,
 * };
 * ```
 */
export interface FistaRoundState {
  /** The groups of the round's working set, increasing. */
  readonly keep: Int32Array;
  /** Groups screened so far (1 = proven zero). */
  readonly screened: Uint8Array;
  /** Steps taken in the round. */
  readonly step: number;
  /** The round's inner tolerance. */
  readonly tolerance: number;
  /** Whether the set holds every unscreened group. */
  readonly complete: boolean;
  /** The round's tightening factor of the inner tolerance. */
  readonly tighten: number;
  /** The round's base inner tolerance. */
  readonly lastBase: number;
  /** Whether a full certificate was computed in the round. */
  readonly fresh: boolean;
  /** Whether the round had reached its end (the next step is the full certificate). */
  readonly ended: boolean;
}

/**
 * A resumable FISTA state, handed to {@link FistaCheckpointHook.write} and accepted back as
 * `resumeFrom`: the iterate and the previous iterate (the momentum) with their images under
 * `A`, the step `1/L`, the momentum scalars, the monitor's state (iteration count, best dual,
 * best iterate, history) and, for the working-set loop, the round. A solve resumed from it with
 * the same problem and FISTA settings takes exactly the steps the uninterrupted solve would have
 * taken (with screening, the lazily tightened bounds are rebuilt, so the steps may differ but
 * the optimum does not).
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { type FistaCheckpoint, createProblem, denseOperator, fista, groupL2, squaredLoss } from "@convexformer/solvers";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 1 / 8,
 * });
 * const saved: FistaCheckpoint[] = [];
 * fista.solve(problem, { tolerance: 1e-12, maxIterations: 3, workingSet: false, checkpoint: { write: (c) => saved.push(c) } });
 * // the last checkpoint is where the iteration cap stopped the solve
 * const resumeFrom = saved.at(-1) as FistaCheckpoint;
 * const resumed = fista.solve(problem, { tolerance: 1e-12, workingSet: false, resumeFrom });
 * resumed.objective; // ≈ 15/64
 * ```
 */
export interface FistaCheckpoint {
  /** Always `"fista"`. */
  readonly solver: "fista";
  /** `"plain"` (no working set, no screening) or `"rounds"` (the working-set / screening loop). */
  readonly mode: "plain" | "rounds";
  /** The iterate `x` (length `dim`). */
  readonly x: Float64Array;
  /** The previous iterate (the momentum), length `dim`. */
  readonly xPrevious: Float64Array;
  /** `A x`, length `rows`. */
  readonly Ax: Float64Array;
  /** `A` times the previous iterate, length `rows`. */
  readonly AxPrevious: Float64Array;
  /** The Lipschitz estimate `L` (the step is `1/L`). */
  readonly lipschitz: number;
  /** FISTA's `t`. */
  readonly t: number;
  /** The momentum weight of the next step. */
  readonly beta: number;
  /** Steps since the start (plain mode; equals the iteration count). */
  readonly steps: number;
  /** The monitor's state. */
  readonly monitor: SolveMonitorState;
  /** The working-set round (mode `"rounds"`). */
  readonly round?: FistaRoundState;
}

/**
 * Where and how often FISTA hands out checkpoints: every `everyIterations` iterations and/or
 * every `everyMs` milliseconds (at least one; default every 1000 ms), and once more when the
 * solve stops early (time limit, abort, iteration cap), so the last checkpoint is where it
 * stopped. `write` runs synchronously inside the solve; copy or serialize what it needs.
 *
 * @example
 * ```ts
 * import type { FistaCheckpointHook } from "@convexformer/solvers";
 * const hook: FistaCheckpointHook = { everyMs: 5000, write: (c) => console.log(c.monitor.iteration) };
 * ```
 */
export interface FistaCheckpointHook {
  /** Checkpoint every this many iterations. */
  readonly everyIterations?: number;
  /** Checkpoint when this many milliseconds passed since the last one. */
  readonly everyMs?: number;
  /**
   * Receives each checkpoint.
   *
   * @param checkpoint - the solver state at the end of an iteration (fresh arrays that the
   *   solve does not touch again; keep them, or serialize them, and pass one back as
   *   `resumeFrom`)
   */
  readonly write: (checkpoint: FistaCheckpoint) => void;
}

/** Throws an `InvalidOptionError` naming `options.resumeFrom.<field>` when the checkpoint does not fit. @internal */
export function validateFistaCheckpoint(
  c: FistaCheckpoint,
  dim: number,
  rows: number,
  groups: number | undefined,
  mode: "plain" | "rounds",
): void {
  const name = "options.resumeFrom";
  if (typeof c !== "object" || c === null || c.solver !== "fista")
    throw new InvalidOptionError(name, typeof c, 'must be a FISTA checkpoint (solver "fista")');
  if (c.mode !== mode)
    throw new InvalidOptionError(
      `${name}.mode`,
      c.mode,
      `must be "${mode}" for these options (working set / screening as when it was written)`,
    );
  for (const [key, length] of [
    ["x", dim],
    ["xPrevious", dim],
    ["Ax", rows],
    ["AxPrevious", rows],
  ] as const) {
    const v = c[key];
    if (!(v instanceof Float64Array) || v.length !== length)
      throw new InvalidOptionError(
        `${name}.${key}`,
        v?.length,
        `must be a Float64Array of length ${length}`,
      );
    for (let i = 0; i < v.length; i++)
      if (!Number.isFinite(v[i] as number))
        throw new InvalidOptionError(`${name}.${key}`, v[i], `entry ${i} must be finite`);
  }
  for (const key of ["lipschitz", "t", "beta"] as const) {
    if (
      typeof c[key] !== "number" ||
      !Number.isFinite(c[key]) ||
      (key === "lipschitz" && c[key] <= 0)
    )
      throw new InvalidOptionError(
        `${name}.${key}`,
        c[key],
        "must be a finite number (lipschitz > 0)",
      );
  }
  if (!Number.isSafeInteger(c.steps) || c.steps < 0)
    throw new InvalidOptionError(`${name}.steps`, c.steps, "must be an integer >= 0");
  if (mode === "rounds") {
    const r = c.round;
    if (
      r === undefined ||
      !(r.keep instanceof Int32Array) ||
      !(r.screened instanceof Uint8Array) ||
      r.screened.length !== groups
    )
      throw new InvalidOptionError(
        `${name}.round`,
        typeof r,
        `must hold keep (Int32Array) and screened (Uint8Array of length ${groups})`,
      );
    for (let i = 0; i < r.keep.length; i++) {
      const g = r.keep[i] as number;
      if (g < 0 || g >= (groups ?? 0) || (i > 0 && g <= (r.keep[i - 1] as number)))
        throw new InvalidOptionError(
          `${name}.round.keep`,
          g,
          `entry ${i} must be an increasing group index < ${groups}`,
        );
    }
  }
}
