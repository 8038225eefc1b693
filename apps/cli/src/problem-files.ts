import { stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type AttentionProblem,
  attentionOperator,
  gatedAttentionProblem,
  layoutGroups,
  type SequenceProblem,
  sampleGates,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "@convexformer/attention";
import {
  type CompositeProblem,
  createProblem,
  crossEntropyLoss,
  denseOperator,
  groupL2,
  logisticLoss,
  type SmoothLoss,
  squaredLoss,
} from "@convexformer/solvers";
import {
  ConvexformerError,
  gemm,
  type NpyArray,
  npyToMatrix,
  npyToTokenBatch,
  TokenBatch,
} from "@convexformer/tensors";
import { readInputNpy, readInputText } from "./input-files.js";
import { UsageError } from "./usage-error.js";

/** The problem kinds a problem directory can hold. */
export const PROBLEM_KINDS = [
  "group-lasso",
  "gated-relu",
  "attention-scalar",
  "attention-vector",
  "attention-gated",
  "attention-sequence",
] as const;

/** One of {@link PROBLEM_KINDS}. */
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** The losses a problem directory can name. */
export const PROBLEM_LOSSES = ["squared", "logistic", "cross-entropy"] as const;

/** One of {@link PROBLEM_LOSSES}. */
export type ProblemLoss = (typeof PROBLEM_LOSSES)[number];

/**
 * The parsed `problem.json` of a problem directory.
 *
 * @example
 * ```ts
 * import type { ProblemSpec } from "convexformer";
 * const spec: ProblemSpec = { kind: "group-lasso", loss: "squared", lambda: 0.1, groups: [2, 2] };
 * ```
 */
export interface ProblemSpec {
  /** What `X.npy` and `y.npy` describe. */
  readonly kind: ProblemKind;
  /** The data-fit term. */
  readonly loss: ProblemLoss;
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
 * import { loadProblemDirectory } from "convexformer";
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
 * Reads and validates a problem directory: `problem.json` plus `X.npy`, `y.npy` (and `G.npy`
 * for `gated-relu`). Every error names the file and the problem and is a {@link UsageError}.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeNpy } from "@convexformer/tensors";
 * import { loadProblemDirectory } from "convexformer";
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
export async function loadProblemDirectory(dir: string): Promise<LoadedProblem> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(`${dir}: not a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${dir}: no such problem directory`);
  }
  const spec = parseSpec(await readInputText(join(dir, "problem.json")), join(dir, "problem.json"));
  try {
    return await buildProblem(dir, spec);
  } catch (error) {
    if (error instanceof ConvexformerError) throw new UsageError(error.message);
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
 * import { parseSpec } from "convexformer";
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
  if (!PROBLEM_LOSSES.includes(loss as ProblemLoss)) {
    throw new UsageError(
      `${file}: loss must be one of ${PROBLEM_LOSSES.join(", ")}; got ${JSON.stringify(loss)}`,
    );
  }
  const lambda = o.lambda;
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda <= 0) {
    throw new UsageError(
      `${file}: lambda must be a finite number > 0; got ${JSON.stringify(lambda)}`,
    );
  }
  const spec: { -readonly [K in keyof ProblemSpec]: ProblemSpec[K] } = {
    kind: kind as ProblemKind,
    loss: loss as ProblemLoss,
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
    if (!Number.isSafeInteger(o.classes) || (o.classes as number) < 2) {
      throw new UsageError(`${file}: classes must be an integer >= 2`);
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
      spec.gates = { u1: g.u1, u2: g.u2 };
    } else if (
      Number.isSafeInteger(g.count) &&
      (g.count as number) >= 1 &&
      Object.keys(g).every((k) => k === "count" || k === "seed")
    ) {
      if (g.seed !== undefined && !Number.isSafeInteger(g.seed))
        throw new UsageError(`${file}: gates.seed must be an integer`);
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

async function buildProblem(dir: string, spec: ProblemSpec): Promise<LoadedProblem> {
  const xFile = join(dir, "X.npy");
  const yFile = join(dir, "y.npy");
  const xArray = await readInputNpy(join(dir, "X.npy"));
  const yArray = await readInputNpy(join(dir, "y.npy"));
  const y = toFloat64(yArray);
  const { kind } = spec;
  if (kind === "group-lasso" || kind === "gated-relu") {
    const X = npyToMatrix(xArray, xFile);
    const N = X.rows;
    const loss = buildLoss(spec, y, yArray.shape, N, yFile);
    if (loss.outputs !== 1)
      throw new UsageError(
        `${yFile}: ${kind} takes one output per sample; use an attention-* kind for several`,
      );
    if (kind === "group-lasso") {
      const sizes = spec.groups ?? Array.from({ length: X.cols }, () => 1);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== X.cols)
        throw new UsageError(
          `${join(dir, "problem.json")}: groups sum to ${total}, X.npy has ${X.cols} columns`,
        );
      const problem = createProblem({
        operator: denseOperator(X),
        loss,
        regularizer: groupL2({ sizes }),
        lambda: spec.lambda,
      });
      return { spec, problem, solutionShape: [X.cols] };
    }
    const G = npyToMatrix(await readInputNpy(join(dir, "G.npy")), join(dir, "G.npy"));
    if (G.rows !== X.cols)
      throw new UsageError(
        `${join(dir, "G.npy")}: has ${G.rows} rows, X.npy has ${X.cols} columns (G must be p × P)`,
      );
    const P = G.cols;
    // scnn's activation patterns: D_ij = 1[(X G)_ij > 0]
    const XG = new Float64Array(N * P);
    gemm(
      "no-transpose",
      "no-transpose",
      N,
      P,
      X.cols,
      1,
      X.data,
      X.cols,
      1,
      0,
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
    const mask = new Uint8Array(N * P);
    for (let i = 0; i < mask.length; i++) mask[i] = (XG[i] as number) > 0 ? 1 : 0;
    // one token per sample: the one-token gated attention program (14) is scnn's program
    const operator = attentionOperator(new TokenBatch(N, 1, X.cols, X.data), 1, mask);
    const regularizer = groupL2({ ptr: layoutGroups(operator.layout).ptr });
    const problem = createProblem({ operator, loss, regularizer, lambda: spec.lambda });
    return { spec, problem, solutionShape: [P, X.cols] };
  }
  const X = npyToTokenBatch(xArray, xFile);
  const N = X.samples;
  if (kind === "attention-sequence") {
    const loss = buildLoss(spec, y, yArray.shape, N * X.tokens, yFile, X.tokens);
    const problem = sequenceAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [problem.dim] };
  }
  const loss = buildLoss(spec, y, yArray.shape, N, yFile);
  if (kind === "attention-scalar") {
    if (loss.outputs !== 1)
      throw new UsageError(
        `${yFile}: attention-scalar takes one output per sample; use attention-vector`,
      );
    const problem = scalarAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [X.tokens, X.features] };
  }
  if (kind === "attention-vector") {
    const problem = vectorAttentionProblem(X, loss, spec.lambda);
    return { spec, problem, solutionShape: [loss.outputs, X.tokens, X.features] };
  }
  // attention-gated
  const gatesSpec = spec.gates as NonNullable<ProblemSpec["gates"]>;
  let gates: { u1: Float64Array; u2: Float64Array };
  if ("u1" in gatesSpec) {
    const u1 = npyToMatrix(await readInputNpy(join(dir, gatesSpec.u1)), join(dir, gatesSpec.u1));
    const u2 = npyToMatrix(await readInputNpy(join(dir, gatesSpec.u2)), join(dir, gatesSpec.u2));
    if (u1.cols !== X.tokens)
      throw new UsageError(
        `${join(dir, gatesSpec.u1)}: must be P × n = ? × ${X.tokens}; got ${u1.rows} × ${u1.cols}`,
      );
    if (u2.cols !== X.features || u2.rows !== u1.rows) {
      throw new UsageError(
        `${join(dir, gatesSpec.u2)}: must be P × d = ${u1.rows} × ${X.features}; got ${u2.rows} × ${u2.cols}`,
      );
    }
    gates = { u1: u1.data, u2: u2.data };
  } else {
    gates = sampleGates(X, gatesSpec.count, { seed: gatesSpec.seed ?? 0 });
  }
  const problem = gatedAttentionProblem(X, gates, loss, spec.lambda);
  return {
    spec,
    problem,
    solutionShape: [problem.layout.gates, loss.outputs, X.tokens, X.features],
  };
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
  if (spec.loss === "squared") return squaredLoss(y, { outputs: c, ...scaling });
  if (spec.loss === "logistic") return logisticLoss(y, { outputs: c, ...scaling });
  if (c !== 1)
    throw new UsageError(
      `${file}: cross-entropy takes integer class labels, shape ${tokens === undefined ? "[N]" : "[N, n]"}`,
    );
  const labels = new Int32Array(y.length);
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!Number.isInteger(v) || v < 0)
      throw new UsageError(
        `${file}: entry ${i} is ${v}; cross-entropy labels must be integers >= 0`,
      );
    labels[i] = v;
    if (v > max) max = v;
  }
  const classes = spec.classes ?? Math.max(2, max + 1);
  return crossEntropyLoss(labels, { classes, ...scaling });
}
