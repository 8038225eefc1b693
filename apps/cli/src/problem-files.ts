import { realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import {
  type AttentionProblem,
  attentionOperator,
  gatedAttentionProblem,
  LOSS_NAMES,
  type LossName,
  layoutGroups,
  lossFromTargets,
  type SequenceProblem,
  sampleGates,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "@convexformer/attention";
import { SetupInterruptedError, UsageError } from "@convexformer/io";
import {
  describeEntry,
  formatBytes,
  memoryLimitBytes,
  readInputNpy,
  readInputText,
  validateFiniteEntries,
} from "@convexformer/io/node";
import {
  type CompositeProblem,
  createProblem,
  denseOperator,
  groupL2,
  type SmoothLoss,
} from "@convexformer/solvers";
import {
  ConvexformerError,
  gemm,
  type NpyArray,
  npyToMatrix,
  npyToTokenBatch,
  TokenBatch,
} from "@convexformer/tensors";

/**
 * Largest class count inferred from labels without an explicit `classes`.
 *
 * @example
 * ```ts
 * import { MAX_INFERRED_CLASSES } from "./problem-files.js"; // internal module
 * MAX_INFERRED_CLASSES; // 1000
 * ```
 */
export const MAX_INFERRED_CLASSES = 1000;
/** Largest `classes` and `gates.count` accepted at all (memory is checked as well). */
const MAX_COUNT = 10_000_000;

/**
 * The problem kinds a problem directory can hold (the `kind` of its `problem.json`).
 *
 * @example
 * ```ts
 * import { PROBLEM_KINDS } from "./problem-files.js"; // internal module
 * PROBLEM_KINDS.includes("attention-scalar"); // true
 * PROBLEM_KINDS.length; // 6
 * ```
 */
export const PROBLEM_KINDS = [
  "group-lasso",
  "gated-relu",
  "attention-scalar",
  "attention-vector",
  "attention-gated",
  "attention-sequence",
] as const;

/**
 * One of {@link PROBLEM_KINDS}.
 *
 * @example
 * ```ts
 * import { PROBLEM_KINDS, type ProblemKind } from "./problem-files.js"; // internal module
 * const isKind = (k: string): k is ProblemKind => (PROBLEM_KINDS as readonly string[]).includes(k);
 * isKind("group-lasso"); // true
 * isKind("lasso"); // false
 * ```
 */
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/**
 * The parsed `problem.json` of a problem directory.
 *
 * @example
 * ```ts
 * import type { ProblemSpec } from "./problem-files.js"; // internal module
 * const spec: ProblemSpec = { kind: "group-lasso", loss: "squared", lambda: 0.1, groups: [2, 2] };
 * ```
 */
export interface ProblemSpec {
  /** What `X.npy` and `y.npy` describe. */
  readonly kind: ProblemKind;
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
  /** `attention-gated`: sample `count` Gaussian gates from `seed`, or read `u1`/`u2` `.npy` files. */
  readonly gates?:
    | { readonly count: number; readonly seed?: number }
    | { readonly u1: string; readonly u2: string };
}

/**
 * A problem read from a directory, ready for a solver.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { loadProblemDirectory } from "./problem-files.js"; // internal module
 * const dir = mkdtempSync(join(tmpdir(), "problem-"));
 * const spec = { kind: "group-lasso", loss: "squared", lambda: 0.5 };
 * writeFileSync(join(dir, "problem.json"), JSON.stringify(spec));
 * const X = new Float64Array([1, 0, 0, 1, 1, 1]);
 * writeFileSync(join(dir, "X.npy"), writeNpy({ dtype: "float64", shape: [3, 2], data: X }));
 * const y = new Float64Array([1, -1, 0.5]);
 * writeFileSync(join(dir, "y.npy"), writeNpy({ dtype: "float64", shape: [3], data: y }));
 * const loaded = await loadProblemDirectory(dir);
 * loaded.problem.dim; // 2
 * ```
 */
export interface LoadedProblem {
  /** The parsed `problem.json`. */
  readonly spec: ProblemSpec;
  /** The composite problem the solvers consume. */
  readonly problem: CompositeProblem | AttentionProblem | SequenceProblem;
  /** Shape of the solution for `--save` (e.g. `[p]`, `[P, p]`, `[c, n, d]`). */
  readonly solutionShape: readonly number[];
}

const SPEC_KEYS = ["kind", "loss", "lambda", "groups", "scaling", "classes", "gates"];

/**
 * Options of {@link loadProblemDirectory}.
 *
 * @example
 * ```ts
 * import type { LoadProblemOptions } from "./problem-files.js"; // internal module
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
 * for `gated-relu`). Every error names the file and the problem and is a {@link UsageError}.
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
 * import { loadProblemDirectory } from "./problem-files.js"; // internal module
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
    return await buildProblem(dir, spec, limit, options.signal);
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
 * @throws {@link UsageError} naming the file and the offending field
 * @example
 * ```ts
 * import { parseSpec } from "./problem-files.js"; // internal module
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
  if (!PROBLEM_KINDS.includes(kind as ProblemKind)) {
    throw new UsageError(
      `${file}: kind must be one of ${PROBLEM_KINDS.join(", ")}; got ${JSON.stringify(kind)}`,
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
    kind: kind as ProblemKind,
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
  if (spec.kind === "attention-gated") {
    const g = o.gates as Record<string, unknown> | undefined;
    if (typeof g !== "object" || g === null) {
      throw new UsageError(
        `${file}: attention-gated needs gates: {"count": P, "seed": s} or {"u1": "U1.npy", "u2": "U2.npy"}`,
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
    throw new UsageError(`${file}: gates applies to kind attention-gated only`);
  }
  return spec;
}

async function buildProblem(
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
  const tokenKind = kind !== "group-lasso" && kind !== "gated-relu";
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
    kind === "attention-sequence" ? ["sample", "token", "output"] : ["sample", "output"],
  );
  const y = toFloat64(yArray);
  /** Refuses, before allocating, a problem whose estimated memory exceeds the limit. */
  const need = (what: string, bytes: number, detail: string) => {
    if (bytes > limit)
      throw new UsageError(
        `${what} needs about ${formatBytes(bytes)} (${detail}); the memory limit is ${formatBytes(limit)} (CONVEXFORMER_MEMORY_LIMIT)`,
      );
  };
  if (kind === "group-lasso" || kind === "gated-relu") {
    const X = npyToMatrix(xArray, xFile);
    const N = X.rows;
    const loss = buildLoss(spec, y, yArray.shape, N, yFile, limit);
    if (loss.outputs !== 1)
      throw new UsageError(
        `${yFile}: ${kind} takes one output per sample; use an attention-* kind for several`,
      );
    if (kind === "group-lasso") {
      const sizes = spec.groups ?? Array.from({ length: X.cols }, () => 1);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== X.cols)
        throw new UsageError(`${specFile}: groups sum to ${total}, X.npy has ${X.cols} columns`);
      // the solver's dense form and restricted copies of X, plus its vectors
      need(xFile, 8 * (2 * N * X.cols + 16 * (N + X.cols)), `N × p = ${N} × ${X.cols}`);
      const problem = createProblem({
        operator: denseOperator(X),
        loss,
        regularizer: groupL2({ sizes }),
        lambda: spec.lambda,
      });
      return { spec, problem, solutionShape: [X.cols] };
    }
    const gFile = join(dir, "G.npy");
    const gArray = await readInputNpy(gFile, limit);
    if (gArray.shape.length !== 2)
      throw new UsageError(
        `${gFile}: needs shape [p, P] (features, gates); got [${gArray.shape.join(", ")}]`,
      );
    validateFiniteEntries(gFile, gArray, ["feature", "gate"]);
    const G = npyToMatrix(gArray, gFile);
    if (G.rows !== X.cols)
      throw new UsageError(
        `${gFile}: has ${G.rows} rows, X.npy has ${X.cols} columns (G must be p × P)`,
      );
    const P = G.cols;
    const p = X.cols;
    // scores N × P (blocks), patterns N × P, the solution P × p and the solver's vectors
    need(
      gFile,
      8 * 1024 * P + N * P + 8 * 16 * (P * p + N),
      `N × P = ${N} × ${P} patterns, P × p = ${P} × ${p} variables`,
    );
    // scnn's activation patterns: D_ij = 1[(X G)_ij > 0], 1024 samples at a time
    const mask = new Uint8Array(N * P);
    const block = Math.max(1, Math.min(N, 1024));
    const XG = new Float64Array(block * P);
    for (let i0 = 0; i0 < N; i0 += block) {
      SetupInterruptedError.throwIfAborted(signal);
      const b = Math.min(block, N - i0);
      gemm(
        "no-transpose",
        "no-transpose",
        b,
        P,
        p,
        1,
        X.data,
        p,
        1,
        i0 * p,
        G.data,
        P,
        1,
        0,
        0,
        XG,
        P,
        1,
        0,
      );
      for (let t = 0; t < b * P; t++) mask[i0 * P + t] = (XG[t] as number) > 0 ? 1 : 0;
    }
    // one token per sample: the one-token gated attention program (14) is scnn's program
    const operator = attentionOperator(new TokenBatch(N, 1, X.cols, X.data), 1, mask);
    const regularizer = groupL2({ ptr: layoutGroups(operator.layout).ptr });
    const problem = createProblem({ operator, loss, regularizer, lambda: spec.lambda });
    return { spec, problem, solutionShape: [P, X.cols] };
  }
  const X = npyToTokenBatch(xArray, xFile);
  const N = X.samples;
  const n = X.tokens;
  const d = X.features;
  if (kind === "attention-sequence") {
    const loss = buildLoss(spec, y, yArray.shape, N * n, yFile, limit, n);
    const problem = sequenceAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [problem.dim] };
  }
  const loss = buildLoss(spec, y, yArray.shape, N, yFile, limit);
  const c = loss.outputs;
  if (kind === "attention-scalar") {
    if (c !== 1)
      throw new UsageError(
        `${yFile}: attention-scalar takes one output per sample; use attention-vector`,
      );
    const problem = scalarAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [n, d] };
  }
  if (kind === "attention-vector") {
    need(yFile, 8 * 16 * (c * n * d + N * c), `c × n × d = ${c} × ${n} × ${d} variables`);
    const problem = vectorAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [c, n, d] };
  }
  // attention-gated
  const gatesSpec = spec.gates as NonNullable<ProblemSpec["gates"]>;
  let gates: { u1: Float64Array; u2: Float64Array };
  if ("u1" in gatesSpec) {
    const u1File = await insideFolder(dir, gatesSpec.u1, "gates.u1", specFile);
    const u2File = await insideFolder(dir, gatesSpec.u2, "gates.u2", specFile);
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
    gatedNeed(need, specFile, u1.rows, N, n, d, c);
    gates = { u1: u1.data, u2: u2.data };
  } else {
    gatedNeed(need, specFile, gatesSpec.count, N, n, d, c);
    gates = sampleGates(X, gatesSpec.count, {
      seed: gatesSpec.seed ?? 0,
      ...(signal === undefined ? {} : { signal }),
    });
  }
  SetupInterruptedError.throwIfAborted(signal);
  const problem = gatedAttentionProblem(X, gates, loss, spec.lambda);
  return {
    spec,
    problem,
    solutionShape: [problem.layout.gates, c, n, d],
  };
}

/** Memory of program (14) with `P` gates: gate vectors, pattern blocks, patterns, the solver's vectors. */
function gatedNeed(
  need: (what: string, bytes: number, detail: string) => void,
  specFile: string,
  P: number,
  N: number,
  n: number,
  d: number,
  c: number,
): void {
  const bytes =
    8 * P * (n + d) + 8 * 256 * (n * d + N) + 3 * N * P + 8 * 16 * (P * c * n * d + N * c);
  need(
    `${specFile}: gates.count = ${P}`,
    bytes,
    `N × P = ${N} × ${P} patterns, P × c × n × d = ${P} × ${c} × ${n} × ${d} variables`,
  );
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

/**
 * Builds the loss from the targets. `rows` is the number of prediction rows (samples, or
 * samples × tokens for sequences); the targets hold `rows` entries (one output, or class
 * labels) or `rows × c` entries.
 */
function buildLoss(
  spec: ProblemSpec,
  y: Float64Array,
  shape: readonly number[],
  rows: number,
  file: string,
  limit: number,
  tokens?: number,
): SmoothLoss {
  const leading = tokens === undefined ? 1 : 2; // dims that index rows: [N] or [N, n]
  if (shape.length < leading || shape.length > leading + 1) {
    throw new UsageError(
      `${file}: expected shape ${tokens === undefined ? "[N] or [N, c]" : "[N, n] or [N, n, c]"}, got [${shape.join(", ")}]`,
    );
  }
  const rowCount = shape.slice(0, leading).reduce((a, b) => a * b, 1);
  if (rowCount !== rows)
    throw new UsageError(`${file}: has ${rowCount} target rows, X.npy implies ${rows}`);
  const c = shape.length === leading + 1 ? (shape[leading] as number) : 1;
  const scaling = spec.scaling === undefined ? {} : { scaling: spec.scaling };
  const axes = tokens === undefined ? ["sample"] : ["sample", "token"];
  if (spec.loss === "logistic") {
    for (let i = 0; i < y.length; i++) {
      const v = y[i] as number;
      if (v !== 1 && v !== -1)
        throw new UsageError(
          `${file}: ${describeEntry(shape, [...axes, "output"], i)} is ${v}; logistic labels must be 1 or -1`,
        );
    }
  }
  if (spec.loss !== "cross-entropy")
    return lossFromTargets(y, { loss: spec.loss, rows, outputs: c, argument: file, ...scaling });
  if (c !== 1)
    throw new UsageError(
      `${file}: cross-entropy takes integer class labels, shape ${tokens === undefined ? "[N]" : "[N, n]"}`,
    );
  const labels = new Int32Array(y.length);
  let max = -1;
  let argmax = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isInteger(v) || v < 0)
      throw new UsageError(
        `${file}: ${describeEntry(shape, axes, i)} is ${v}; cross-entropy labels must be integers >= 0`,
      );
    if (spec.classes !== undefined && v >= spec.classes)
      throw new UsageError(
        `${file}: ${describeEntry(shape, axes, i)} is ${v}; with classes = ${spec.classes} labels must be < ${spec.classes}`,
      );
    if (v > max) {
      max = v;
      argmax = i;
    }
  }
  if (spec.classes === undefined && max + 1 > MAX_INFERRED_CLASSES)
    throw new UsageError(
      `${file}: the largest label, ${max} (${describeEntry(shape, axes, argmax)}), would mean ${max + 1} classes; set "classes" in problem.json if that many are meant (inferred counts stop at ${MAX_INFERRED_CLASSES})`,
    );
  const classes = spec.classes ?? Math.max(2, max + 1);
  const bytes = 8 * 8 * rows * classes;
  if (bytes > limit)
    throw new UsageError(
      `${file}: ${classes} classes × ${rows} rows need about ${formatBytes(bytes)} for the loss alone; the memory limit is ${formatBytes(limit)} (CONVEXFORMER_MEMORY_LIMIT)`,
    );
  for (let i = 0; i < y.length; i++) labels[i] = y[i] as number;
  return lossFromTargets(labels, {
    loss: "cross-entropy",
    rows,
    outputs: classes,
    argument: file,
    ...scaling,
  });
}
