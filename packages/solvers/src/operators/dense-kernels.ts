/**
 * Dense matrix–vector kernels for the operators, specialized to unit column stride (the
 * general strided `gemv` of `@convexformer/tensors` runs at a quarter of this speed on
 * memory-bound sizes: 0.3 vs 1.3 GFLOP/s for 2,000 × 5,000). `A[i, j] = a[offset + i·ld + j]`.
 * @internal
 */

/** `y = A x` for the `m × n` block. @internal */
export function denseApply(
  a: Float64Array,
  ld: number,
  offset: number,
  m: number,
  n: number,
  x: Float64Array,
  y: Float64Array,
): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    const b = offset + i * ld;
    const c = b + ld;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const x0 = x[j] as number;
      const x1 = x[j + 1] as number;
      s0 += (a[b + j] as number) * x0;
      s1 += (a[b + j + 1] as number) * x1;
      t0 += (a[c + j] as number) * x0;
      t1 += (a[c + j + 1] as number) * x1;
    }
    if (j < n) {
      const xj = x[j] as number;
      s0 += (a[b + j] as number) * xj;
      t0 += (a[c + j] as number) * xj;
    }
    y[i] = s0 + s1;
    y[i + 1] = t0 + t1;
  }
  for (; i < m; i++) {
    let s = 0;
    const b = offset + i * ld;
    for (let j = 0; j < n; j++) s += (a[b + j] as number) * (x[j] as number);
    y[i] = s;
  }
}

/** `z = Aᵀ r` for the `m × n` block (four rows at a time, so `z` is streamed `m/4` times). @internal */
export function denseAdjoint(
  a: Float64Array,
  ld: number,
  offset: number,
  m: number,
  n: number,
  r: Float64Array,
  z: Float64Array,
): void {
  z.fill(0, 0, n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = r[i] as number;
    const a1 = r[i + 1] as number;
    const a2 = r[i + 2] as number;
    const a3 = r[i + 3] as number;
    if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
    const b0 = offset + i * ld;
    const b1 = b0 + ld;
    const b2 = b1 + ld;
    const b3 = b2 + ld;
    for (let j = 0; j < n; j++) {
      z[j] =
        (z[j] as number) +
        a0 * (a[b0 + j] as number) +
        a1 * (a[b1 + j] as number) +
        a2 * (a[b2 + j] as number) +
        a3 * (a[b3 + j] as number);
    }
  }
  for (; i < m; i++) {
    const ai = r[i] as number;
    if (ai === 0) continue;
    const b = offset + i * ld;
    for (let j = 0; j < n; j++) z[j] = (z[j] as number) + ai * (a[b + j] as number);
  }
}
