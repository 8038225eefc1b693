import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CheckpointCodec,
  type EncodedCheckpoint,
  type FistaCheckpoint,
  getSolver,
  listSolvers,
} from "@convexformer/solvers";
import { ConvexformerError, readNpy, writeNpy } from "@convexformer/tensors";
import { UsageError } from "../usage-error.js";

/**
 * The files a solver checkpoint adds to a result folder (`convexformer solve --save`):
 * `checkpoint.json` and one `checkpoint-<name>.npy` per array of every registered solver's
 * checkpoint codec (`Solver.checkpoints`), read from the registry when this module loads.
 *
 * @example
 * ```ts
 * import { SOLVER_CHECKPOINT_FILES } from "@convexformer/io/node";
 * SOLVER_CHECKPOINT_FILES.includes("checkpoint.json"); // true
 * SOLVER_CHECKPOINT_FILES.includes("checkpoint-x.npy"); // true (FISTA's iterates)
 * ```
 */
export const SOLVER_CHECKPOINT_FILES: readonly string[] = [
  "checkpoint.json",
  ...new Set(
    listSolvers().flatMap((name) =>
      Object.keys(getSolver(name).checkpoints?.arrays ?? {}).map((a) => `checkpoint-${a}.npy`),
    ),
  ),
];

/** The codec of a resumable solver, or a usage error naming `argument`. */
function codecOf(solver: string, argument: string): CheckpointCodec<unknown> {
  const codec = listSolvers().includes(solver) ? getSolver(solver).checkpoints : undefined;
  if (codec === undefined)
    throw new UsageError(`${argument}: solver "${solver}" has no checkpoints (not resumable)`);
  return codec as CheckpointCodec<unknown>;
}

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
 * The files of a solver checkpoint (for `writeResultFolder`), encoded by the solver's own
 * codec (`getSolver(meta.solver).checkpoints`): `checkpoint.json` (the meta and the codec's
 * fields under the solver's name; non-finite numbers encoded) and one `checkpoint-<name>.npy`
 * (`count × n`) per array of the codec, all bit-exact. For FISTA: `checkpoint-x.npy` (the
 * iterate, the previous iterate, the best iterate) and `checkpoint-ax.npy` (their images
 * `A x` and `A x_prev`).
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
  const encoded = codecOf(meta.solver, "checkpoint").encode(checkpoint);
  const state = {
    format: "convexformer-checkpoint",
    version: 1,
    ...meta,
    [meta.solver]: encoded.fields,
  };
  const files: Record<string, string | Uint8Array> = {
    "checkpoint.json": `${JSON.stringify(state, encode)}\n`,
  };
  for (const [name, vectors] of Object.entries(encoded.arrays)) {
    const n = vectors[0]?.length ?? 0;
    const data = new Float64Array(vectors.length * n);
    for (const [k, v] of vectors.entries()) data.set(v, k * n);
    files[`checkpoint-${name}.npy`] = writeNpy({
      dtype: "float64",
      shape: [vectors.length, n],
      data,
    });
  }
  return files;
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
  if (typeof raw.solver !== "string") bad("solver", "must be a string");
  if (typeof raw.tolerance !== "number") bad("tolerance", "must be a number");
  const solver = raw.solver as string;
  const codec = codecOf(solver, `--resume ${file}: solver`);
  const fields = raw[solver];
  if (typeof fields !== "object" || fields === null || Array.isArray(fields))
    return bad(solver, "is missing");
  const arrays: Record<string, Float64Array[]> = {};
  for (const [name, count] of Object.entries(codec.arrays)) {
    const data = await readArray(join(dir, `checkpoint-${name}.npy`), count);
    const n = data.length / count;
    arrays[name] = Array.from({ length: count }, (_, k) => data.slice(k * n, (k + 1) * n));
  }
  const encoded: EncodedCheckpoint = { fields: fields as Record<string, unknown>, arrays };
  let checkpoint: FistaCheckpoint;
  try {
    // the solver validates every field's type and length again against the problem
    checkpoint = codec.decode(encoded) as FistaCheckpoint;
  } catch (error) {
    if (error instanceof ConvexformerError)
      throw new UsageError(`--resume ${file}: ${error.message}`);
    throw error;
  }
  const meta: SolverCheckpointMeta = {
    problemDir: raw.problemDir as string,
    spec: raw.spec,
    solver,
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
