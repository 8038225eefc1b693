import { createRng, TokenBatch } from "@convexformer/tensors";

/** The in-page student–teacher problem: sizes, the planted teacher and the noise. */
export interface DemoConfig {
  /** `N`: samples. */
  readonly samples: number;
  /** `n`: tokens per sample. */
  readonly tokens: number;
  /** `d`: features per token. */
  readonly features: number;
  /** The tokens the teacher's heads attend to (0-based). */
  readonly teacherTokens: readonly number[];
  /** Standard deviation of the label noise. */
  readonly noise: number;
  /** Seed of every random draw. */
  readonly seed: number;
}

/** The default problem of the demo page. */
export const DEFAULT_DEMO: DemoConfig = {
  samples: 300,
  tokens: 12,
  features: 8,
  teacherTokens: [2, 7],
  noise: 0.1,
  seed: 7,
};

/** A generated data set: token batch `X` and scalar targets `y`. */
export interface DemoData {
  readonly X: TokenBatch;
  readonly y: Float64Array;
}

/**
 * Generates the data: Gaussian tokens, and a teacher (8) with one head per planted token,
 * `y_i = Σ_t ⟨X_i[t, :], v_t⟩ + noise`, each `v_t` a Gaussian vector.
 */
export function generateDemoData(config: DemoConfig): DemoData {
  const { samples: N, tokens: n, features: d } = config;
  const rng = createRng(config.seed);
  const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
  const values = config.teacherTokens.map(() => rng.fillNormal(new Float64Array(d)));
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    config.teacherTokens.forEach((t, h) => {
      const v = values[h] as Float64Array;
      for (let q = 0; q < d; q++) s += X.get(i, t, q) * (v[q] as number);
    });
    y[i] = s + config.noise * rng.normal();
  }
  return { X, y };
}
