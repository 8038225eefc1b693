import type { AttentionWeights } from "@convexformer/attention";
import { type TextRecord, textFeatures, type WordEmbeddings } from "@convexformer/io";
import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import {
  createRng,
  InvalidOptionError,
  TokenBatch,
  validateInteger,
  validateKnownOptions,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { createFrozenBlock } from "../datasets/frozen-block.js";
import { compareStudents } from "./compare-students.js";
import { type ExperimentResult, type RunnerHooks, runtimeVersion } from "./experiment-result.js";
import type { E1Metrics } from "./student-metrics.js";

/**
 * Configuration of {@link runText}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { TextConfig } from "@convexformer/experiments";
 * const config: TextConfig = { tokens: 24, testFraction: 0.3, steps: 300 };
 * ```
 */
export interface TextConfig {
  /** Words per text `n` (default 24). */
  readonly tokens?: number;
  /** Multiplies the positional encodings (default 0.1). */
  readonly positionalScale?: number;
  /** Pass the embedded words through a frozen random transformer block (default `false`). */
  readonly frozenBlock?: boolean;
  /** Fraction of the records held out for testing (default 0.3). */
  readonly testFraction?: number;
  /** `β`; default `lambdaRatio · λ_max` of the convex program. */
  readonly beta?: number;
  /** Default 0.05. */
  readonly lambdaRatio?: number;
  /** Convex solvers (default `["fista"]`). */
  readonly solvers?: readonly string[];
  /** Adam steps (default 300). */
  readonly steps?: number;
  /** Adam learning rates (default `[1e-3, 1e-2, 1e-1]`). */
  readonly learningRates?: readonly number[];
  /** Heads of the standard student (default 2). */
  readonly standardHeads?: number;
  /** Heads of the nonconvex simplex student (default 8). */
  readonly simplexHeads?: number;
  /** Seed of the split, the block and the initializations (default 0). */
  readonly seed?: number;
}

/**
 * A word and what the convex model does with it.
 *
 * @example
 * ```ts
 * import type { WordWeight } from "@convexformer/experiments";
 * const w: WordWeight = { word: "tax", count: 12, meanContribution: 0.4 };
 * ```
 */
export interface WordWeight {
  /** The word. */
  readonly word: string;
  /** Occurrences in the kept tokens of all texts. */
  readonly count: number;
  /**
   * Mean contribution of the word to the convex model's score (scalar program: toward label
   * 1 when positive; vector program: the norm over outputs).
   */
  readonly meanContribution: number;
}

/**
 * The numbers of the text experiment.
 *
 * @example
 * ```ts
 * import type { TextMetrics } from "@convexformer/experiments";
 * const acc = (m: TextMetrics) => 1 - m.convex.testError;
 * ```
 */
export interface TextMetrics extends Omit<E1Metrics, "sizes"> {
  /** Train/test texts, tokens, features, word coverage of the embeddings. */
  readonly sizes: {
    /** Training samples. */
    readonly train: number;
    /** Test samples. */
    readonly test: number;
    /** Tokens per sample. */
    readonly tokens: number;
    /** Features per token. */
    readonly features: number;
    /** Word occurrences with a vector (kept). */
    readonly knownWords: number;
    /** Word occurrences without a vector (dropped). */
    readonly unknownWords: number;
    /** Classes of the labels. */
    readonly classes: number;
  };
  /** Words pushing the convex model's score up the most (count ≥ 3). */
  readonly topWordsUp: readonly WordWeight[];
  /** Words pushing it down the most (count ≥ 3; scalar program only). */
  readonly topWordsDown: readonly WordWeight[];
  /** Where the embeddings came from. */
  readonly embeddings: string;
}

/**
 * What {@link runText} returns.
 *
 * @example
 * ```ts
 * import type { TextResult } from "@convexformer/experiments";
 * const words = (r: TextResult) => r.metrics.topWordsUp.map((w) => w.word);
 * ```
 */
export type TextResult = ExperimentResult<
  Required<Omit<TextConfig, "beta">> & {
    /** `β` as given (`null`: `lambdaRatio · λ_max`). */
    readonly beta: number | null;
  },
  TextMetrics
>;

const OPTION_NAMES = [
  "tokens",
  "positionalScale",
  "frozenBlock",
  "testFraction",
  "beta",
  "lambdaRatio",
  "solvers",
  "steps",
  "learningRates",
  "standardHeads",
  "simplexHeads",
  "seed",
] as const;

/** Contribution of each (sample, token) to the recovered network's output. */
function contributions(w: AttentionWeights, X: TokenBatch): Float64Array {
  const { heads: h, tokens: n, features: d, outputs: c } = w;
  const out = new Float64Array(X.samples * n);
  for (let i = 0; i < X.samples; i++) {
    for (let k = 0; k < n; k++) {
      const per = new Float64Array(c);
      for (let j = 0; j < h; j++) {
        const a = w.w1[j * n + k] as number;
        if (a === 0) continue;
        let s = 0;
        for (let q = 0; q < d; q++)
          s += (X.data[(i * n + k) * d + q] as number) * (w.w2[j * d + q] as number);
        for (let l = 0; l < c; l++)
          per[l] = (per[l] as number) + a * s * (w.alpha[j * c + l] as number);
      }
      out[i * n + k] = c === 1 ? (per[0] as number) : Math.hypot(...per);
    }
  }
  return out;
}

/**
 * E1 on real text (the real-data stand-in for the paper's frozen pretrained layers): texts
 * are tokenized, embedded by pretrained word vectors plus positional encodings (optionally a
 * frozen random block on top), split into train/test (seeded), and the three students of E1
 * are compared on the labels: two classes as `±1` with the logistic loss and program (9),
 * more as class indices with cross-entropy and program (12). Also reports which words the
 * recovered convex network leans on (mean contribution per word).
 *
 * @param records - the labelled texts, at least one: `{ text, label }` with a finite label; the
 *   labels must be class indices (integers ≥ 0)
 * @param embeddings - the pretrained word vectors by lower-case word, all of length `dimension`
 *   (e.g. from `loadGloveEmbeddings` or `loadWinkEmbeddings` of `@convexformer/io/node`);
 *   words without a vector are dropped
 * @param config - {@link TextConfig}: tokens per text, positional scale, frozen block, test
 *   fraction, `β`, `λ` ratio, solvers, Adam steps, learning rates, head counts and seed, each
 *   optional with the default given there; unknown keys are errors
 * @param hooks - {@link RunnerHooks}: `onProgress`, `signal` (the result then has
 *   `status: "aborted"`), `checkpoint` with `checkpointEvery` (default 500) and `resume` (default
 *   `false`), and the `software` versions to record (default: the runtime and tfjs)
 * @throws `InvalidOptionError` for bad configuration or labels that are not class indices
 *
 * @example
 * ```ts
 * import { runText } from "@convexformer/experiments";
 * const embeddings = { dimension: 2, source: "inline", vectors: new Map([
 *   ["up", new Float64Array([1, 0])], ["down", new Float64Array([0, 1])], ["flat", new Float64Array([0.5, 0.5])]]) };
 * const records = Array.from({ length: 20 }, (_, i) => ({ text: i % 2 ? "up flat" : "down flat", label: i % 2 }));
 * const r = await runText(records, embeddings, { tokens: 2, steps: 5, learningRates: [0.1] });
 * r.metrics.convex.testError; // 0
 * ```
 */
export async function runText(
  records: readonly TextRecord[],
  embeddings: WordEmbeddings,
  config: TextConfig = {},
  hooks: RunnerHooks = {},
): Promise<TextResult> {
  if (typeof config !== "object" || config === null) {
    throw new InvalidOptionError("config", config, "must be an object");
  }
  validateKnownOptions("config", config, OPTION_NAMES);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const resolved = {
    tokens: config.tokens ?? 24,
    positionalScale: config.positionalScale ?? 0.1,
    frozenBlock: config.frozenBlock ?? false,
    testFraction: config.testFraction ?? 0.3,
    beta: config.beta ?? null,
    lambdaRatio: config.lambdaRatio ?? 0.05,
    solvers: config.solvers ?? ["fista"],
    steps: config.steps ?? 300,
    learningRates: config.learningRates ?? [1e-3, 1e-2, 1e-1],
    standardHeads: config.standardHeads ?? 2,
    simplexHeads: config.simplexHeads ?? 8,
    seed: config.seed ?? 0,
  };
  validateInteger("tokens", resolved.tokens, 1);
  validateInteger("seed", resolved.seed, 0);
  if (!(resolved.testFraction > 0 && resolved.testFraction < 1)) {
    throw new InvalidOptionError("testFraction", resolved.testFraction, "must be in (0, 1)");
  }
  const labels = records.map((r) => r.label);
  labels.forEach((y, i) => {
    if (!Number.isSafeInteger(y) || y < 0) {
      throw new InvalidOptionError(
        `records[${i}].label`,
        y,
        "must be a class index (integer >= 0)",
      );
    }
  });
  const classes = Math.max(...labels) + 1;
  if (classes < 2) throw new InvalidOptionError("records", classes, "need at least two classes");
  const block = resolved.frozenBlock
    ? createFrozenBlock({ features: embeddings.dimension, seed: resolved.seed + 1 })
    : undefined;
  const f = textFeatures(records, embeddings, {
    tokens: resolved.tokens,
    positionalScale: resolved.positionalScale,
    ...(block === undefined ? {} : { block }),
  });
  const N = records.length;
  const order = createRng(resolved.seed).permutation(N);
  const nTest = Math.min(N - 1, Math.max(1, Math.round(resolved.testFraction * N)));
  const n = resolved.tokens;
  const d = embeddings.dimension;
  const take = (from: number, to: number) => {
    const idx = order.subarray(from, to);
    const X = new Float64Array(idx.length * n * d);
    idx.forEach((i, r) => {
      X.set(f.X.data.subarray(i * n * d, (i + 1) * n * d), r * n * d);
    });
    const y =
      classes === 2
        ? Float64Array.from(idx, (i) => 2 * (labels[i] as number) - 1)
        : Int32Array.from(idx, (i) => labels[i] as number);
    return { X: new TokenBatch(idx.length, n, d, X), targets: y, idx };
  };
  const test = take(0, nTest);
  const train = take(nTest, N);
  const outcome = await compareStudents(
    {
      train,
      test,
      loss: classes === 2 ? "logistic" : "cross-entropy",
      outputs: classes === 2 ? 1 : classes,
      program: classes === 2 ? "scalar" : "vector",
      seed: resolved.seed,
      beta: config.beta,
      lambdaRatio: resolved.lambdaRatio,
      solvers: resolved.solvers,
      tolerance: DEFAULT_TOLERANCE,
      steps: resolved.steps,
      evaluateEvery: 10,
      learningRates: resolved.learningRates,
      standardHeads: resolved.standardHeads,
      simplexHeads: resolved.simplexHeads,
      configKey: JSON.stringify({ resolved, source: embeddings.source, N }),
    },
    hooks,
  );
  // words the convex network leans on, over all texts
  const all = new TokenBatch(N, n, d, f.X.data);
  const contrib = contributions(outcome.network, all);
  const stats = new Map<string, { sum: number; count: number }>();
  for (let r = 0; r < N * n; r++) {
    const word = f.words[r] as string;
    if (word === "") continue;
    const s = stats.get(word) ?? { sum: 0, count: 0 };
    s.sum += contrib[r] as number;
    s.count++;
    stats.set(word, s);
  }
  const weights: WordWeight[] = [...stats]
    .filter(([, s]) => s.count >= 3)
    .map(([word, s]) => ({ word, count: s.count, meanContribution: s.sum / s.count }));
  const up = [...weights].sort((a, b) => b.meanContribution - a.meanContribution).slice(0, 15);
  const down =
    classes === 2
      ? [...weights].sort((a, b) => a.meanContribution - b.meanContribution).slice(0, 15)
      : [];
  return {
    experiment: "text",
    status: outcome.aborted ? "aborted" : "complete",
    config: resolved,
    seed: resolved.seed,
    software: hooks.software ?? { runtime: runtimeVersion(), tfjs: tf.version.tfjs },
    startedAt,
    timings: { total: performance.now() - t0, ...outcome.timings },
    metrics: {
      ...outcome.metrics,
      sizes: {
        train: train.idx.length,
        test: test.idx.length,
        tokens: n,
        features: d,
        knownWords: f.knownWords,
        unknownWords: f.unknownWords,
        classes,
      },
      topWordsUp: up,
      topWordsDown: down,
      embeddings: embeddings.source,
    },
    curves: outcome.curves,
  };
}
