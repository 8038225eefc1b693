import { realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import {
  LOSS_NAMES,
  type LossName,
  type MemoryEstimate,
  type ProgramProblem,
  problemFromArrays,
  problemKindProgram,
  problemKinds,
} from "@convexformer/attention";
import {
  ConvexformerError,
  type NpyArray,
  npyToMatrix,
  npyToTokenBatch,
} from "@convexformer/tensors";
import { SetupInterruptedError } from "../setup-interrupted.js";
import { UsageError } from "../usage-error.js";
import { validateFiniteEntries } from "./input-checks.js";
import { readInputNpy, readInputText } from "./input-files.js";
import { formatBytes, memoryLimitBytes } from "./memory-limit.js";

/** Largest `classes` and `gates.count` accepted at all (memory is checked as well). */
const MAX_COUNT = 10_000_000;

/**
 * The parsed `problem.json` of a problem directory.
 *
 * @example
 * ```ts
 * import type { ProblemSpec } from "@convexformer/io/node";
 * const spec: ProblemSpec = { kind: "group-lasso", loss: "squared", lambda: 0.1, groups: [2, 2] };
 * ```
 */
export interface ProblemSpec {
  /** What `X.npy` and `y.npy` describe: one of attention's `problemKinds()`. */
  readonly kind: string;
  /** The data-fit term. */
  readonly loss: LossName;
  /** `λ > 0`. */
  readonly lambda: number;
  /** `group-lasso`: sizes of consecutive column groups (sum = p); default one group per column. */
  readonly groups?: readonly number[];
  /** `"sum"` over samples (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /** `cross-entropy`: number of classes; default the largest label + 1. */
  readonly classes?: number;
  /** Gated `attention-*` kinds: sample `count` Gaussian gates from `seed`, or read `u1`/`u2` `.npy` files. */
  readonly gates?:
    | {
        /** How many gates to sample. */
        readonly count: number;
        /** Their seed (default 0). */
        readonly seed?: number;
      }
    | {
        /** The `.npy` file (in the folder) of the token-side gate vectors, `P × n`. */
        readonly u1: string;
        /** The `.npy` file of the feature-side gate vectors, `P × d`. */
        readonly u2: string;
      };
}

/**
 * A problem read from a directory, ready for a solver: attention's `ProgramProblem` (the
 * problem and the shape `--save` writes its solution in) and the parsed `problem.json`.
 *
 * @example
 * ```ts
 * import type { LoadedProblem } from "@convexformer/io/node";
 * const describe = (loaded: LoadedProblem) => `${loaded.spec.kind}: ${loaded.problem.dim} variables`;
 * ```
 */
export interface LoadedProblem extends ProgramProblem {
  /** The parsed `problem.json`. */
  readonly spec: ProblemSpec;
}

const SPEC_KEYS = ["kind", "loss", "lambda", "groups", "scaling", "classes", "gates"];

/**
 * Options of {@link loadProblemDirectory}.
 *
 * @example
 * ```ts
 * import type { LoadProblemOptions } from "@convexformer/io/node";
 * const options: LoadProblemOptions = { memoryLimitBytes: 2 ** 30 };
 * ```
 */
export interface LoadProblemOptions {
  /** Polled between files and blocks of set-up work; when aborted, loading throws `SetupInterruptedError`. */
  readonly signal?: AbortSignal;
  /** Most bytes the problem may need (default `memoryLimitBytes()`). */
  readonly memoryLimitBytes?: number;
}

/**
 * Reads and validates a problem directory: `problem.json` plus `X.npy`, `y.npy` (and `G.npy`
 * for `gated-relu`). Every error names the file and the problem and is a `UsageError` (of `@convexformer/io`).
 *
 * @param dir - the problem directory; gate files it names must lie inside it
 * @param options - `memoryLimitBytes`: the most bytes the problem may need (default
 *   `memoryLimitBytes()`); a larger problem is refused before it is allocated
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { loadProblemDirectory } from "@convexformer/io/node";
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * const spec = { kind: "group-lasso", loss: "squared", lambda: 0.5 };
 * writeFileSync(join(dir, "problem.json"), JSON.stringify(spec));
 * const X = new Float64Array([1, 0, 0, 1, 1, 1]);
 * writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [3, 2], data: X }));
 * const y = new Float64Array([1, -1, 0.5]);
 * writeFileSync(join(dir, "y.npy"), writeNpy({ dtype: "float64", shape: [3], data: y }));
 * const loaded = await loadProblemDirectory(dir);
 * loaded.spec.kind; // "group-lasso"
 * loaded.problem.lambda; // 0.5
 * ```
 */
export async function loadProblemDirectory(
  dir: string,
  options: LoadProblemOptions = {},
): Promise<LoadedProblem> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(`${dir}: not a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      (error as NodeJS.ErrnoException).code === "ELOOP"
        ? `${dir}: symbolic link loop`
        : `${dir}: no such problem directory`,
    );
  }
  const spec = parseSpec(await readInputText(join(dir, "problem.json")), join(dir, "problem.json"));
  const limit = options.memoryLimitBytes ?? memoryLimitBytes();
  try {
    return await readProblem(dir, spec, limit, options.signal);
  } catch (error) {
    if (error instanceof ConvexformerError) throw new UsageError(error.message);
    if (error instanceof DOMException && error.name === "AbortError")
      SetupInterruptedError.throwIfAborted(options.signal);
    if (error instanceof RangeError && /array length|allocation/i.test(error.message))
      throw new UsageError(
        `${dir}: the problem does not fit in memory (${error.message}); make it smaller or raise CONVEXFORMER_MEMORY_LIMIT`,
      );
    throw error;
  }
}

/**
 * Parses and validates the text of a `problem.json`.
 *
 * @param text - the file's text
 * @param file - the file name used in error messages
 * @throws `UsageError` (of `@convexformer/io`) naming the file and the offending field
 * @example
 * ```ts
 * import { parseSpec } from "@convexformer/io/node";
 * parseSpec('{"kind":"group-lasso","loss":"squared","lambda":0.1}', "problem.json").lambda; // 0.1
 * ```
 */
export function parseSpec(text: string, file: string): ProblemSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${file}: must hold a JSON object`);
  }
  const o = raw as Record<string, unknown>;
  /** The number as written in the file (JSON.parse turns 1e400 into Infinity). */
  const given = (key: string, value: unknown): string => {
    if (typeof value !== "number") return JSON.stringify(value) ?? String(value);
    const m = new RegExp(`"${key}"\\s*:\\s*(-?[0-9.][0-9.eE+-]*)`).exec(text);
    return m?.[1] ?? String(value);
  };
  for (const key of Object.keys(o)) {
    if (!SPEC_KEYS.includes(key))
      throw new UsageError(`${file}: unknown field "${key}" (known: ${SPEC_KEYS.join(", ")})`);
  }
  const kind = o.kind;
  const kinds = problemKinds();
  if (typeof kind !== "string" || !kinds.includes(kind)) {
    throw new UsageError(
      `${file}: kind must be one of ${kinds.join(", ")}; got ${JSON.stringify(kind)}`,
    );
  }
  const loss = o.loss;
  if (!LOSS_NAMES.includes(loss as LossName)) {
    throw new UsageError(
      `${file}: loss must be one of ${LOSS_NAMES.join(", ")}; got ${JSON.stringify(loss)}`,
    );
  }
  if (loss === "cross-entropy" && (kind === "group-lasso" || kind === "gated-relu")) {
    throw new UsageError(
      `${file}: kind ${kind} predicts one number per sample, and the cross-entropy loss needs one per class; use loss "logistic" (labels ±1) for two classes, or kind "attention-vector" with cross-entropy`,
    );
  }
  const lambda = o.lambda;
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda <= 0) {
    throw new UsageError(
      `${file}: lambda must be a finite number > 0; got ${given("lambda", lambda)}`,
    );
  }
  const spec: { -readonly [K in keyof ProblemSpec]: ProblemSpec[K] } = {
    kind,
    loss: loss as LossName,
    lambda,
  };
  if (o.groups !== undefined) {
    if (spec.kind !== "group-lasso")
      throw new UsageError(`${file}: groups applies to kind group-lasso only`);
    if (
      !Array.isArray(o.groups) ||
      o.groups.length === 0 ||
      !o.groups.every((g) => Number.isSafeInteger(g) && g >= 1)
    ) {
      throw new UsageError(
        `${file}: groups must be a non-empty array of group sizes (integers >= 1)`,
      );
    }
    spec.groups = o.groups as number[];
  }
  if (o.scaling !== undefined) {
    if (o.scaling !== "sum" && o.scaling !== "mean")
      throw new UsageError(`${file}: scaling must be "sum" or "mean"`);
    spec.scaling = o.scaling;
  }
  if (o.classes !== undefined) {
    if (spec.loss !== "cross-entropy")
      throw new UsageError(`${file}: classes applies to the cross-entropy loss only`);
    if (
      !Number.isSafeInteger(o.classes) ||
      (o.classes as number) < 2 ||
      (o.classes as number) > MAX_COUNT
    ) {
      throw new UsageError(
        `${file}: classes must be an integer in [2, ${MAX_COUNT}]; got ${given("classes", o.classes)}`,
      );
    }
    spec.classes = o.classes as number;
  }
  if (kind.startsWith("attention-") && problemKindProgram(kind)?.gated === true) {
    const g = o.gates as Record<string, unknown> | undefined;
    if (typeof g !== "object" || g === null) {
      throw new UsageError(
        `${file}: ${kind} needs gates: {"count": P, "seed": s} or {"u1": "U1.npy", "u2": "U2.npy"}`,
      );
    }
    if (typeof g.u1 === "string" && typeof g.u2 === "string" && Object.keys(g).length === 2) {
      for (const key of ["u1", "u2"] as const) {
        const path = g[key] as string;
        if (path === "" || isAbsolute(path) || path.split(/[\\/]/).includes(".."))
          throw new UsageError(
            `${file}: gates.${key} must be a file inside the problem folder (relative, no ".."); got ${JSON.stringify(path)}`,
          );
      }
      spec.gates = { u1: g.u1, u2: g.u2 };
    } else if (
      g.count !== undefined &&
      Object.keys(g).every((k) => k === "count" || k === "seed")
    ) {
      if (
        !Number.isSafeInteger(g.count) ||
        (g.count as number) < 1 ||
        (g.count as number) > MAX_COUNT
      )
        throw new UsageError(
          `${file}: gates.count must be an integer in [1, ${MAX_COUNT}]; got ${given("count", g.count)}`,
        );
      if (g.seed !== undefined && !Number.isSafeInteger(g.seed))
        throw new UsageError(
          `${file}: gates.seed must be an integer; got ${given("seed", g.seed)}`,
        );
      spec.gates =
        g.seed === undefined
          ? { count: g.count as number }
          : { count: g.count as number, seed: g.seed as number };
    } else {
      throw new UsageError(
        `${file}: gates must be {"count": P >= 1, "seed"?: integer} or {"u1": file, "u2": file}`,
      );
    }
  } else if (o.gates !== undefined) {
    throw new UsageError(`${file}: gates applies to the gated attention-* kinds only`);
  }
  return spec;
}

async function readProblem(
  dir: string,
  spec: ProblemSpec,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<LoadedProblem> {
  const specFile = join(dir, "problem.json");
  const xFile = join(dir, "X.npy");
  const yFile = join(dir, "y.npy");
  const xArray = await readInputNpy(xFile, limit);
  SetupInterruptedError.throwIfAborted(signal);
  const yArray = await readInputNpy(yFile, limit);
  SetupInterruptedError.throwIfAborted(signal);
  const { kind } = spec;
  const program = problemKindProgram(kind);
  const tokenKind = kind.startsWith("attention-");
  if (tokenKind && xArray.shape.length !== 3)
    throw new UsageError(
      `${xFile}: ${kind} needs shape [N, n, d] (samples, tokens, features); got [${xArray.shape.join(", ")}]`,
    );
  if (!tokenKind && xArray.shape.length !== 2)
    throw new UsageError(
      `${xFile}: ${kind} needs shape [N, p] (samples, features); got [${xArray.shape.join(", ")}]`,
    );
  validateFiniteEntries(
    xFile,
    xArray,
    tokenKind ? ["sample", "token", "feature"] : ["sample", "feature"],
  );
  validateFiniteEntries(
    yFile,
    yArray,
    program?.targetsPerToken === true ? ["sample", "token", "output"] : ["sample", "output"],
  );
  const data = tokenKind ? npyToTokenBatch(xArray, xFile) : npyToMatrix(xArray, xFile);
  let gateCount = 0;
  /** Refuses, before allocating, a problem whose estimated memory exceeds the limit. */
  const checkMemory = (estimate: MemoryEstimate) => {
    if (estimate.bytes <= limit) return;
    const bytes = formatBytes(estimate.bytes);
    const over = `the memory limit is ${formatBytes(limit)} (CONVEXFORMER_MEMORY_LIMIT)`;
    if (estimate.cause === "classes")
      throw new UsageError(
        `${yFile}: ${estimate.detail} need about ${bytes} for the loss alone; ${over}`,
      );
    const what =
      estimate.cause === "gates"
        ? kind === "gated-relu"
          ? join(dir, "G.npy")
          : `${specFile}: gates.count = ${gateCount}`
        : estimate.cause === "outputs"
          ? yFile
          : xFile;
    throw new UsageError(`${what} needs about ${bytes} (${estimate.detail}); ${over}`);
  };
  let gates: { count: number; seed?: number } | { u1: Float64Array; u2: Float64Array } | undefined;
  let gateMatrix: ReturnType<typeof npyToMatrix> | undefined;
  if (kind === "gated-relu") {
    const gFile = join(dir, "G.npy");
    const gArray = await readInputNpy(gFile, limit);
    if (gArray.shape.length !== 2)
      throw new UsageError(
        `${gFile}: needs shape [p, P] (features, gates); got [${gArray.shape.join(", ")}]`,
      );
    validateFiniteEntries(gFile, gArray, ["feature", "gate"]);
    gateMatrix = npyToMatrix(gArray, gFile);
    if (gateMatrix.rows !== xArray.shape[1])
      throw new UsageError(
        `${gFile}: has ${gateMatrix.rows} rows, X.npy has ${xArray.shape[1]} columns (G must be p × P)`,
      );
  } else if (spec.gates !== undefined) {
    gates =
      "u1" in spec.gates ? await readGateFiles(dir, spec.gates, xArray.shape, limit) : spec.gates;
    gateCount = "count" in gates ? gates.count : gates.u1.length / (xArray.shape[1] as number);
  }
  const built = problemFromArrays({
    kind,
    loss: spec.loss,
    lambda: spec.lambda,
    data,
    labels: toFloat64(yArray),
    labelShape: yArray.shape,
    checkMemory,
    names: { labels: yFile, spec: specFile },
    ...(spec.scaling === undefined ? {} : { scaling: spec.scaling }),
    ...(spec.classes === undefined ? {} : { classes: spec.classes }),
    ...(spec.groups === undefined ? {} : { groups: spec.groups }),
    ...(gates === undefined ? {} : { gates }),
    ...(gateMatrix === undefined ? {} : { gateMatrix }),
    ...(signal === undefined ? {} : { signal }),
  });
  SetupInterruptedError.throwIfAborted(signal);
  return { spec, ...built };
}

/** Reads the `u1`/`u2` gate files a gated attention problem names (inside the folder). */
async function readGateFiles(
  dir: string,
  names: { readonly u1: string; readonly u2: string },
  xShape: readonly number[],
  limit: number,
): Promise<{ u1: Float64Array; u2: Float64Array }> {
  const specFile = join(dir, "problem.json");
  const n = xShape[1] as number;
  const d = xShape[2] as number;
  const u1File = await insideFolder(dir, names.u1, "gates.u1", specFile);
  const u2File = await insideFolder(dir, names.u2, "gates.u2", specFile);
  const u1Array = await readInputNpy(u1File, limit);
  const u2Array = await readInputNpy(u2File, limit);
  validateFiniteEntries(u1File, u1Array, ["gate", "token"]);
  validateFiniteEntries(u2File, u2Array, ["gate", "feature"]);
  const u1 = npyToMatrix(u1Array, u1File);
  const u2 = npyToMatrix(u2Array, u2File);
  if (u1.cols !== n)
    throw new UsageError(`${u1File}: must be P × n = ? × ${n}; got ${u1.rows} × ${u1.cols}`);
  if (u2.cols !== d || u2.rows !== u1.rows) {
    throw new UsageError(
      `${u2File}: must be P × d = ${u1.rows} × ${d}; got ${u2.rows} × ${u2.cols}`,
    );
  }
  return { u1: u1.data, u2: u2.data };
}

/** `dir/name` after checking that it resolves (symbolic links included) inside `dir`. */
async function insideFolder(
  dir: string,
  name: string,
  field: string,
  specFile: string,
): Promise<string> {
  const path = join(dir, name);
  let real: string;
  let root: string;
  try {
    root = await realpath(dir);
    real = await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP")
      throw new UsageError(`${path}: symbolic link loop`);
    throw new UsageError(`${path}: missing`);
  }
  const rel = relative(root, real);
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel))
    throw new UsageError(
      `${specFile}: gates.${field.slice(6)} ${JSON.stringify(name)} leads outside the problem folder (to ${real})`,
    );
  return path;
}

function toFloat64(array: NpyArray): Float64Array {
  return array.data instanceof Float64Array ? array.data : Float64Array.from(array.data);
}
