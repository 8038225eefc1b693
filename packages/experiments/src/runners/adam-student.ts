import { type AttentionModel, SimplexHeads, StandardAttention } from "@convexformer/baselines";
import { softmaxAttentionMaps } from "@convexformer/interpret";
import type { JsonValue } from "@convexformer/io";
import { resumableTrain } from "../training/resumable-train.js";
import type { RunnerHooks } from "./experiment-result.js";
import { predictionError } from "./prediction-error.js";
import type { StudentCheckpoint } from "./student-checkpoint.js";
import type { StudentsInput } from "./students-input.js";

/** One Adam run of a nonconvex student: its numbers, token map and objective curve. */
export interface AdamPhase {
  readonly objective: number;
  readonly testError: number;
  readonly trainError: number;
  readonly milliseconds: number;
  readonly tokenMap: number[];
  readonly curve: { step: number[]; wallMs: number[]; objective: number[] };
}

/**
 * The token map of a trained student: simplex, the mean `w_1` row over the heads; standard,
 * the readout token's softmax row averaged over the test inputs and the heads.
 */
function tokenMapOf(model: AttentionModel, kind: "simplex" | "standard", input: StudentsInput) {
  if (kind === "simplex") {
    const w = (model as SimplexHeads).exportWeights();
    const n = input.train.X.tokens;
    return Array.from({ length: n }, (_, t) => {
      let s = 0;
      for (let j = 0; j < w.heads; j++) s += w.w1[j * n + t] as number;
      return s / w.heads;
    });
  }
  const maps = softmaxAttentionMaps((model as StandardAttention).exportWeights(), input.test.X);
  return Array.from(maps.meanOverHeads.row(0));
}

/**
 * Students (a) standard attention and (b) the nonconvex alternative: trains one of them with
 * full-batch Adam at one learning rate (same loss and `β` as the convex program), resumable
 * through the comparison's checkpoint; a finished phase is read back from it.
 *
 * @param input - the data, loss, heads, steps, evaluation interval and seed
 * @param run - the student, the learning rate, `β`, the hooks and the comparison's checkpoint
 * @returns the phase's outcome, or `undefined` when the signal stopped it
 */
export async function trainAdamStudent(
  input: StudentsInput,
  run: {
    readonly kind: "simplex" | "standard";
    readonly learningRate: number;
    readonly beta: number;
    readonly hooks: RunnerHooks;
    readonly checkpoint: StudentCheckpoint;
  },
): Promise<AdamPhase | undefined> {
  const { kind, learningRate: lr, beta, hooks, checkpoint } = run;
  const { loss, outputs: c, steps } = input;
  const name = `${kind}@${lr}`;
  const finished = checkpoint.done[name];
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
      ? new SimplexHeads({ ...common, heads: input.simplexHeads })
      : new StandardAttention({
          ...common,
          heads: input.standardHeads,
          headDim: Math.max(1, Math.floor(input.train.X.features / 4)),
        });
  const targets = input.train.targets;
  const train = model.dataset(input.train.X, targets);
  const resume = checkpoint.resumeOf(name);
  try {
    const result = await resumableTrain(model, train, {
      optimizer: "adam",
      learningRate: lr,
      steps,
      evaluateEvery: input.evaluateEvery,
      seed: input.seed,
      ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
      ...(resume === undefined ? {} : { resumeFrom: resume }),
      checkpointEvery: hooks.checkpoint === undefined ? 0 : (hooks.checkpointEvery ?? 100),
      onCheckpoint: (c) => checkpoint.save({ name, checkpoint: c }),
      onEvaluate: (r) => hooks.onProgress?.({ phase: name, done: r.step, total: steps }),
    });
    if (result.stopReason === "aborted") return undefined;
    const tokenMap = tokenMapOf(model, kind, input);
    const ev = result.evaluations;
    const phase: AdamPhase = {
      objective: ev.at(-1)?.objective ?? Number.NaN,
      testError: predictionError(loss, model.predict(input.test.X), input.test.targets, c),
      trainError: predictionError(loss, model.predict(input.train.X), targets, c),
      milliseconds: result.wallMs,
      tokenMap,
      curve: {
        step: ev.map((r) => r.step),
        wallMs: ev.map((r) => r.wallMs),
        objective: ev.map((r) => r.objective),
      },
    };
    checkpoint.done[name] = phase as unknown as JsonValue;
    await checkpoint.save();
    return phase;
  } finally {
    train.dispose();
    model.dispose();
  }
}
