import { type StandardAttentionWeights, standardAttentionForward } from "@convexformer/attention";
import { tokenFeatures } from "@convexformer/io";
import {
  createRng,
  InvalidOptionError,
  type TokenBatch,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import { createFrozenBlock } from "./frozen-block.js";

/**
 * What the teacher of {@link studentTeacher} outputs: one number, a `c`-vector (read at the
 * first token) or a whole `n × c` sequence per sample.
 *
 * @example
 * ```ts
 * import type { TeacherTarget } from "@convexformer/experiments";
 * const target: TeacherTarget = "vector";
 * ```
 */
export type TeacherTarget = "scalar" | "vector" | "sequence";

/**
 * Options of {@link studentTeacher}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { StudentTeacherOptions } from "@convexformer/experiments";
 * const options: StudentTeacherOptions = { samples: 64, testSamples: 64, tokens: 6, features: 8, seed: 3 };
 * ```
 */
export interface StudentTeacherOptions {
  /** Training samples `N` (default 256). */
  readonly samples?: number;
  /** Test samples (default 256). */
  readonly testSamples?: number;
  /** Tokens per sample `n` (default 8). */
  readonly tokens?: number;
  /** Features per token `d` (default 16). */
  readonly features?: number;
  /** Vocabulary size of the Zipf-like token ids (default 64). */
  readonly vocabulary?: number;
  /** Zipf exponent of the token ids: `P(k) ∝ (k + 1)^−s` (default 1.1). */
  readonly zipfExponent?: number;
  /** Teacher heads (default 3). */
  readonly teacherHeads?: number;
  /** Teacher hidden width per head `m` (default 4). */
  readonly teacherHidden?: number;
  /** Target kind (default `"scalar"`). */
  readonly target?: TeacherTarget;
  /** `c` for vector and sequence targets (default 3; scalar targets have 1). */
  readonly outputs?: number;
  /** Standard deviation of Gaussian noise added to the standardized targets (default 0). */
  readonly noise?: number;
  /**
   * Classification variant: scalar targets become labels `±1` (sign), vector and sequence
   * targets class indices (arg-max over `c`). Default `false` (regression).
   */
  readonly classification?: boolean;
  /** Pass the embedded tokens through a frozen random transformer block (default `true`). */
  readonly frozenBlock?: boolean;
  /** Seed of everything (default 0). */
  readonly seed?: number;
}

/**
 * A student–teacher data set (E1, docs/guide/experiments.md): features, targets and what made them.
 *
 * @example
 * ```ts
 * import { studentTeacher, type StudentTeacherData } from "@convexformer/experiments";
 * const data: StudentTeacherData = studentTeacher({ samples: 8, testSamples: 8, tokens: 4, features: 4 });
 * data.train.X.samples; // 8
 * ```
 */
export interface StudentTeacherData {
  /** The training split: features `N × n × d` and targets. */
  readonly train: {
    /** Features `N × n × d`. */
    readonly X: TokenBatch;
    /** Targets: `N`, `N·c` or `N·n·c` values, or class indices / `±1` labels. */
    readonly targets: Float64Array | Int32Array;
  };
  /** The test split, drawn from the same distribution. */
  readonly test: {
    /** Features. */
    readonly X: TokenBatch;
    /** Targets, as for `train`. */
    readonly targets: Float64Array | Int32Array;
  };
  /** The teacher: standard multi-head attention (3). */
  readonly teacher: StandardAttentionWeights;
  /** Regression targets were divided by this (the train targets' standard deviation). */
  readonly targetScale: number;
  /** The resolved options. */
  readonly options: Required<StudentTeacherOptions>;
}

const OPTION_NAMES = [
  "samples",
  "testSamples",
  "tokens",
  "features",
  "vocabulary",
  "zipfExponent",
  "teacherHeads",
  "teacherHidden",
  "target",
  "outputs",
  "noise",
  "classification",
  "frozenBlock",
  "seed",
] as const;

/** Upper bound on `N·n·d` of one split: 2^26 doubles (512 MiB). */
const MAX_ENTRIES = 1 << 26;

/**
 * Generates the student–teacher data of E1. Token ids are Zipf-distributed over the
 * vocabulary; each id is embedded by a fixed random table (`N(0, 1)` entries), positional
 * encodings are added, and (by default) one frozen random transformer block maps them to
 * features `X_i` (`n × d`). The teacher is a random standard multi-head attention layer (3)
 * (entries `N(0, 1/d)` for `W_Q, W_K, W_V`, `N(0, 1/m)` for `W_O`); its output is read at the
 * first token (scalar / vector targets) or at every token (sequence targets), standardized by
 * the train targets' standard deviation, plus optional noise; the classification variant
 * takes signs or arg-maxes. Train and test splits share the table, block and teacher.
 *
 * @param options - {@link StudentTeacherOptions}: sizes, vocabulary and Zipf exponent, teacher,
 *   target kind and outputs, noise, classification, frozen block and seed, each optional with the
 *   default given there (default `{}`: 256 train and 256 test samples); unknown keys are errors
 * @throws `InvalidOptionError` for out-of-range sizes, unknown target kinds or unknown keys
 *
 * @example
 * ```ts
 * import { studentTeacher } from "@convexformer/experiments";
 * const data = studentTeacher({ samples: 32, testSamples: 16, tokens: 4, features: 8, seed: 1 });
 * data.train.targets.length; // 32
 * data.test.X.tokens; // 4
 * ```
 */
export function studentTeacher(options: StudentTeacherOptions = {}): StudentTeacherData {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", options, "must be an object");
  }
  validateKnownOptions("options", options, OPTION_NAMES);
  const target = options.target ?? "scalar";
  if (target !== "scalar" && target !== "vector" && target !== "sequence") {
    throw new InvalidOptionError("target", target, 'must be "scalar", "vector" or "sequence"');
  }
  const resolved: Required<StudentTeacherOptions> = {
    samples: options.samples ?? 256,
    testSamples: options.testSamples ?? 256,
    tokens: options.tokens ?? 8,
    features: options.features ?? 16,
    vocabulary: options.vocabulary ?? 64,
    zipfExponent: options.zipfExponent ?? 1.1,
    teacherHeads: options.teacherHeads ?? 3,
    teacherHidden: options.teacherHidden ?? 4,
    target,
    outputs: target === "scalar" ? 1 : (options.outputs ?? 3),
    noise: options.noise ?? 0,
    classification: options.classification ?? false,
    frozenBlock: options.frozenBlock ?? true,
    seed: options.seed ?? 0,
  };
  const { samples, testSamples, tokens: n, features: d, vocabulary: V } = resolved;
  validateInteger("samples", samples, 1);
  validateInteger("testSamples", testSamples, 1);
  validateInteger("tokens", n, 1);
  validateInteger("features", d, 1);
  validateInteger("vocabulary", V, 1);
  validateInteger("teacherHeads", resolved.teacherHeads, 1);
  validateInteger("teacherHidden", resolved.teacherHidden, 1);
  validateInteger("outputs", resolved.outputs, 1);
  validateInteger("seed", resolved.seed, 0);
  if (target === "scalar" && options.outputs !== undefined && options.outputs !== 1) {
    throw new InvalidOptionError("outputs", options.outputs, "scalar targets have 1 output");
  }
  if (resolved.classification && target !== "scalar" && resolved.outputs < 2) {
    throw new InvalidOptionError("outputs", resolved.outputs, "classification needs >= 2 classes");
  }
  if (!(resolved.noise >= 0 && Number.isFinite(resolved.noise))) {
    throw new InvalidOptionError("noise", resolved.noise, "must be a finite number >= 0");
  }
  for (const [name, size] of [
    ["samples", samples],
    ["testSamples", testSamples],
  ] as const) {
    if (size * n * d > MAX_ENTRIES) {
      throw new InvalidOptionError(name, size, `${size}·${n}·${d} features exceed 2^26 entries`);
    }
  }
  const rng = createRng(resolved.seed);
  const table = rng.fillNormal(new Float64Array(V * d));
  const block = resolved.frozenBlock
    ? createFrozenBlock({ features: d, seed: resolved.seed + 1 })
    : undefined;
  const h = resolved.teacherHeads;
  const m = resolved.teacherHidden;
  const c = resolved.outputs;
  const teacher: StandardAttentionWeights = {
    heads: h,
    features: d,
    hidden: m,
    outputs: c,
    WQ: rng.fillNormal(new Float64Array(h * d * m), 0, 1 / Math.sqrt(d)),
    WK: rng.fillNormal(new Float64Array(h * d * m), 0, 1 / Math.sqrt(d)),
    WV: rng.fillNormal(new Float64Array(h * d * m), 0, 1 / Math.sqrt(d)),
    WO: rng.fillNormal(new Float64Array(h * m * c), 0, 1 / Math.sqrt(m)),
  };
  const draw = (count: number): { X: TokenBatch; raw: Float64Array } => {
    const ids = new Int32Array(count * n);
    for (let r = 0; r < ids.length; r++) ids[r] = rng.zipf(V, resolved.zipfExponent);
    const X = tokenFeatures(ids, n, table, d, block === undefined ? {} : { block });
    const full = standardAttentionForward(teacher, X); // N × n × c
    const raw = target === "sequence" ? full : new Float64Array(count * c);
    if (target !== "sequence") {
      for (let i = 0; i < count; i++) raw.set(full.subarray(i * n * c, i * n * c + c), i * c);
    }
    return { X, raw };
  };
  const trainDraw = draw(samples);
  const testDraw = draw(testSamples);
  let mean = 0;
  for (const v of trainDraw.raw) mean += v;
  mean /= trainDraw.raw.length;
  let variance = 0;
  for (const v of trainDraw.raw) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / trainDraw.raw.length);
  const targetScale = std > 0 ? std : 1;
  const finish = (raw: Float64Array): Float64Array | Int32Array => {
    const y = new Float64Array(raw.length);
    for (let e = 0; e < raw.length; e++) {
      y[e] =
        (raw[e] as number) / targetScale + (resolved.noise > 0 ? resolved.noise * rng.normal() : 0);
    }
    if (!resolved.classification) return y;
    if (target === "scalar") return y.map((v) => (v >= 0 ? 1 : -1));
    const rows = y.length / c;
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let l = 1; l < c; l++)
        if ((y[r * c + l] as number) > (y[r * c + best] as number)) best = l;
      labels[r] = best;
    }
    return labels;
  };
  return {
    train: { X: trainDraw.X, targets: finish(trainDraw.raw) },
    test: { X: testDraw.X, targets: finish(testDraw.raw) },
    teacher,
    targetScale,
    options: resolved,
  };
}
