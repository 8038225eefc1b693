import type { Transpose } from "./transpose.js";
import { validateExtent, validateStrided2d, validateTranspose } from "./validate-strided.js";

// Blocking parameters (measured on 2-core x86-64, Node 20): a 4×4 register tile over packed
// panels, KC-deep, MC rows of A and NC columns of B per packed block.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 2048;
/** Below this many multiply-adds the packing overhead is not worth it. */
const SMALL = 32 * 32 * 32;
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const tile = new Float64Array(MR * NR);
/**
 * {@link gemm} on the plain JS kernel only (never WebAssembly): the fallback and the reference
 * the WebAssembly kernels are tested against. Same arguments and checks as {@link gemm}.
 *
 * @internal
 */
export function jsGemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): void {
  const [a1, a2, b1, b2] = checkGemm(
    transA,
    transB,
    M,
    N,
    K,
    A,
    strideA1,
    strideA2,
    offsetA,
    B,
    strideB1,
    strideB2,
    offsetB,
    C,
    strideC1,
    strideC2,
    offsetC,
  );
  runJsGemm(
    M,
    N,
    K,
    alpha,
    A,
    a1,
    a2,
    offsetA,
    B,
    b1,
    b2,
    offsetB,
    beta,
    C,
    strideC1,
    strideC2,
    offsetC,
  );
}

/** Validates gemm's arguments; the (row, column) strides of `op(A)` and `op(B)`. @internal */
export function checkGemm(
  transA: Transpose,
  transB: Transpose,
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  B: Float64Array,
  strideB1: number,
  strideB2: number,
  offsetB: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): [number, number, number, number] {
  validateTranspose("transA", transA);
  validateTranspose("transB", transB);
  validateExtent("M", M);
  validateExtent("N", N);
  validateExtent("K", K);
  const ta = transA === "transpose";
  const tb = transB === "transpose";
  validateStrided2d("A", A, ta ? K : M, ta ? M : K, strideA1, strideA2, offsetA);
  validateStrided2d("B", B, tb ? N : K, tb ? K : N, strideB1, strideB2, offsetB);
  validateStrided2d("C", C, M, N, strideC1, strideC2, offsetC);
  return [
    ta ? strideA2 : strideA1,
    ta ? strideA1 : strideA2,
    tb ? strideB2 : strideB1,
    tb ? strideB1 : strideB2,
  ];
}

/** The JS kernel on validated arguments (strides of `op(A)`, `op(B)` as `checkGemm` returns them). @internal */
export function runJsGemm(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  a1: number,
  a2: number,
  offsetA: number,
  B: Float64Array,
  b1: number,
  b2: number,
  offsetB: number,
  beta: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
): void {
  scaleC(M, N, beta, C, strideC1, strideC2, offsetC);
  if (alpha === 0 || M === 0 || N === 0 || K === 0) return;
  if (M * N * K <= SMALL) {
    smallGemm(
      M,
      N,
      K,
      alpha,
      A,
      a1,
      a2,
      offsetA,
      B,
      b1,
      b2,
      offsetB,
      C,
      strideC1,
      strideC2,
      offsetC,
    );
    return;
  }
  blockedGemm(
    M,
    N,
    K,
    alpha,
    A,
    a1,
    a2,
    offsetA,
    B,
    b1,
    b2,
    offsetB,
    C,
    strideC1,
    strideC2,
    offsetC,
  );
}

function scaleC(
  M: number,
  N: number,
  beta: number,
  C: Float64Array,
  c1: number,
  c2: number,
  oc: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    let idx = oc + i * c1;
    if (beta === 0) {
      for (let j = 0; j < N; j++, idx += c2) C[idx] = 0;
    } else {
      for (let j = 0; j < N; j++, idx += c2) C[idx] = beta * (C[idx] as number);
    }
  }
}

function smallGemm(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  a1: number,
  a2: number,
  oa: number,
  B: Float64Array,
  b1: number,
  b2: number,
  ob: number,
  C: Float64Array,
  c1: number,
  c2: number,
  oc: number,
): void {
  for (let i = 0; i < M; i++) {
    const ci = oc + i * c1;
    for (let p = 0; p < K; p++) {
      const a = alpha * (A[oa + i * a1 + p * a2] as number);
      if (a === 0) continue;
      let bi = ob + p * b1;
      let cj = ci;
      for (let j = 0; j < N; j++, bi += b2, cj += c2)
        C[cj] = (C[cj] as number) + a * (B[bi] as number);
    }
  }
}

function blockedGemm(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  a1: number,
  a2: number,
  oa: number,
  B: Float64Array,
  b1: number,
  b2: number,
  ob: number,
  C: Float64Array,
  c1: number,
  c2: number,
  oc: number,
): void {
  const ncMax = Math.min(NC, N);
  const needB = KC * (Math.ceil(ncMax / NR) * NR);
  if (packB.length < needB) packB = new Float64Array(needB);
  const needA = KC * (Math.ceil(Math.min(MC, M) / MR) * MR);
  if (packA.length < needA) packA = new Float64Array(needA);
  const Ap = packA;
  const Bp = packB;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanels(Bp, B, ob + pc * b1 + jc * b2, b2, b1, nc, kc, NR);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanels(Ap, A, oa + ic * a1 + pc * a2, a1, a2, mc, kc, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bBase = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            microKernel4x4(Ap, ir * kc, Bp, bBase, kc, tile);
            let cRow = oc + (ic + ir) * c1 + (jc + jr) * c2;
            for (let r = 0; r < mr; r++, cRow += c1) {
              let cIdx = cRow;
              for (let c = 0; c < nr; c++, cIdx += c2) {
                C[cIdx] = (C[cIdx] as number) + alpha * (tile[r * NR + c] as number);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Packs an `extent × depth` block (entry `(e, p)` at `base + e·eStride + p·pStride`) into
 * panels of `width` rows: panel `q` holds, for each `p`, the `width` entries `e = q·width + r`,
 * zero-padded past `extent`.
 */
function packPanels(
  out: Float64Array,
  src: Float64Array,
  base: number,
  eStride: number,
  pStride: number,
  extent: number,
  depth: number,
  width: number,
): void {
  let o = 0;
  for (let e0 = 0; e0 < extent; e0 += width) {
    const w = Math.min(width, extent - e0);
    const rowBase = base + e0 * eStride;
    for (let p = 0; p < depth; p++) {
      let idx = rowBase + p * pStride;
      let r = 0;
      for (; r < w; r++, idx += eStride) out[o++] = src[idx] as number;
      for (; r < width; r++) out[o++] = 0;
    }
  }
}

function microKernel4x4(
  Ap: Float64Array,
  ai: number,
  Bp: Float64Array,
  bi: number,
  kc: number,
  out: Float64Array,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ai] as number;
    const a1 = Ap[ai + 1] as number;
    const a2 = Ap[ai + 2] as number;
    const a3 = Ap[ai + 3] as number;
    const b0 = Bp[bi] as number;
    const b1 = Bp[bi + 1] as number;
    const b2 = Bp[bi + 2] as number;
    const b3 = Bp[bi + 3] as number;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  out[0] = c00;
  out[1] = c01;
  out[2] = c02;
  out[3] = c03;
  out[4] = c10;
  out[5] = c11;
  out[6] = c12;
  out[7] = c13;
  out[8] = c20;
  out[9] = c21;
  out[10] = c22;
  out[11] = c23;
  out[12] = c30;
  out[13] = c31;
  out[14] = c32;
  out[15] = c33;
}
