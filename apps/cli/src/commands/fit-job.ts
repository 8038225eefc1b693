import {
  type AttentionProgramKind,
  type FitOptions,
  type FitResult,
  fitConvexAttention,
  type LabelTargets,
  type LossName,
  type PredictionMetrics,
  predictionMetrics,
  targetsFromLabels,
} from "@convexformer/attention";
import { figureJson, tokenMapFigure, tokenMapOf } from "@convexformer/interpret";
import { UsageError } from "@convexformer/io";
import { loadModelData, type ModelDataSpec, writeModelFolder } from "@convexformer/io/node";
import { DEFAULT_TOLERANCE, type IterationRecord } from "@convexformer/solvers";
import { createRng, TokenBatch } from "@convexformer/tensors";
import type { JobContext } from "../run-interruptibly.js";

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
  /** Target relative gap (default `DEFAULT_TOLERANCE` of `@convexformer/solvers`). */
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
 * What the worker of `convexformer fit` is given: the job, and where the model folder goes
 * (checked by the command before the worker starts) with the command line it records.
 *
 * @example
 * ```ts
 * import type { FitWorkerInput } from "./fit-job.js"; // internal module
 * const input: FitWorkerInput = { data: { data: "d.jsonl" }, testFraction: 0, seed: 0, out: "/tmp/m", command: "fit" };
 * ```
 */
export interface FitWorkerInput extends FitJobInput {
  /** The model folder (validated). */
  readonly out: string;
  /** The command line, recorded as `command.txt`. */
  readonly command: string;
}

/**
 * What the `convexformer fit` job returns: the summary (the job has written the model folder).
 *
 * @example
 * ```ts
 * import type { FitJobOutput } from "./fit-job.js"; // internal module
 * const converged = (o: FitJobOutput) => o.summary?.status === "converged";
 * ```
 */
export interface FitJobOutput {
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
 * import type { FitSummary } from "./fit-job.js"; // internal module
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

const interruptedDuringSetUp = (error: unknown, signal: AbortSignal): FitJobOutput | undefined =>
  signal.aborted && (error as { name?: unknown }).name === "AbortError"
    ? { summary: undefined, interrupted: (error as Error).message }
    : undefined;

/** The loss and program a fit uses when the job leaves them out. */
function defaults(
  input: FitJobInput,
  data: Awaited<ReturnType<typeof loadModelData>>,
): { loss: LossName; targets: LabelTargets; model: AttentionProgramKind } {
  const loss: LossName =
    input.loss ??
    (data.kind === "text"
      ? new Set(data.labels).size <= 2 && data.labels.every((y) => y === 0 || y === 1)
        ? "logistic"
        : "cross-entropy"
      : "squared");
  const N = data.X.samples;
  const targets = targetsFromLabels(data.labels, {
    loss,
    shape: data.outputs === 1 ? [N] : [N, data.outputs],
    argument: `--loss ${loss}`,
  });
  const model: AttentionProgramKind =
    input.model ?? (loss === "cross-entropy" || targets.outputs > 1 ? "vector" : "scalar");
  return { loss, targets, model };
}

/** The held-out rows (a seeded permutation's first `f · N`) and the training rows, sorted. */
function split(input: FitJobInput, N: number): { trainRows: Int32Array; testRows: Int32Array } {
  const nTest = Math.round(input.testFraction * N);
  if (N - nTest < 1)
    throw new UsageError(
      `--test-fraction ${input.testFraction}: leaves no training samples of ${N}`,
      "--test-fraction",
    );
  const order = createRng(input.seed).permutation(N);
  return { testRows: order.slice(0, nTest).sort(), trainRows: order.slice(nTest).sort() };
}

/**
 * The worker side of `convexformer fit` (run through `runInterruptibly`): loads the data,
 * holds out a seeded test split, fits the convex program with the signal (an interrupted
 * solve returns its best iterate with status `aborted`), scores both splits, renders the
 * token map and writes the model folder (`writeModelFolder` of `@convexformer/io/node`).
 * Reports `{ type: "progress", phase, done, total, message }`.
 * @internal
 */
export async function fitJob(input: FitWorkerInput, context: JobContext): Promise<FitJobOutput> {
  context.report({ type: "progress", phase: "load", done: 0, total: 1 });
  let data: Awaited<ReturnType<typeof loadModelData>>;
  try {
    data = await loadModelData(input.data, { signal: context.signal });
  } catch (error) {
    const stopped = interruptedDuringSetUp(error, context.signal);
    if (stopped !== undefined) return stopped;
    throw error;
  }
  const N = data.X.samples;
  const { loss, targets: t, model } = defaults(input, data);
  const sequence = model === "sequence" || model === "sequence-relaxed";
  if (sequence && t.outputs % data.X.tokens !== 0)
    throw new UsageError(
      `--model ${model}: needs ${data.X.tokens}·c labels per sample (one per token); the data has ${t.outputs}`,
      "--model",
    );
  const outputs = sequence ? t.outputs / data.X.tokens : t.outputs;
  const perSample = loss === "cross-entropy" ? 1 : t.outputs;
  const { trainRows, testRows } = split(input, N);
  const maxIterations = input.maxIterations;
  const options: FitOptions = {
    model,
    targets: subsetTargets(t.targets, perSample, trainRows),
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
    fit = fitConvexAttention(subset(data.X, trainRows), options);
  } catch (error) {
    // stopped while sampling gates or building the program: no iterate to keep
    const stopped = interruptedDuringSetUp(error, context.signal);
    if (stopped !== undefined) return stopped;
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
  const figure = await tokenMapFigure(tokenMapOf(fit));
  await writeModelFolder(input.out, {
    fit,
    record: {
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
        tolerance: input.tolerance ?? DEFAULT_TOLERANCE,
        maxIterations: input.maxIterations ?? null,
        timeLimitMs: input.timeLimitMs ?? null,
        gates: model === "gated" ? (input.gates ?? 32) : null,
      },
    },
    metrics: { loss, train, test, solveMs },
    trainSamples: trainRows.length,
    samples: N,
    predictions: all,
    ...(data.text === undefined ? {} : { text: data.text }),
    files: {
      "token-map.svg": figure.svg,
      "token-map.json": figureJson(figure),
      "command.txt": `${input.command}\n`,
    },
  });
  return { summary };
}
