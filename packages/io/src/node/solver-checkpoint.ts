import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FistaCheckpoint, IterationRecord } from "@convexformer/solvers";
import { readNpy, writeNpy } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";

/**
 * The files a solver checkpoint adds to a result folder (`convexformer solve --save`).
 *
 * @example
 * ```ts
 * import { SOLVER_CHECKPOINT_FILES } from "@convexformer/io/node";
 * SOLVER_CHECKPOINT_FILES.includes("checkpoint.json"); // true
 * ```
 */
export const SOLVER_CHECKPOINT_FILES = [
  "checkpoint.json",
  "checkpoint-x.npy",
  "checkpoint-ax.npy",
] as const;

/**
 * What a checkpoint records besides the solver state: enough to resume the same solve.
 *
 * @example
 * ```ts
 * import type { SolverCheckpointMeta } from "@convexformer/io/node";
 * const meta: SolverCheckpointMeta = { problemDir: "/data/p", spec: { kind: "group-lasso" }, solver: "fista", tolerance: 1e-6 };
 * ```
 */
export interface SolverCheckpointMeta {
  /** The problem directory (absolute). */
  readonly problemDir: string;
  /** The parsed `problem.json` it was written for (compared on resume). */
  readonly spec: unknown;
  /** The solver (`"fista"`). */
  readonly solver: string;
  /** The target relative gap of the interrupted solve. */
  readonly tolerance: number;
  /** Its iteration cap, if any. */
  readonly maxIterations?: number;
}

/** JSON cannot hold ±Infinity or NaN: such numbers become `{"$number": "Infinity"}`. */
function encode(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? { $number: String(value) } : value;
}

function decode(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const n = (value as { $number?: unknown }).$number;
    if (keys.length === 1 && typeof n === "string") return Number(n);
  }
  return value;
}

/**
 * The files of a FISTA checkpoint (for `writeResultFolder`): `checkpoint.json` (scalars,
 * history, working set; non-finite numbers encoded), `checkpoint-x.npy` (`3 × dim`: the
 * iterate, the previous iterate, the best iterate) and `checkpoint-ax.npy` (`2 × rows`: their
 * images `A x` and `A x_prev`), all bit-exact.
 *
 * @param checkpoint - the solver state
 * @param meta - the problem and options it belongs to
 * @example
 * ```ts
 * import { solverCheckpointFiles } from "@convexformer/io/node";
 * import type { FistaCheckpoint } from "@convexformer/solvers";
 * const c: FistaCheckpoint = {
 *   solver: "fista", mode: "plain", x: new Float64Array(1), xPrevious: new Float64Array(1),
 *   Ax: new Float64Array(1), AxPrevious: new Float64Array(1), lipschitz: 1, t: 1, beta: 0, steps: 0,
 *   monitor: { iteration: 0, bestDual: -Infinity, bestObjective: 1, reference: 1, bestX: new Float64Array(1), history: [], stride: 1 },
 * };
 * Object.keys(solverCheckpointFiles(c, { problemDir: "/p", spec: {}, solver: "fista", tolerance: 1e-6 }));
 * // ["checkpoint.json", "checkpoint-x.npy", "checkpoint-ax.npy"]
 * ```
 */
export function solverCheckpointFiles(
  checkpoint: FistaCheckpoint,
  meta: SolverCheckpointMeta,
): Record<string, string | Uint8Array> {
  const dim = checkpoint.x.length;
  const rows = checkpoint.Ax.length;
  const xs = new Float64Array(3 * dim);
  xs.set(checkpoint.x, 0);
  xs.set(checkpoint.xPrevious, dim);
  xs.set(checkpoint.monitor.bestX, 2 * dim);
  const axs = new Float64Array(2 * rows);
  axs.set(checkpoint.Ax, 0);
  axs.set(checkpoint.AxPrevious, rows);
  const { round } = checkpoint;
  const state = {
    format: "convexformer-checkpoint",
    version: 1,
    ...meta,
    fista: {
      mode: checkpoint.mode,
      lipschitz: checkpoint.lipschitz,
      t: checkpoint.t,
      beta: checkpoint.beta,
      steps: checkpoint.steps,
      monitor: {
        iteration: checkpoint.monitor.iteration,
        bestDual: checkpoint.monitor.bestDual,
        bestObjective: checkpoint.monitor.bestObjective,
        reference: checkpoint.monitor.reference,
        stride: checkpoint.monitor.stride,
        history: checkpoint.monitor.history,
      },
      ...(round === undefined
        ? {}
        : {
            round: { ...round, keep: Array.from(round.keep), screened: Array.from(round.screened) },
          }),
    },
  };
  return {
    "checkpoint.json": `${JSON.stringify(state, encode)}\n`,
    "checkpoint-x.npy": writeNpy({ dtype: "float64", shape: [3, dim], data: xs }),
    "checkpoint-ax.npy": writeNpy({ dtype: "float64", shape: [2, rows], data: axs }),
  };
}

/**
 * Reads the checkpoint of a result folder written by `convexformer solve --save` (for
 * `--resume`). Every problem is a {@link UsageError} naming `--resume`, the file and the field.
 *
 * @param dir - the result folder
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readSolverCheckpoint } from "@convexformer/io/node";
 * // a folder without a checkpoint (only an interrupted `solve --save` leaves one)
 * const dir = mkdtempSync(join(tmpdir(), "cf-resume-"));
 * await readSolverCheckpoint(dir); // throws UsageError
 * ```
 */
export async function readSolverCheckpoint(dir: string): Promise<{
  /** The problem and options the checkpoint belongs to. */
  meta: SolverCheckpointMeta;
  /** The solver state to resume from (`resumeFrom` of FISTA). */
  checkpoint: FistaCheckpoint;
}> {
  const file = join(dir, "checkpoint.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UsageError(
      `--resume ${dir}: no checkpoint.json there (only an interrupted or unfinished solve saved with --save leaves one)`,
    );
  }
  if (text.length > 256 * 1024 * 1024) throw new UsageError(`--resume ${file}: too large`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text, decode) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--resume ${file}: not valid JSON (${(error as Error).message})`);
  }
  const bad = (field: string, why: string): never => {
    throw new UsageError(`--resume ${file}: ${field} ${why}`);
  };
  if (raw.format !== "convexformer-checkpoint" || raw.version !== 1)
    bad("format", 'must be "convexformer-checkpoint" version 1');
  if (typeof raw.problemDir !== "string") bad("problemDir", "must be a string");
  if (raw.solver !== "fista") bad("solver", 'must be "fista"');
  if (typeof raw.tolerance !== "number") bad("tolerance", "must be a number");
  const f = raw.fista as Record<string, unknown> | undefined;
  if (typeof f !== "object" || f === null) return bad("fista", "is missing");
  const m = f.monitor as Record<string, unknown> | undefined;
  if (typeof m !== "object" || m === null) return bad("fista.monitor", "is missing");
  if (!Array.isArray(m.history)) bad("fista.monitor.history", "must be an array");
  const xs = await readArray(join(dir, "checkpoint-x.npy"), 3);
  const axs = await readArray(join(dir, "checkpoint-ax.npy"), 2);
  const dim = xs.length / 3;
  const rows = axs.length / 2;
  const r = f.round as Record<string, unknown> | undefined;
  let round: FistaCheckpoint["round"];
  if (r !== undefined) {
    if (!Array.isArray(r.keep) || !Array.isArray(r.screened))
      bad("fista.round", "must hold keep and screened arrays");
    round = {
      keep: Int32Array.from(r.keep as number[]),
      screened: Uint8Array.from(r.screened as number[]),
      step: r.step as number,
      tolerance: r.tolerance as number,
      complete: r.complete === true,
      tighten: r.tighten as number,
      lastBase: r.lastBase as number,
      fresh: r.fresh === true,
      ended: r.ended === true,
    };
  }
  // the solver validates every field's type and length again (InvalidOptionError naming it)
  const checkpoint: FistaCheckpoint = {
    solver: "fista",
    mode: f.mode as "plain" | "rounds",
    x: xs.slice(0, dim),
    xPrevious: xs.slice(dim, 2 * dim),
    Ax: axs.slice(0, rows),
    AxPrevious: axs.slice(rows),
    lipschitz: f.lipschitz as number,
    t: f.t as number,
    beta: f.beta as number,
    steps: f.steps as number,
    monitor: {
      iteration: m.iteration as number,
      bestDual: m.bestDual as number,
      bestObjective: m.bestObjective as number,
      reference: m.reference as number,
      stride: m.stride as number,
      bestX: xs.slice(2 * dim),
      history: m.history as IterationRecord[],
    },
    ...(round === undefined ? {} : { round }),
  };
  const meta: SolverCheckpointMeta = {
    problemDir: raw.problemDir as string,
    spec: raw.spec,
    solver: "fista",
    tolerance: raw.tolerance as number,
    ...(typeof raw.maxIterations === "number" ? { maxIterations: raw.maxIterations } : {}),
  };
  return { meta, checkpoint };
}

async function readArray(file: string, leading: number): Promise<Float64Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    throw new UsageError(`--resume ${file}: missing`);
  }
  const array = readNpy(bytes, file);
  if (array.dtype !== "float64" || array.shape.length !== 2 || array.shape[0] !== leading)
    throw new UsageError(
      `--resume ${file}: must be float64 of shape [${leading}, n]; got ${array.dtype} [${array.shape.join(", ")}]`,
    );
  return array.data as Float64Array;
}
