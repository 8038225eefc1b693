import {
  certify,
  getSolver,
  lambdaMax,
  type PathResult,
  type SolveOptions,
  type SolveResult,
  solvePath,
} from "@convexformer/solvers";
import {
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
} from "@convexformer/tensors";
import {
  type AttentionProblem,
  gatedAttentionProblem,
  relaxedSequenceAttentionProblem,
  type SequenceProblem,
  scalarAttentionProblem,
  sequenceAttentionProblem,
  vectorAttentionProblem,
} from "./attention-problem.js";
import { ATTENTION_PROGRAM_KINDS, type AttentionProgramKind } from "./attention-program-kind.js";
import { headsNeeded, recoverNetwork } from "./convex-maps.js";
import { chooseLambdas } from "./fit-lambdas.js";
import { FIT_OPTION_NAMES, type FitOptions } from "./fit-options.js";
import type { FitResult } from "./fit-result.js";
import { FIT_MANAGED_SOLVE_OPTIONS } from "./fit-solver-options.js";
import { type FittedModel, fittedModel } from "./fitted-model.js";
import { type GateVectors, validateGateVectors } from "./gate-vectors.js";
import { lossFromTargets } from "./loss-from-targets.js";
import { validateTokenBatch } from "./model-input-validation.js";
import { type PruneResult, pruneSupport } from "./prune-support.js";
import { type SampledGates, sampleGates } from "./sample-gates.js";
import { recoverSequenceNetwork } from "./sequence-maps.js";
import { type TokenImportance, tokenImportance } from "./token-importance.js";

/**
 * One call from a token batch and targets to a certified convex-attention solution: builds the
 * loss and the program, picks `λ` (given, a ratio of `λ_max`, or the end of a warm-started
 * path), solves with a registered solver, prunes the support (docs/concepts.md#token-sparsity), certifies the result
 * (docs/concepts.md#certificates), and recovers the network (docs/concepts.md#maps) with the number of heads it needs and the
 * token-importance profile.
 *
 * The result's type follows `options.model` ({@link FitResult}: `FitResult<"scalar">` has
 * `AttentionWeights`, `FitResult<"sequence">` has `SequenceWeights`); every result is a
 * {@link FittedModel}: `fit.predict(X)` predicts on new token batches and
 * {@link serializeFittedModel} saves it (reload with {@link parseFittedModel}).
 *
 * @param data - the `N × n × d` token batch to fit (at least one sample, token and feature; finite
 *   entries)
 * @param options - what to fit and how ({@link FitOptions}): `model` and `targets` are required;
 *   the loss, `λ` (or a ratio or a path), the solver and its options, limits, callbacks, pruning
 *   and the head count are optional; unknown keys are errors
 * @throws `ShapeMismatchError` when targets and data disagree; `NonFiniteInputError`
 *   for non-finite data or targets; `InvalidOptionError` for `λ ≤ 0`, labels out of range
 *   for cross-entropy, more heads than the program has, unknown options or solvers
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * // exact instance 1: two heads are needed
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * fit.certificate.objective; // ≈ 15/64
 * fit.headsNeeded;           // 2
 * fit.predict(X);            // ≈ Float64Array [0.875, -0.875]
 * ```
 */
export function fitConvexAttention<M extends AttentionProgramKind, S extends string = "fista">(
  data: TokenBatch,
  options: FitOptions<M, S>,
): FitResult<M> {
  assertKnownOptions("options", options, FIT_OPTION_NAMES);
  if (!ATTENTION_PROGRAM_KINDS.includes(options.model)) {
    throw new InvalidOptionError(
      "options.model",
      options.model,
      `must be one of ${ATTENTION_PROGRAM_KINDS.join(", ")}`,
    );
  }
  validateTokenBatch("data", data);
  if (options.prune !== undefined && typeof options.prune !== "boolean") {
    throw new InvalidOptionError("options.prune", options.prune, "must be a boolean");
  }
  const kind: AttentionProgramKind = options.model;
  const sequence = kind === "sequence" || kind === "sequence-relaxed";
  const loss = lossFromTargets(options.targets, {
    rows: sequence ? data.samples * data.tokens : data.samples,
    argument: "options.targets",
    ...(options.loss !== undefined ? { loss: options.loss } : {}),
    ...(options.outputs !== undefined ? { outputs: options.outputs } : {}),
    ...(options.scaling !== undefined ? { scaling: options.scaling } : {}),
  });
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
      gates = sampleGates(data, g, {
        seed: options.gateSeed ?? 0,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } else {
      validateGateVectors(g, data.tokens, data.features);
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
  const solver = getSolver(options.solver ?? "fista", { argument: "options.solver" });
  const extra: Readonly<Record<string, unknown>> = options.solverOptions ?? {};
  if (typeof extra !== "object" || extra === null) {
    throw new InvalidOptionError("options.solverOptions", extra, "must be an object");
  }
  for (const key of FIT_MANAGED_SOLVE_OPTIONS) {
    if (key in extra) {
      throw new InvalidOptionError(
        `options.solverOptions.${key}`,
        extra[key],
        `set it as options.${key}: fitConvexAttention sets ${key} itself`,
      );
    }
  }
  const probe = build(1);
  const top = lambdaMax(probe);
  const lambdas = chooseLambdas(options, top);
  const solveOptions: SolveOptions & Record<string, unknown> = {
    ...extra,
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
  let fitted: FittedModel;
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
      const network = recoverSequenceNetwork(solution, problem.layout);
      if (options.heads !== undefined && options.heads < network.heads) {
        throw new InvalidOptionError(
          "options.heads",
          options.heads,
          `the solution needs ${network.heads} heads`,
        );
      }
      fitted = fittedModel({ model: "sequence", network });
    } else {
      const { tokens, features, outputs } = problem.layout;
      fitted = fittedModel({
        model: "sequence-relaxed",
        layout: { tokens, features, outputs, signs: 1 },
        solution,
      });
    }
  } else {
    if (options.prune !== false) {
      pruning = pruneSupport(solution, problem.layout, data, problem.operator.mask);
      solution = pruning.x;
    }
    heads = headsNeeded(solution, problem.layout);
    const network = recoverNetwork(
      solution,
      problem.layout,
      problem.gates,
      options.heads !== undefined ? { heads: options.heads } : {},
    );
    importance = tokenImportance(solution, problem.layout);
    fitted = fittedModel({ model: problem.kind, network });
  }
  const certificate = certify(problem, solution);
  return {
    ...fitted,
    problem,
    lambda,
    lambdaMax: top,
    solution,
    solve: result,
    certificate,
    headsNeeded: heads,
    tokenImportance: importance,
    gates,
    pruning,
    path,
  } as FitResult<M>;
}

function isSequenceProblem(
  problem: AttentionProblem | SequenceProblem,
): problem is SequenceProblem {
  return problem.kind === "sequence" || problem.kind === "sequence-relaxed";
}
