import {
  type AttentionWeights,
  attentionForward,
  fitConvexAttention,
  type LossName,
} from "@convexformer/attention";
import {
  type AttentionModel,
  SimplexHeads,
  StandardAttention,
  setupTfjs,
} from "@convexformer/baselines";
import { softmaxAttentionMaps } from "@convexformer/interpret";
import { InvalidOptionError, type TokenBatch } from "@convexformer/tensors";
import type { Checkpoint, JsonValue } from "../training/checkpoint.js";
import { resumableTrain } from "../training/resumable-train.js";
import {
  asRecord,
  type Curve,
  jsonNumber,
  type RunnerHooks,
  thinIndices,
} from "./experiment-result.js";
import { predictionError } from "./prediction-error.js";
import type { E1Metrics, E1ModelMetrics } from "./student-metrics.js";

/** What {@link compareStudents} needs: the data, the loss and the settings of E1. */
export interface StudentsInput {
  readonly train: { readonly X: TokenBatch; readonly targets: Float64Array | Int32Array };
  readonly test: { readonly X: TokenBatch; readonly targets: Float64Array | Int32Array };
  readonly loss: LossName;
  readonly outputs: number;
  readonly program: "scalar" | "vector";
  readonly seed: number;
  readonly beta: number | undefined;
  readonly lambdaRatio: number | undefined;
  readonly solvers: readonly string[];
  readonly tolerance: number;
  readonly steps: number;
  readonly evaluateEvery: number;
  readonly learningRates: readonly number[];
  readonly standardHeads: number;
  readonly simplexHeads: number;
  /** Identifies the configuration in checkpoints. */
  readonly configKey: string;
}

/** What {@link compareStudents} returns. */
export interface StudentsOutcome {
  readonly metrics: Omit<E1Metrics, "sizes">;
  readonly curves: Record<string, Curve>;
  readonly timings: { readonly convex: number; readonly adam: number };
  readonly aborted: boolean;
  /** The recovered convex network. */
  readonly network: AttentionWeights;
}

interface AdamPhase {
  readonly objective: number;
  readonly testError: number;
  readonly trainError: number;
  readonly milliseconds: number;
  readonly tokenMap: number[];
  readonly curve: { step: number[]; wallMs: number[]; objective: number[] };
}

/**
 * The three students of E1 on given data: (c) the convex program with each solver,
 * recovered and evaluated as a network, (b) the nonconvex alternative and (a) standard
 * attention trained by Adam at each learning rate (same loss and `β`), with resumable
 * checkpoints of the Adam phases.
 */
export async function compareStudents(
  input: StudentsInput,
  hooks: RunnerHooks,
): Promise<StudentsOutcome> {
  const {
    loss,
    outputs: c,
    program,
    solvers,
    tolerance,
    steps,
    evaluateEvery,
    learningRates,
    standardHeads,
    simplexHeads,
    configKey,
  } = input;

  // ---- checkpoint: finished phases and the running Adam phase
  const stored = hooks.resume === true ? await hooks.checkpoint?.load() : undefined;
  const storedMeta = asRecord(stored?.meta);
  if (stored !== undefined && storedMeta?.config !== configKey) {
    throw new InvalidOptionError(
      "resume",
      storedMeta?.config,
      "the checkpoint was made with a different E1 configuration",
    );
  }
  const done: Record<string, JsonValue> = { ...(asRecord(storedMeta?.done) ?? {}) };
  const save = async (current?: { name: string; checkpoint: Checkpoint }): Promise<void> => {
    await hooks.checkpoint?.save({
      meta: {
        config: configKey,
        done,
        ...(current === undefined ? {} : { current: current.name, train: current.checkpoint.meta }),
      },
      arrays: current?.checkpoint.arrays ?? {},
    });
  };

  // ---- (c) the convex program
  const targets = input.train.targets;
  const fitTargets = loss === "cross-entropy" ? (targets as Int32Array) : (targets as Float64Array);
  const base = {
    model: program,
    targets: fitTargets,
    loss,
    ...(loss === "cross-entropy" ? { outputs: c } : {}),
    ...(input.beta === undefined
      ? { lambdaRatio: input.lambdaRatio ?? 0.05 }
      : { lambda: input.beta }),
    tolerance,
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
  } as const;
  const solverRuns: E1Metrics["solvers"][number][] = [];
  let convex: E1Metrics["convex"] | undefined;
  let convexCurve: Curve = {};
  let network: AttentionWeights | undefined;
  let beta = input.beta ?? Number.NaN;
  let lambdaMax = Number.NaN;
  const convexStart = performance.now();
  for (const solver of solvers) {
    const records: {
      iteration: number;
      elapsedMs: number;
      objective: number;
      relativeGap: number;
    }[] = [];
    const s0 = performance.now();
    hooks.onProgress?.({ phase: `convex:${solver}`, done: 0, total: 1 });
    try {
      const fit = fitConvexAttention(input.train.X, {
        ...base,
        solver,
        onIteration: (r) => {
          records.push({
            iteration: r.iteration,
            elapsedMs: r.elapsedMs,
            objective: r.objective,
            relativeGap: r.relativeGap,
          });
        },
      });
      const ms = performance.now() - s0;
      solverRuns.push({
        solver,
        status: fit.solve.status,
        objective: fit.certificate.objective,
        relativeGap: fit.certificate.relativeGap,
        iterations: fit.solve.iterations,
        milliseconds: ms,
      });
      if (convex === undefined) {
        beta = fit.lambda;
        lambdaMax = fit.lambdaMax;
        const net = fit.network as AttentionWeights;
        network = net;
        const predict = (X: TokenBatch): Float64Array => attentionForward(net, X);
        convex = {
          objective: fit.certificate.objective,
          relativeGap: fit.certificate.relativeGap,
          status: fit.solve.status,
          iterations: fit.solve.iterations,
          headsNeeded: fit.headsNeeded,
          testError: predictionError(loss, predict(input.test.X), input.test.targets, c),
          trainError: predictionError(loss, predict(input.train.X), targets, c),
          milliseconds: ms,
          tokenMap: Array.from(fit.tokenImportance?.perToken ?? []),
        };
        const keep = thinIndices(records.length, 400);
        convexCurve = {
          iteration: keep.map((k) => records[k]?.iteration ?? 0),
          wallMs: keep.map((k) => records[k]?.elapsedMs ?? 0),
          objective: keep.map((k) => jsonNumber(records[k]?.objective)),
          relativeGap: keep.map((k) => jsonNumber(records[k]?.relativeGap)),
        };
      }
    } catch (error) {
      if (hooks.signal?.aborted) throw error;
      solverRuns.push({
        solver,
        status: "error",
        objective: null,
        relativeGap: null,
        iterations: 0,
        milliseconds: performance.now() - s0,
        error: (error as Error).message,
      });
    }
  }
  if (convex === undefined) {
    throw new InvalidOptionError(
      "solvers",
      solvers,
      `no solver solved the program: ${solverRuns.map((r) => r.error).join("; ")}`,
    );
  }
  const convexMs = performance.now() - convexStart;

  // ---- (a), (b): Adam runs, each resumable
  await setupTfjs();
  let aborted = false;
  const adam = async (kind: "simplex" | "standard", lr: number): Promise<AdamPhase | undefined> => {
    const name = `${kind}@${lr}`;
    const finished = done[name];
    if (finished !== undefined) return finished as unknown as AdamPhase;
    const common = {
      tokens: input.train.X.tokens,
      features: input.train.X.features,
      outputs: c,
      loss,
      beta,
      seed: input.seed,
    };
    const model: AttentionModel =
      kind === "simplex"
        ? new SimplexHeads({ ...common, heads: simplexHeads })
        : new StandardAttention({
            ...common,
            heads: standardHeads,
            headDim: Math.max(1, Math.floor(input.train.X.features / 4)),
          });
    const train = model.dataset(input.train.X, targets);
    const resume =
      stored !== undefined && storedMeta?.current === name
        ? { meta: storedMeta.train ?? null, arrays: stored.arrays }
        : undefined;
    try {
      const run = await resumableTrain(model, train, {
        optimizer: "adam",
        learningRate: lr,
        steps,
        evaluateEvery,
        seed: input.seed,
        ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
        ...(resume === undefined ? {} : { resumeFrom: resume }),
        checkpointEvery: hooks.checkpoint === undefined ? 0 : (hooks.checkpointEvery ?? 100),
        onCheckpoint: (checkpoint) => save({ name, checkpoint }),
        onEvaluate: (r) => hooks.onProgress?.({ phase: name, done: r.step, total: steps }),
      });
      if (run.stopReason === "aborted") {
        aborted = true;
        return undefined;
      }
      let tokenMap: number[];
      if (kind === "simplex") {
        const w = (model as SimplexHeads).exportWeights();
        const n = input.train.X.tokens;
        tokenMap = Array.from({ length: n }, (_, t) => {
          let s = 0;
          for (let j = 0; j < w.heads; j++) s += w.w1[j * n + t] as number;
          return s / w.heads;
        });
      } else {
        // the readout token's softmax row, averaged over the test inputs and the heads
        const maps = softmaxAttentionMaps(
          (model as StandardAttention).exportWeights(),
          input.test.X,
        );
        tokenMap = Array.from(maps.meanOverHeads.row(0));
      }
      const ev = run.evaluations;
      const phase: AdamPhase = {
        objective: ev.at(-1)?.objective ?? Number.NaN,
        testError: predictionError(loss, model.predict(input.test.X), input.test.targets, c),
        trainError: predictionError(loss, model.predict(input.train.X), targets, c),
        milliseconds: run.wallMs,
        tokenMap,
        curve: {
          step: ev.map((r) => r.step),
          wallMs: ev.map((r) => r.wallMs),
          objective: ev.map((r) => r.objective),
        },
      };
      done[name] = phase as unknown as JsonValue;
      await save();
      return phase;
    } finally {
      train.dispose();
      model.dispose();
    }
  };
  const best: Record<"simplex" | "standard", (AdamPhase & { learningRate: number }) | undefined> = {
    simplex: undefined,
    standard: undefined,
  };
  const adamStart = performance.now();
  const adamCurves: Record<string, Curve> = {};
  outer: for (const kind of ["simplex", "standard"] as const) {
    for (const lr of learningRates) {
      const phase = await adam(kind, lr);
      if (phase === undefined) break outer;
      adamCurves[`${kind}@${lr}`] = phase.curve;
      const current = best[kind];
      if (current === undefined || !(phase.objective >= current.objective))
        best[kind] = { ...phase, learningRate: lr };
    }
  }
  const summary = (
    p: (AdamPhase & { learningRate: number }) | undefined,
    heads: number,
  ): E1ModelMetrics =>
    p === undefined
      ? {
          objective: Number.NaN,
          testError: Number.NaN,
          trainError: Number.NaN,
          milliseconds: 0,
          tokenMap: [],
        }
      : {
          objective: p.objective,
          testError: p.testError,
          trainError: p.trainError,
          milliseconds: p.milliseconds,
          learningRate: p.learningRate,
          heads,
          tokenMap: p.tokenMap,
        };
  return {
    metrics: {
      beta,
      lambdaMax,
      convex,
      solvers: solverRuns,
      simplex: summary(best.simplex, simplexHeads),
      standard: summary(best.standard, standardHeads),
    },
    curves: { convex: convexCurve, ...adamCurves },
    timings: { convex: convexMs, adam: performance.now() - adamStart },
    aborted,
    network: network as AttentionWeights,
  };
}
