import {
  type AttentionProgramKind,
  type FitOptions,
  type FitResult,
  fitConvexAttention,
  type LossName,
  type PredictionMetrics,
  predictionMetrics,
  serializeFittedModel,
  targetsFromLabels,
} from "@convexformer/attention";
import { figureJson, tokenMapFigure, tokenMapOf } from "@convexformer/interpret";
import type { IterationRecord } from "@convexformer/solvers";
import { createRng, TokenBatch, writeNpy } from "@convexformer/tensors";
import { loadModelData, type ModelDataSpec } from "../model-data.js";
import type { JobContext } from "../run-interruptibly.js";
import { UsageError } from "../usage-error.js";

/**
 * The input of the `convexformer fit` worker job (structured-cloned into the worker).
 *
 * @example
 * ```ts
 * import type { FitJobInput } from "convexformer";
 * const input: FitJobInput = { data: { data: "my-data" }, model: "scalar", testFraction: 0.2, seed: 0 };
 * ```
 */
export interface FitJobInput {
  /** Where the data is. */
  readonly data: ModelDataSpec;
  /** The convex program (default: scalar, or vector for several outputs or cross-entropy). */
  readonly model?: AttentionProgramKind;
  /** The loss (default: squared; text: logistic for two classes, cross-entropy for more). */
  readonly loss?: LossName;
  /** `λ` (at most one of `lambda`, `lambdaRatio`). */
  readonly lambda?: number;
  /** `λ = lambdaRatio · λ_max` (default 0.1). */
  readonly lambdaRatio?: number;
  /** Solver registry name (default `"fista"`). */
  readonly solver?: string;
  /** Target relative gap (default 1e-6). */
  readonly tolerance?: number;
  /** Iteration cap. */
  readonly maxIterations?: number;
  /** Wall-clock limit of the solve, ms. */
  readonly timeLimitMs?: number;
  /** Gated program: number of sampled gates. */
  readonly gates?: number;
  /** Fraction of the samples held out (0 ≤ f < 1). */
  readonly testFraction: number;
  /** Seed of the split and the gates. */
  readonly seed: number;
}

/**
 * What the `convexformer fit` job returns: the model folder's files and a summary.
 *
 * @example
 * ```ts
 * import type { FitJobOutput } from "convexformer";
 * const converged = (o: FitJobOutput) => o.summary?.status === "converged";
 * ```
 */
export interface FitJobOutput {
  /** File name → contents of the model folder (empty when interrupted during set-up). */
  readonly files: Record<string, string | Uint8Array>;
  /** What the command prints; `undefined` when interrupted before the solve had an iterate. */
  readonly summary: FitSummary | undefined;
  /** Why nothing was fitted, when interrupted during loading or set-up. */
  readonly interrupted?: string;
}

/**
 * The summary `convexformer fit` prints (and `--json` writes as one line).
 *
 * @example
 * ```ts
 * import type { FitSummary } from "convexformer";
 * const gap = (s: FitSummary) => s.relativeGap;
 * ```
 */
export interface FitSummary {
  /** The program fitted. */
  readonly model: AttentionProgramKind;
  /** The loss. */
  readonly loss: LossName;
  /** The solver's status. */
  readonly status: string;
  /** The solver. */
  readonly solver: string;
  /** Iterations. */
  readonly iterations: number;
  /** `λ`. */
  readonly lambda: number;
  /** Regularized objective. */
  readonly objective: number;
  /** Certified relative duality gap. */
  readonly relativeGap: number;
  /** Heads the recovered network needs. */
  readonly headsNeeded: number;
  /** Training samples. */
  readonly trainSamples: number;
  /** Metrics on the training split. */
  readonly train: PredictionMetrics;
  /** Metrics on the held-out split (`samples: 0` when none). */
  readonly test: PredictionMetrics;
  /** Solve time, ms. */
  readonly solveMs: number;
}

function subset(X: TokenBatch, rows: Int32Array): TokenBatch {
  const size = X.tokens * X.features;
  const data = new Float64Array(rows.length * size);
  rows.forEach((i, r) => {
    data.set(X.data.subarray(i * size, (i + 1) * size), r * size);
  });
  return new TokenBatch(rows.length, X.tokens, X.features, data);
}

function subsetTargets<T extends Float64Array | Int32Array>(
  t: T,
  per: number,
  rows: Int32Array,
): T {
  const out = new (t.constructor as new (n: number) => T)(rows.length * per);
  rows.forEach((i, r) => {
    out.set(t.subarray(i * per, (i + 1) * per), r * per);
  });
  return out;
}

/** The model folder files beside the saved model (shared by fit and its tests). */
export const MODEL_FILES = [
  "model.json",
  "certificate.json",
  "solution.json",
  "metrics.json",
  "fit.json",
  "predictions.npy",
  "token-map.svg",
  "token-map.json",
  "text.json",
  "command.txt",
];

/**
 * The worker side of `convexformer fit` (run through `runInterruptibly`): loads the data,
 * holds out a seeded test split, fits the convex program with the signal (an interrupted
 * solve returns its best iterate with status `aborted`), scores both splits and renders the
 * token map. Reports `{ type: "progress", phase, done, total, message }`.
 * @internal
 */
export async function fitJob(input: FitJobInput, context: JobContext): Promise<FitJobOutput> {
  context.report({ type: "progress", phase: "load", done: 0, total: 1 });
  let data: Awaited<ReturnType<typeof loadModelData>>;
  try {
    data = await loadModelData(input.data, { signal: context.signal });
  } catch (error) {
    if (context.signal.aborted && (error as { name?: unknown }).name === "AbortError")
      return { files: {}, summary: undefined, interrupted: (error as Error).message };
    throw error;
  }
  const N = data.X.samples;
  const loss: LossName =
    input.loss ??
    (data.kind === "text"
      ? new Set(data.labels).size <= 2 && data.labels.every((y) => y === 0 || y === 1)
        ? "logistic"
        : "cross-entropy"
      : "squared");
  const t = targetsFromLabels(data.labels, {
    loss,
    shape: data.outputs === 1 ? [N] : [N, data.outputs],
    argument: `--loss ${loss}`,
  });
  const model: AttentionProgramKind =
    input.model ?? (loss === "cross-entropy" || t.outputs > 1 ? "vector" : "scalar");
  const sequence = model === "sequence" || model === "sequence-relaxed";
  if (sequence && t.outputs % data.X.tokens !== 0)
    throw new UsageError(
      `--model ${model}: needs ${data.X.tokens}·c labels per sample (one per token); the data has ${t.outputs}`,
    );
  const outputs = sequence ? t.outputs / data.X.tokens : t.outputs;
  const perSample = loss === "cross-entropy" ? 1 : t.outputs;
  const nTest = Math.round(input.testFraction * N);
  if (N - nTest < 1)
    throw new UsageError(
      `--test-fraction ${input.testFraction}: leaves no training samples of ${N}`,
    );
  const order = createRng(input.seed).permutation(N);
  const testRows = order.slice(0, nTest).sort();
  const trainRows = order.slice(nTest).sort();
  const Xtrain = subset(data.X, trainRows);
  const ytrain = subsetTargets(t.targets, perSample, trainRows);
  const maxIterations = input.maxIterations;
  const options: FitOptions = {
    model,
    targets: ytrain,
    loss,
    outputs,
    ...(input.lambda === undefined
      ? { lambdaRatio: input.lambdaRatio ?? 0.1 }
      : { lambda: input.lambda }),
    ...(input.solver === undefined ? {} : { solver: input.solver }),
    ...(input.tolerance === undefined ? {} : { tolerance: input.tolerance }),
    ...(maxIterations === undefined ? {} : { maxIterations }),
    ...(input.timeLimitMs === undefined ? {} : { timeLimitMs: input.timeLimitMs }),
    ...(model === "gated" ? { gates: input.gates ?? 32, gateSeed: input.seed } : {}),
    signal: context.signal,
    onIteration: (r: IterationRecord) =>
      context.report({
        type: "progress",
        phase: "solve",
        done: r.iteration,
        total: maxIterations ?? Math.max(1000, r.iteration + 1),
        message: `gap ${r.relativeGap.toExponential(2)}`,
      }),
  } as FitOptions;
  const started = performance.now();
  let fit: FitResult;
  try {
    fit = fitConvexAttention(Xtrain, options);
  } catch (error) {
    // stopped while sampling gates or building the program: no iterate to keep
    if (context.signal.aborted && (error as { name?: unknown }).name === "AbortError")
      return { files: {}, summary: undefined, interrupted: (error as Error).message };
    throw error;
  }
  const solveMs = performance.now() - started;
  const all = fit.predict(data.X);
  const width = all.length / N;
  const score = (rows: Int32Array) =>
    predictionMetrics(subsetTargets(all, width, rows), subsetTargets(t.targets, perSample, rows), {
      loss,
      outputs: width,
    });
  const train = score(trainRows);
  const test = score(testRows);
  const c = fit.certificate;
  const summary: FitSummary = {
    model,
    loss,
    status: fit.solve.status,
    solver: fit.solve.solver,
    iterations: fit.solve.iterations,
    lambda: fit.lambda,
    objective: c.objective,
    relativeGap: c.relativeGap,
    headsNeeded: fit.headsNeeded,
    trainSamples: trainRows.length,
    train,
    test,
    solveMs,
  };
  const solution =
    fit.model === "sequence" || fit.model === "sequence-relaxed"
      ? { kind: "sequence", program: fit.model, layout: { ...fit.problem.layout } }
      : {
          kind: "token",
          program: fit.model,
          layout: { ...fit.problem.layout },
          ...(fit.problem.gates === undefined
            ? {}
            : {
                gates: {
                  u1: Array.from(fit.problem.gates.u1),
                  u2: Array.from(fit.problem.gates.u2),
                },
              }),
        };
  const map = tokenMapOf(fit);
  const figure = await tokenMapFigure(map);
  const files: Record<string, string | Uint8Array> = {
    "model.json": `${serializeFittedModel(fit)}\n`,
    "certificate.json": `${JSON.stringify(
      {
        status: fit.solve.status,
        solver: fit.solve.solver,
        iterations: fit.solve.iterations,
        lambda: fit.lambda,
        lambdaMax: fit.lambdaMax,
        objective: c.objective,
        dualObjective: c.dualObjective,
        relativeGap: c.relativeGap,
        kktResidual: c.kktResidual,
        headsNeeded: fit.headsNeeded,
        timings: fit.solve.timings,
      },
      null,
      2,
    )}\n`,
    "solution.json": `${JSON.stringify({ ...solution, samples: trainRows.length, x: Array.from(fit.solution) })}\n`,
    "metrics.json": `${JSON.stringify({ loss, train, test, solveMs }, null, 2)}\n`,
    "fit.json": `${JSON.stringify(
      {
        data: { ...input.data, kind: data.kind, source: data.source, samples: N },
        model,
        loss,
        outputs,
        labelsPerSample: data.outputs,
        labelMapping: t.mapping,
        seed: input.seed,
        testFraction: input.testFraction,
        testRows: Array.from(testRows),
        options: {
          lambda: fit.lambda,
          lambdaRatio: input.lambda === undefined ? (input.lambdaRatio ?? 0.1) : null,
          solver: fit.solve.solver,
          tolerance: input.tolerance ?? 1e-6,
          maxIterations: input.maxIterations ?? null,
          timeLimitMs: input.timeLimitMs ?? null,
          gates: model === "gated" ? (input.gates ?? 32) : null,
        },
      },
      null,
      2,
    )}\n`,
    "predictions.npy": writeNpy({
      dtype: "float64",
      shape: width === 1 ? [N] : [N, width],
      data: all,
    }),
    "token-map.svg": figure.svg,
    "token-map.json": figureJson(figure),
  };
  if (data.text !== undefined) files["text.json"] = `${JSON.stringify(data.text, null, 2)}\n`;
  return { files, summary };
}
