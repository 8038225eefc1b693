import {
  certify,
  DEFAULT_TOLERANCE,
  getSolver,
  lambdaMax,
  type PathResult,
  type SolveOptions,
  type SolveResult,
  solvePath,
} from "@convexformer/solvers";
import {
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import type { AttentionProgramKind } from "./attention-program-kind.js";
import { chooseLambdas } from "./fit-lambdas.js";
import { FIT_OPTION_NAMES, type FitOptions } from "./fit-options.js";
import type { FitResult } from "./fit-result.js";
import { FIT_MANAGED_SOLVE_OPTIONS } from "./fit-solver-options.js";
import { fittedModel } from "./fitted-model.js";
import { type GateVectors, validateGateVectors } from "./gate-vectors.js";
import { lossFromTargets } from "./loss-from-targets.js";
import { validateTokenBatch } from "./model-input-validation.js";
import { getProgram } from "./program-registry.js";
import { type SampledGates, sampleGates } from "./sample-gates.js";

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
  validateKnownOptions("options", options, FIT_OPTION_NAMES);
  const program = getProgram(options.model, "options.model");
  validateTokenBatch("data", data);
  if (options.prune !== undefined && typeof options.prune !== "boolean") {
    throw new InvalidOptionError("options.prune", options.prune, "must be a boolean");
  }
  const loss = lossFromTargets(options.targets, {
    rows: program.targetsPerToken ? data.samples * data.tokens : data.samples,
    argument: "options.targets",
    ...(options.loss !== undefined ? { loss: options.loss } : {}),
    ...(options.outputs !== undefined ? { outputs: options.outputs } : {}),
    ...(options.scaling !== undefined ? { scaling: options.scaling } : {}),
  });
  if (program.singleOutput && loss.outputs !== 1) {
    throw new ShapeMismatchError(
      "options.targets",
      `the ${program.kind} program ${program.equation} takes one output per sample; got ${loss.outputs}`,
    );
  }
  const gates = fitGates(program.gated, program.kind, data, options);
  const build = (lambda: number) => program.build(data, loss, lambda, gates);
  // the number of distinct heads this program can have
  const maxHeads = program.maxHeads({
    samples: data.samples,
    tokens: data.tokens,
    features: data.features,
    outputs: loss.outputs,
    gates: gates === undefined ? 1 : gates.u1.length / data.tokens,
  });
  if (options.heads !== undefined) {
    validateInteger("options.heads", options.heads, 1);
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
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
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
  const recovered = program.recover(problem, result.x, {
    prune: options.prune !== false,
    ...(options.heads !== undefined ? { heads: options.heads } : {}),
  });
  const solution = recovered.solution;
  const certificate = certify(problem, solution);
  return {
    ...fittedModel(recovered.model),
    problem,
    lambda,
    lambdaMax: top,
    solution,
    solve: result,
    certificate,
    headsNeeded: recovered.headsNeeded,
    tokenImportance: recovered.tokenImportance,
    gates,
    pruning: recovered.pruning,
    path,
  } as unknown as FitResult<M>;
}

/** The gates of a gated program (sampled, or given and checked); none for the others. */
function fitGates(
  gated: boolean,
  kind: string,
  data: TokenBatch,
  options: FitOptions<AttentionProgramKind, string>,
): SampledGates | GateVectors | undefined {
  if (!gated) {
    if (options.gates !== undefined || options.gateSeed !== undefined) {
      throw new InvalidOptionError(
        "options.gates",
        options.gates ?? options.gateSeed,
        `gates apply to the gated program only, not "${kind}"`,
      );
    }
    return undefined;
  }
  const g = (options as FitOptions<"gated", string>).gates ?? 32;
  if (typeof g === "number") {
    validateInteger("options.gates", g, 1);
    return sampleGates(data, g, {
      seed: (options as FitOptions<"gated", string>).gateSeed ?? 0,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  validateGateVectors(g, data.tokens, data.features);
  return g;
}
