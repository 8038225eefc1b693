import {
  type CompositeProblem,
  createProblem,
  denseOperator,
  groupL2,
  type SmoothLoss,
} from "@convexformer/solvers";
import {
  InvalidOptionError,
  type Matrix,
  ShapeMismatchError,
  TokenBatch,
} from "@convexformer/tensors";
import type { AttentionProblem, SequenceProblem } from "./attention-problem.js";
import type { AttentionProgram, MemoryEstimate } from "./attention-program.js";
import { throwIfAborted } from "./gate-patterns.js";
import type { GateVectors } from "./gate-vectors.js";
import { gatedProgram } from "./gated-program.js";
import { lossFromTargets } from "./loss-from-targets.js";
import type { LossName } from "./loss-names.js";
import { getProgram, listPrograms } from "./program-registry.js";
import { sampleGates } from "./sample-gates.js";
import { targetsFromLabels } from "./targets-from-labels.js";

/**
 * The problem kinds {@link problemFromArrays} builds (a problem file's `kind`): `"group-lasso"`
 * (a plain group lasso on an `N × p` design), `"gated-relu"` (scnn's convex gated-ReLU network:
 * the gated program (14) on one-token data, patterns from a `p × P` gate matrix) and
 * `"attention-<kind>"` for every program of the table ({@link listPrograms}).
 *
 * @example
 * ```ts
 * import { problemKinds } from "@convexformer/attention";
 * problemKinds().slice(0, 3); // ["group-lasso", "gated-relu", "attention-scalar"]
 * ```
 */
export function problemKinds(): readonly string[] {
  return ["group-lasso", "gated-relu", ...listPrograms().map((p) => `attention-${p.kind}`)];
}

/**
 * The program entry behind a problem kind: `"attention-<kind>"` → that program, `"gated-relu"`
 * → the gated program (14), `"group-lasso"` → `undefined` (not an attention program).
 *
 * @param kind - one of {@link problemKinds}
 * @throws `InvalidOptionError` naming `kind` for an unknown kind
 *
 * @example
 * ```ts
 * import { problemKindProgram } from "@convexformer/attention";
 * problemKindProgram("attention-sequence")?.targetsPerToken; // true
 * problemKindProgram("group-lasso"); // undefined
 * ```
 */
export function problemKindProgram(kind: string): AttentionProgram | undefined {
  if (kind === "group-lasso") return undefined;
  if (kind === "gated-relu") return gatedProgram;
  if (!problemKinds().includes(kind))
    throw new InvalidOptionError("kind", kind, `must be one of ${problemKinds().join(", ")}`);
  return getProgram(kind.slice("attention-".length), "kind");
}

/**
 * What {@link problemFromArrays} takes: the problem's settings (a problem file's fields) and
 * its arrays.
 *
 * @example
 * ```ts
 * import type { ProblemArrays } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const input: ProblemArrays = { kind: "attention-scalar", loss: "squared", lambda: 0.1,
 *   data: new TokenBatch(1, 1, 1, new Float64Array([1])), labels: new Float64Array([1]), labelShape: [1] };
 * ```
 */
export interface ProblemArrays {
  /** One of {@link problemKinds}. */
  readonly kind: string;
  /** The loss. */
  readonly loss: LossName;
  /** `λ > 0`. */
  readonly lambda: number;
  /** `"sum"` over rows (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /** Cross-entropy: the number of classes (default the largest label + 1). */
  readonly classes?: number;
  /** `group-lasso`: sizes of consecutive column groups (default one group per column). */
  readonly groups?: readonly number[];
  /** The data: an `N × p` matrix (`group-lasso`, `gated-relu`) or an `N × n × d` token batch. */
  readonly data: Matrix | TokenBatch;
  /** The labels ({@link targetsFromLabels}). */
  readonly labels: Float64Array;
  /** The labels' shape: `[N]` or `[N, c]`; `[N, n]` or `[N, n, c]` for one row per token. */
  readonly labelShape: readonly number[];
  /** `gated-relu`: the `p × P` gate matrix (pattern `D_ij = 1[(X G)_ij ≥ 0]`). */
  readonly gateMatrix?: Matrix;
  /** Gated programs: sample `count` gates from `seed` (default 0), or the gate vectors. */
  readonly gates?:
    | {
        /** Gates to sample. */
        readonly count: number;
        /** Their seed (default 0). */
        readonly seed?: number;
      }
    | GateVectors;
  /** Polled while gates are sampled; aborting throws an `AbortError` `DOMException`. */
  readonly signal?: AbortSignal;
  /**
   * Called with each memory estimate before the memory is allocated (throw to refuse).
   *
   * @param estimate - the bytes, what drives them and the sizes in words
   */
  checkMemory?(estimate: MemoryEstimate): void;
  /** Names in error messages. */
  readonly names?: {
    /** The labels (default `"labels"`), e.g. a file name. */
    readonly labels?: string;
    /** The settings (default `"problem"`), e.g. the problem file. */
    readonly spec?: string;
  };
}

/**
 * A problem built by {@link problemFromArrays}, with the shape its solution is saved in.
 *
 * @example
 * ```ts
 * import type { ProgramProblem } from "@convexformer/attention";
 * const shapeOf = (p: ProgramProblem) => p.solutionShape.join(" × ");
 * ```
 */
export interface ProgramProblem {
  /** The composite problem the solvers consume. */
  readonly problem: CompositeProblem | AttentionProblem | SequenceProblem;
  /** Shape of the solution (e.g. `[p]`, `[P, p]`, `[c, n, d]`). */
  readonly solutionShape: readonly number[];
}

/**
 * A problem from its settings and arrays (what `convexformer solve` does with a problem
 * folder): the labels become targets ({@link targetsFromLabels}) and a loss, the program
 * entry builds the problem, and each memory estimate is handed to `checkMemory` first.
 *
 * @param input - {@link ProblemArrays}: the kind, loss, `λ`, the arrays and the options
 * @throws `ShapeMismatchError` / `InvalidOptionError` (or a `ConvexformerError` naming the
 *   labels) for arrays that do not fit the kind; whatever `checkMemory` throws
 *
 * @example
 * ```ts
 * import { problemFromArrays } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const { problem, solutionShape } = problemFromArrays({
 *   kind: "attention-vector", loss: "cross-entropy", lambda: 0.1,
 *   data: new TokenBatch(3, 2, 1, new Float64Array([1, 0, 0, 1, 1, 1])),
 *   labels: new Float64Array([0, 2, 1]), labelShape: [3],
 * });
 * solutionShape; // [3, 2, 1]
 * problem.dim;   // 6
 * ```
 */
export function problemFromArrays(input: ProblemArrays): ProgramProblem {
  const { kind, data } = input;
  const program = problemKindProgram(kind);
  const spec = input.names?.spec ?? "problem";
  const matrixKind = program === undefined || kind === "gated-relu";
  if (matrixKind === data instanceof TokenBatch)
    throw new ShapeMismatchError(
      "data",
      `${kind} takes ${matrixKind ? "an N × p matrix" : "an N × n × d token batch"}`,
    );
  const perToken = program?.targetsPerToken === true;
  const rows = data instanceof TokenBatch ? data.samples * (perToken ? data.tokens : 1) : data.rows;
  const loss = buildLoss(input, rows, perToken);
  if ((matrixKind || program.singleOutput) && loss.outputs !== 1)
    throw new ShapeMismatchError(
      input.names?.labels ?? "labels",
      `${kind} takes one output per sample; ${matrixKind ? "use an attention-* kind for several" : "use attention-vector"}`,
    );
  if (!(data instanceof TokenBatch)) {
    const N = data.rows;
    const p = data.cols;
    if (program === undefined) {
      const sizes = input.groups ?? Array.from({ length: p }, () => 1);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== p)
        throw new ShapeMismatchError(spec, `groups sum to ${total}, X.npy has ${p} columns`);
      // the solver's dense form and restricted copies of X, plus its vectors
      input.checkMemory?.({
        bytes: 8 * (2 * N * p + 16 * (N + p)),
        cause: "data",
        detail: `N × p = ${N} × ${p}`,
      });
      const problem = createProblem({
        operator: denseOperator(data),
        loss,
        regularizer: groupL2({ sizes }),
        lambda: input.lambda,
      });
      return { problem, solutionShape: [p] };
    }
    // scnn's one-token form: u1 = 1, u2_j = the column g_j of G
    const G = input.gateMatrix;
    if (G === undefined || G.rows !== p)
      throw new ShapeMismatchError("gateMatrix", `must be p × P with p = ${p}`);
    const P = G.cols;
    input.checkMemory?.(
      gatedProgram.memory({ samples: N, tokens: 1, features: p, outputs: 1, gates: P }),
    );
    const u2 = new Float64Array(P * p);
    for (let k = 0; k < p; k++)
      for (let j = 0; j < P; j++) u2[j * p + k] = G.data[k * P + j] as number;
    const X = new TokenBatch(N, 1, p, data.data);
    const problem = gatedProgram.build(X, loss, input.lambda, {
      u1: new Float64Array(P).fill(1),
      u2,
    });
    return { problem, solutionShape: [P, p] };
  }
  const entry = program as AttentionProgram;
  const shape = {
    samples: data.samples,
    tokens: data.tokens,
    features: data.features,
    outputs: loss.outputs,
    gates: 1,
  };
  let gates: GateVectors | undefined;
  if (entry.gated) {
    const given = input.gates;
    if (given === undefined) throw new ShapeMismatchError(spec, `${kind} needs gates`);
    const P = "count" in given ? given.count : given.u1.length / data.tokens;
    input.checkMemory?.(entry.memory({ ...shape, gates: P }));
    gates =
      "count" in given
        ? sampleGates(data, given.count, {
            seed: given.seed ?? 0,
            ...(input.signal === undefined ? {} : { signal: input.signal }),
          })
        : given;
    throwIfAborted(input.signal, "problemFromArrays");
  } else {
    input.checkMemory?.(entry.memory(shape));
  }
  const problem = entry.build(data, loss, input.lambda, gates);
  return { problem, solutionShape: entry.solutionShape(problem) };
}

/** The loss of the labels over `rows` prediction rows (internal). */
function buildLoss(input: ProblemArrays, rows: number, perToken: boolean): SmoothLoss {
  const argument = input.names?.labels ?? "labels";
  const t = targetsFromLabels(input.labels, {
    loss: input.loss,
    shape: input.labelShape,
    rowAxes: perToken ? 2 : 1,
    argument,
    ...(input.classes === undefined ? {} : { classes: input.classes }),
  });
  if (t.rows !== rows)
    throw new ShapeMismatchError(argument, `has ${t.rows} target rows, X.npy implies ${rows}`);
  if (input.loss === "cross-entropy")
    input.checkMemory?.({
      bytes: 8 * 8 * rows * t.outputs,
      cause: "classes",
      detail: `${t.outputs} classes × ${rows} rows`,
    });
  return lossFromTargets(t.targets, {
    loss: input.loss,
    rows,
    outputs: t.outputs,
    argument,
    ...(input.scaling === undefined ? {} : { scaling: input.scaling }),
  });
}
