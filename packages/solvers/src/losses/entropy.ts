/** Slack allowed for a probability computed with rounding (`p ≥ −SLACK`, `|Σp − 1| ≤ SLACK`). @internal */
export const PROBABILITY_SLACK = 1e-9;

/** `−p log p` with `0 log 0 = 0`; `p` must be in `[0, 1]`. @internal */
export function xlogxNeg(p: number): number {
  return p > 0 ? -p * Math.log(p) : 0;
}

/** `log(1 + e^t)` without overflow. @internal */
export function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/** The logistic function `1 / (1 + e^{−t})` without overflow. @internal */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}
