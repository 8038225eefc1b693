// The scnn comparison instance shared by the attention benchmarks (issue 4's target): one-token
// data X ~ N(0, 1), targets from a planted two-layer ReLU teacher of width 5, standardized, plus
// 0.1·N(0, 1) noise. Seeded by (N, p) so every benchmark builds the same instance.
import { createRng, type Rng, TokenBatch } from "@convexformer/tensors";

/** `N × n × d` standard normal token batch. */
export function gaussianBatch(r: Rng, N: number, n: number, d: number): TokenBatch {
  return new TokenBatch(N, n, d, r.fillNormal(new Float64Array(N * n * d)));
}

/**
 * The planted-teacher data of the scnn instance with `N` samples of `p` features, from `seed`
 * (default `N + p`, the instance every benchmark shares; `bench:scnn` draws fresh ones).
 */
export function scnnData(
  N: number,
  p: number,
  seed = N + p,
): { X: TokenBatch; y: Float64Array; rng: Rng } {
  const r = createRng(seed);
  const X = gaussianBatch(r, N, 1, p);
  const W = r.fillNormal(new Float64Array(p * 5));
  const a = r.fillNormal(new Float64Array(5));
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < 5; j++) {
      let h = 0;
      for (let q = 0; q < p; q++) h += X.get(i, 0, q) * (W[q * 5 + j] as number);
      s += Math.max(0, h) * (a[j] as number);
    }
    y[i] = s;
  }
  let mean = 0;
  for (const v of y) mean += v / N;
  let sd = 0;
  for (const v of y) sd += (v - mean) ** 2 / N;
  sd = Math.sqrt(sd);
  for (let i = 0; i < N; i++) y[i] = ((y[i] as number) - mean) / sd + 0.1 * r.normal();
  return { X, y, rng: r };
}
