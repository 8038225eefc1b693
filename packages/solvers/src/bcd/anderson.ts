/**
 * Anderson extrapolation of a fixed-point sequence (the offline, "type II" form used by
 * skglm and celer): from `K + 1` successive iterates `x₀ … x_K` with differences
 * `U = [x₁ − x₀, …, x_K − x_{K−1}]`, the weights `c = (UᵀU)⁻¹1 / 1ᵀ(UᵀU)⁻¹1` give the
 * extrapolated point `Σ_k c_k x_k` (k = 1..K). A solver must only accept it after checking
 * that it decreases the objective. @internal
 */
export class AndersonMemory {
  /** Number of differences `K`. */
  readonly depth: number;
  /** Length of the vectors. */
  readonly length: number;
  /** The weights are fitted on the first `fitLength` entries (the rest are carried along, e.g. `A x`). */
  readonly fitLength: number;
  private readonly iterates: Float64Array[];
  private count = 0;

  /**
   * @param depth - `K ≥ 1`
   * @param length - vector length
   * @param fitLength - entries the weights are fitted on (default all)
   */
  constructor(depth: number, length: number, fitLength = length) {
    this.depth = depth;
    this.length = length;
    this.fitLength = fitLength;
    this.iterates = Array.from({ length: depth + 1 }, () => new Float64Array(length));
  }

  /** Forgets the stored iterates. */
  reset(): void {
    this.count = 0;
  }

  /** Stores `x`; returns `true` once `K + 1` iterates are stored. */
  push(x: Float64Array): boolean {
    (this.iterates[this.count] as Float64Array).set(x.subarray(0, this.length));
    this.count++;
    return this.count === this.depth + 1;
  }

  /**
   * The weights `c_1 … c_K` of the stored iterates `x_1 … x_K` (written into `out`), or
   * `false` when the system is singular or the weights are not finite. Resets the memory.
   */
  weights(out: Float64Array): boolean {
    const K = this.depth;
    const n = this.fitLength;
    this.count = 0;
    const U: Float64Array[] = [];
    for (let k = 0; k < K; k++) {
      const a = this.iterates[k] as Float64Array;
      const b = this.iterates[k + 1] as Float64Array;
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = (b[i] as number) - (a[i] as number);
      U.push(d);
    }
    const C = new Float64Array(K * K);
    let trace = 0;
    for (let p = 0; p < K; p++) {
      for (let q = 0; q <= p; q++) {
        const u = U[p] as Float64Array;
        const v = U[q] as Float64Array;
        let s = 0;
        for (let i = 0; i < n; i++) s += (u[i] as number) * (v[i] as number);
        C[p * K + q] = s;
        C[q * K + p] = s;
      }
      trace += C[p * K + p] as number;
    }
    if (!(trace > 0) || !Number.isFinite(trace)) return false;
    // a tiny ridge keeps the nearly collinear differences of a converging sequence solvable
    for (let p = 0; p < K; p++) C[p * K + p] = (C[p * K + p] as number) + 1e-10 * trace;
    const z = new Float64Array(K).fill(1);
    if (!solveSpd(C, K, z)) return false;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] as number;
    if (!(Math.abs(sum) > 0) || !Number.isFinite(sum)) return false;
    for (let k = 0; k < K; k++) out[k] = (z[k] as number) / sum;
    return true;
  }

  /** `out = Σ_k c_k x_k` over the stored iterates `x_1 … x_K` (call before the next push). */
  combine(c: Float64Array, out: Float64Array): void {
    out.fill(0, 0, this.length);
    for (let k = 0; k < this.depth; k++) {
      const ck = c[k] as number;
      const xk = this.iterates[k + 1] as Float64Array;
      for (let i = 0; i < this.length; i++) out[i] = (out[i] as number) + ck * (xk[i] as number);
    }
  }
}

/** Solves `C z = b` in place (`C` symmetric positive definite, overwritten by its Cholesky factor). */
function solveSpd(C: Float64Array, n: number, b: Float64Array): boolean {
  for (let j = 0; j < n; j++) {
    let d = C[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (C[j * n + k] as number) ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    C[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = C[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (C[i * n + k] as number) * (C[j * n + k] as number);
      C[i * n + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (C[i * n + k] as number) * (b[k] as number);
    b[i] = s / (C[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (C[k * n + i] as number) * (b[k] as number);
    b[i] = s / (C[i * n + i] as number);
  }
  return true;
}
