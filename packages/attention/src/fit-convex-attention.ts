import {
  type Certificate,
  certify,
  crossEntropyLoss,
  getSolver,
  type IterationRecord,
  lambdaMax,
  listSolvers,
  logisticLoss,
  type PathResult,
  type SmoothLoss,
  type SolveOptions,
  type SolveResult,
  solvePath,
  squaredLoss,
} from "@convexformer/solvers";
import {
  assertFinite,
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
} from "@convexformer/tensors";
import {
  type AttentionProblem,
  type AttentionProgramKind,
  gatedAttentionProblem,
  relaxedSequenceAttentionProblem,
  type SequenceProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
import { checkBeta, checkTokenBatch } from "./checks.js";
import { headsNeeded, recoverNetwork } from "./convex-maps.js";
import { type GateVectors, gateCount, type SampledGates, sampleGates } from "./gates.js";
import { type PruneResult, pruneSupport } from "./prune-support.js";
import { recoverSequenceNetwork } from "./sequence-maps.js";
import { type TokenImportance, tokenImportance } from "./token-importance.js";
import type { AttentionWeights, SequenceWeights } from "./weights.js";

/**
 * Losses {@link fitConvexAttention} builds from targets.
 *
 * @example
 * ```ts
 * import { type FitLoss, fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const loss: FitLoss = "logistic"; // ±1 labels
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", loss, targets: new Float64Array([1, -1]), lambda: 0.1 });
 * fit.solve.status; // "converged"
 * ```
 */
export type FitLoss = "squared" | "logistic" | "cross-entropy";

/**
 * Options of {@link fitConvexAttention}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { FitOptions } from "@convexformer/attention";
 * const options: FitOptions = { model: "vector", loss: "cross-entropy", targets: new Int32Array([0, 2, 1]), outputs: 3, lambdaRatio: 0.1 };
 * ```
 */
export interface FitOptions {
  /** Which convex program: `"scalar"` (9), `"vector"` (12), `"gated"` (14), `"sequence"` (33) or `"sequence-relaxed"`. */
  readonly model: AttentionProgramKind;
  /**
   * Targets: `N` (scalar) or `N·c` (vector, gated) values, `N·n·c` for the sequence programs;
   * labels `±1` for logistic; class indices (`Int32Array`, `N` or `N·n` of them) or one-hot rows for cross-entropy.
   */
  readonly targets: Float64Array | Int32Array;
  /** The loss (default `"squared"`). */
  readonly loss?: FitLoss;
  /** `c`: outputs / classes (inferred from the targets' length except for class indices). */
  readonly outputs?: number;
  /** `"sum"` over samples (default) or `"mean"`. */
  readonly scaling?: "sum" | "mean";
  /** `λ > 0`. At most one of `lambda`, `lambdaRatio`, `lambdaPath`; default `lambdaRatio: 0.1`. */
  readonly lambda?: number;
  /** `λ = lambdaRatio · λ_max`, `0 < lambdaRatio`. */
  readonly lambdaRatio?: number;
  /** A decreasing list of `λ`s solved with warm starts (`solvePath`); the result is the last one's. */
  readonly lambdaPath?: readonly number[];
  /** Gated program: number of gates to sample (default 32) or the gate vectors themselves. */
  readonly gates?: number | GateVectors;
  /** Seed of the sampled gates (default 0). */
  readonly gateSeed?: number;
  /** Solver registry name (default `"fista"`). */
  readonly solver?: string;
  /** Extra, solver-specific options (e.g. FISTA's `screening`, `workingSet`). */
  readonly solverOptions?: Readonly<Record<string, unknown>>;
  /** Target relative duality gap (default 1e-6). */
  readonly tolerance?: number;
  /** Iteration cap per solve. */
  readonly maxIterations?: number;
  /** Wall-clock limit per solve, in milliseconds. */
  readonly timeLimitMs?: number;
  /** Aborts the solve. */
  readonly signal?: AbortSignal;
  /** Progress callback, called every iteration. */
  readonly onIteration?: (record: IterationRecord) => void;
  /** Called after each `λ` of a path. */
  readonly onPathStep?: (index: number, lambda: number, result: SolveResult) => void;
  /** Carathéodory-prune the solution to at most `N·c + 1` rows (default `true`; programs (9), (12), (14)). */
  readonly prune?: boolean;
  /** Exact number of heads of the recovered network (zero heads pad); default: as many as needed. */
  readonly heads?: number;
}

/**
 * What {@link fitConvexAttention} returns.
 *
 * @example
 * ```ts
 * import { type FitResult, fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * // spec §7 instance 1: X_i = indicator of token i, y = (1, −1), β = 1/8: optimum 15/64
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const targets = new Float64Array([1, -1]);
 * const fit: FitResult = fitConvexAttention(X, { model: "scalar", loss: "squared", targets, lambda: 1 / 8, tolerance: 1e-10 });
 * fit.solve.status; // "converged"
 * fit.certificate.objective; // 15/64 ± 1e-9
 * fit.certificate.relativeGap <= 1e-10; // true
 * ```
 */
export interface FitResult {
  /** The program solved. */
  readonly kind: AttentionProgramKind;
  /** The problem (at the final `λ`). */
  readonly problem: AttentionProblem | SequenceProblem;
  /** The final `λ`. */
  readonly lambda: number;
  /** `λ_max`: the smallest `λ` with the zero solution. */
  readonly lambdaMax: number;
  /** The convex solution (pruned when `prune`), laid out as `problem.layout`. */
  readonly solution: Float64Array;
  /** The solver's result (for the final `λ`). */
  readonly solve: SolveResult;
  /** The certificate of `solution` (spec §6). */
  readonly certificate: Certificate;
  /**
   * The recovered network as plain weights (loadable by `@convexformer/baselines`):
   * {@link AttentionWeights} for (9)/(12)/(14), {@link SequenceWeights} for (33), `undefined`
   * for the relaxation (not representable by (30)).
   */
  readonly network: AttentionWeights | SequenceWeights | undefined;
  /** Heads the recovered network needs (nonzero rows, or nonzero blocks for (33)). */
  readonly headsNeeded: number;
  /** The token-importance profile `‖z_{j,l,k}‖` (programs (9), (12), (14)). */
  readonly tokenImportance: TokenImportance | undefined;
  /** The gates of (14) (sampled ones carry their training patterns). */
  readonly gates: SampledGates | GateVectors | undefined;
  /** The pruning step's report, when it ran. */
  readonly pruning: PruneResult | undefined;
  /** The whole path, when `lambdaPath` was given. */
  readonly path: PathResult | undefined;
}

const KNOWN = [
  "model",
  "targets",
  "loss",
  "outputs",
  "scaling",
  "lambda",
  "lambdaRatio",
  "lambdaPath",
  "gates",
  "gateSeed",
  "solver",
  "solverOptions",
  "tolerance",
  "maxIterations",
  "timeLimitMs",
  "signal",
  "onIteration",
  "onPathStep",
  "prune",
  "heads",
] as const;

const MODELS: readonly AttentionProgramKind[] = [
  "scalar",
  "vector",
  "gated",
  "sequence",
  "sequence-relaxed",
];

/**
 * One call from a token batch and targets to a certified convex-attention solution: builds the
 * loss and the program, picks `λ` (given, a ratio of `λ_max`, or the end of a warm-started
 * path), solves with a registered solver, prunes the support (spec §5), certifies the result
 * (spec §6), and recovers the network (spec §4) with the number of heads it needs and the
 * token-importance profile.
 *
 * @throws `ShapeMismatchError` when targets and data disagree; `NonFiniteInputError`
 *   for non-finite data or targets; `InvalidOptionError` for `λ ≤ 0`, labels out of range
 *   for cross-entropy, more heads than the program has, unknown options or solvers
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * // spec §7 instance 1: two heads are needed
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * fit.certificate.objective; // ≈ 15/64
 * fit.headsNeeded;           // 2
 * ```
 */
export function fitConvexAttention(data: TokenBatch, options: FitOptions): FitResult {
  assertKnownOptions("options", options, KNOWN);
  if (!MODELS.includes(options.model)) {
    throw new InvalidOptionError(
      "options.model",
      options.model,
      `must be one of ${MODELS.join(", ")}`,
    );
  }
  checkTokenBatch("data", data);
  if (options.prune !== undefined && typeof options.prune !== "boolean") {
    throw new InvalidOptionError("options.prune", options.prune, "must be a boolean");
  }
  const kind = options.model;
  const sequence = kind === "sequence" || kind === "sequence-relaxed";
  const loss = buildLoss(data, options, sequence);
  if (kind === "scalar" && loss.outputs !== 1) {
    throw new ShapeMismatchError(
      "options.targets",
      `the scalar program (9) takes one output per sample; got ${loss.outputs}`,
    );
  }
  let gates: SampledGates | GateVectors | undefined;
  if (kind === "gated") {
    const g = options.gates ?? 32;
    if (typeof g === "number") {
      assertInteger("options.gates", g, 1);
      gates = sampleGates(data, g, { seed: options.gateSeed ?? 0 });
    } else {
      gateCount(g, data.tokens, data.features);
      gates = g;
    }
  } else if (options.gates !== undefined || options.gateSeed !== undefined) {
    throw new InvalidOptionError(
      "options.gates",
      options.gates ?? options.gateSeed,
      `gates apply to the gated program only, not "${kind}"`,
    );
  }
  const build = (lambda: number): AttentionProblem | SequenceProblem => {
    switch (kind) {
      case "scalar":
        return scalarAttentionProblem(data, loss, lambda);
      case "vector":
        return vectorAttentionProblem(data, loss, lambda);
      case "gated":
        return gatedAttentionProblem(data, gates as GateVectors, loss, lambda);
      case "sequence":
        return sequenceAttentionProblem(data, loss, lambda);
      default:
        return relaxedSequenceAttentionProblem(data, loss, lambda);
    }
  };
  // the number of distinct heads this program can have
  const maxHeads = sequence
    ? 2 * data.features * loss.outputs
    : (kind === "gated" ? (gates as GateVectors).u1.length / data.tokens : 1) *
      loss.outputs *
      data.tokens;
  if (options.heads !== undefined) {
    assertInteger("options.heads", options.heads, 1);
    if (options.heads > maxHeads) {
      throw new InvalidOptionError(
        "options.heads",
        options.heads,
        `the data allows at most ${maxHeads} distinct heads for this program`,
      );
    }
  }
  const solverName = options.solver ?? "fista";
  if (!listSolvers().includes(solverName)) {
    throw new InvalidOptionError(
      "options.solver",
      solverName,
      `no solver of that name; registered: ${listSolvers().join(", ")}`,
    );
  }
  const solver = getSolver(solverName);
  const probe = build(1);
  const top = lambdaMax(probe);
  const lambdas = chooseLambdas(options, top);
  const solveOptions: SolveOptions & Record<string, unknown> = {
    ...(options.solverOptions ?? {}),
    tolerance: options.tolerance ?? 1e-6,
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onIteration !== undefined ? { onIteration: options.onIteration } : {}),
  };
  let path: PathResult | undefined;
  let result: SolveResult;
  const lambda = lambdas[lambdas.length - 1] as number;
  const problem = build(lambda);
  if (lambdas.length > 1) {
    path = solvePath(build, lambdas, {
      solver,
      solveOptions,
      ...(options.onPathStep !== undefined ? { onSolved: options.onPathStep } : {}),
    });
    result = path.results[path.results.length - 1] as SolveResult;
  } else {
    result = solver.solve(problem, solveOptions);
    options.onPathStep?.(0, lambda, result);
  }
  let solution = result.x;
  let pruning: PruneResult | undefined;
  let network: AttentionWeights | SequenceWeights | undefined;
  let heads: number;
  let importance: TokenImportance | undefined;
  if (isSequenceProblem(problem)) {
    const nn = data.tokens * data.tokens;
    heads = 0;
    for (let b = 0; b * nn < solution.length; b++) {
      let any = false;
      for (let e = b * nn; e < (b + 1) * nn && !any; e++) any = solution[e] !== 0;
      if (any) heads++;
    }
    if (problem.kind === "sequence") {
      network = recoverSequenceNetwork(solution, problem.layout);
      if (options.heads !== undefined && options.heads < network.heads) {
        throw new InvalidOptionError(
          "options.heads",
          options.heads,
          `the solution needs ${network.heads} heads`,
        );
      }
    }
  } else {
    if (options.prune !== false) {
      pruning = pruneSupport(solution, problem.layout, data, problem.operator.mask);
      solution = pruning.x;
    }
    heads = headsNeeded(solution, problem.layout);
    network = recoverNetwork(
      solution,
      problem.layout,
      problem.gates,
      options.heads !== undefined ? { heads: options.heads } : {},
    );
    importance = tokenImportance(solution, problem.layout);
  }
  const certificate = certify(problem, solution);
  return {
    kind,
    problem,
    lambda,
    lambdaMax: top,
    solution,
    solve: result,
    certificate,
    network,
    headsNeeded: heads,
    tokenImportance: importance,
    gates,
    pruning,
    path,
  };
}

function isSequenceProblem(
  problem: AttentionProblem | SequenceProblem,
): problem is SequenceProblem {
  return problem.kind === "sequence" || problem.kind === "sequence-relaxed";
}

function chooseLambdas(options: FitOptions, top: number): number[] {
  const given = [options.lambda, options.lambdaRatio, options.lambdaPath].filter(
    (v) => v !== undefined,
  ).length;
  if (given > 1) {
    throw new InvalidOptionError(
      "options.lambda",
      options.lambda ?? options.lambdaRatio,
      "give at most one of lambda, lambdaRatio, lambdaPath",
    );
  }
  if (options.lambda !== undefined) {
    checkBeta("options.lambda", options.lambda, true);
    return [options.lambda];
  }
  if (options.lambdaPath !== undefined) {
    if (options.lambdaPath.length === 0)
      throw new InvalidOptionError("options.lambdaPath", [], "must hold at least one λ");
    options.lambdaPath.forEach((l, i) => {
      checkBeta(`options.lambdaPath[${i}]`, l, true);
    });
    return Array.from(options.lambdaPath);
  }
  const ratio = options.lambdaRatio ?? 0.1;
  checkBeta("options.lambdaRatio", ratio, true);
  const lambda = ratio * top;
  if (!(lambda > 0)) {
    throw new InvalidOptionError(
      "options.lambdaRatio",
      ratio,
      "λ_max is 0 (the zero model is optimal for every λ); give lambda explicitly",
    );
  }
  return [lambda];
}

function buildLoss(data: TokenBatch, options: FitOptions, sequence: boolean): SmoothLoss {
  const kind = options.loss ?? "squared";
  const targets = options.targets;
  if (!(targets instanceof Float64Array || targets instanceof Int32Array)) {
    throw new InvalidOptionError(
      "options.targets",
      typeof targets,
      "must be a Float64Array or an Int32Array of class indices",
    );
  }
  assertFinite("options.targets", targets);
  const samples = sequence ? data.samples * data.tokens : data.samples;
  const scaling = options.scaling ?? "sum";
  if (options.outputs !== undefined) assertInteger("options.outputs", options.outputs, 1);
  if (kind === "cross-entropy") {
    if (targets instanceof Int32Array) {
      if (targets.length !== samples) {
        throw new ShapeMismatchError(
          "options.targets",
          `expected ${samples} class indices, got ${targets.length}`,
        );
      }
      if (options.outputs === undefined) {
        throw new InvalidOptionError(
          "options.outputs",
          undefined,
          "the number of classes is required with class indices",
        );
      }
      return crossEntropyLoss(targets, { classes: options.outputs, scaling });
    }
    const c = outputsOf(targets.length, samples, options.outputs);
    return crossEntropyLoss(targets, { classes: c, scaling });
  }
  if (targets instanceof Int32Array) {
    throw new InvalidOptionError(
      "options.targets",
      "Int32Array",
      `class indices need loss "cross-entropy", not "${kind}"`,
    );
  }
  const c = outputsOf(targets.length, samples, options.outputs);
  if (kind === "squared") return squaredLoss(targets, { outputs: c, scaling });
  if (kind === "logistic") return logisticLoss(targets, { outputs: c, scaling });
  throw new InvalidOptionError(
    "options.loss",
    kind,
    'must be "squared", "logistic" or "cross-entropy"',
  );
}

function outputsOf(length: number, samples: number, outputs: number | undefined): number {
  const c = outputs ?? (samples > 0 ? length / samples : 0);
  if (!Number.isSafeInteger(c) || c < 1 || length !== samples * c) {
    throw new ShapeMismatchError(
      "options.targets",
      `expected ${samples} × c values${outputs !== undefined ? ` (c = ${outputs})` : ""}, got ${length}`,
    );
  }
  return c;
}
