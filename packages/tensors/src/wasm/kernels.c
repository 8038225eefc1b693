/*
 * Float64 WebAssembly SIMD128 (f64x2) kernels of @convexformer/tensors.
 *
 * Built by packages/tensors/scripts/build-wasm.mjs with Debian clang 14:
 *   clang --target=wasm32 -msimd128 -O3 -nostdlib ... + wasm-ld
 * twice: once with a plain imported memory (one thread, every browser) and once with an
 * imported shared memory (-matomics -mbulk-memory, --shared-memory) for worker threads.
 *
 * Conventions: every pointer is a byte address in the imported linear memory, every matrix is
 * read through element strides (s1, s2): entry (i, j) is p[i*s1 + j*s2]. No function uses the
 * C stack, globals or static data (the build checks that __stack_pointer is never touched), so
 * several instances sharing one memory can run these functions concurrently on disjoint
 * outputs and workspaces.
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 4
#define KC 256
#define MC 128
#define NC 1024

typedef int i32;

/* Doubles needed by the packing workspace of dgemm (MC*KC for A, KC*NC for B). */
__attribute__((export_name("dgemm_work_doubles"))) i32 dgemm_work_doubles(void) {
  return MC * KC + KC * NC;
}

/* C = beta * C over an M x N view (beta = 0 writes zeros, ignoring NaN in C). */
static void scale_c(i32 M, i32 N, double beta, double *C, i32 c1, i32 c2) {
  if (beta == 1.0) return;
  for (i32 i = 0; i < M; i++) {
    double *row = C + i * c1;
    if (c2 == 1) {
      i32 j = 0;
      if (beta == 0.0) {
        v128_t z = wasm_f64x2_splat(0.0);
        for (; j + 2 <= N; j += 2) wasm_v128_store(row + j, z);
        for (; j < N; j++) row[j] = 0.0;
      } else {
        v128_t b = wasm_f64x2_splat(beta);
        for (; j + 2 <= N; j += 2) wasm_v128_store(row + j, wasm_f64x2_mul(b, wasm_v128_load(row + j)));
        for (; j < N; j++) row[j] = beta * row[j];
      }
    } else {
      for (i32 j = 0; j < N; j++) row[j * c2] = beta == 0.0 ? 0.0 : beta * row[j * c2];
    }
  }
}

/*
 * Packs an mc x kc block of op(A) (entry (i, p) at A[i*a1 + p*a2]) into MR-row panels:
 * panel q holds, for each p, alpha * op(A)[q*MR + r, p] for r < MR, zero-padded past mc.
 */
static void pack_a(i32 mc, i32 kc, double alpha, const double *A, i32 a1, i32 a2, double *out) {
  for (i32 i0 = 0; i0 < mc; i0 += MR) {
    i32 w = mc - i0 < MR ? mc - i0 : MR;
    const double *base = A + i0 * a1;
    if (w == MR) {
      const double *r0 = base, *r1 = base + a1, *r2 = base + 2 * a1, *r3 = base + 3 * a1;
      for (i32 p = 0; p < kc; p++) {
        i32 o = p * a2;
        out[0] = alpha * r0[o];
        out[1] = alpha * r1[o];
        out[2] = alpha * r2[o];
        out[3] = alpha * r3[o];
        out += MR;
      }
    } else {
      for (i32 p = 0; p < kc; p++) {
        i32 r = 0;
        for (; r < w; r++) out[r] = alpha * base[r * a1 + p * a2];
        for (; r < MR; r++) out[r] = 0.0;
        out += MR;
      }
    }
  }
}

/*
 * Packs a kc x nc block of op(B) (entry (p, j) at B[p*b1 + j*b2]) into NR-column panels:
 * panel q holds, for each p, op(B)[p, q*NR + c] for c < NR, zero-padded past nc.
 */
static void pack_b(i32 kc, i32 nc, const double *B, i32 b1, i32 b2, double *out) {
  for (i32 j0 = 0; j0 < nc; j0 += NR) {
    i32 w = nc - j0 < NR ? nc - j0 : NR;
    const double *base = B + j0 * b2;
    if (w == NR && b2 == 1) {
      for (i32 p = 0; p < kc; p++) {
        const double *src = base + p * b1;
        wasm_v128_store(out, wasm_v128_load(src));
        wasm_v128_store(out + 2, wasm_v128_load(src + 2));
        out += NR;
      }
    } else if (w == NR) {
      const double *c0 = base, *c1 = base + b2, *c2 = base + 2 * b2, *c3 = base + 3 * b2;
      for (i32 p = 0; p < kc; p++) {
        i32 o = p * b1;
        out[0] = c0[o];
        out[1] = c1[o];
        out[2] = c2[o];
        out[3] = c3[o];
        out += NR;
      }
    } else {
      for (i32 p = 0; p < kc; p++) {
        i32 c = 0;
        for (; c < w; c++) out[c] = base[p * b1 + c * b2];
        for (; c < NR; c++) out[c] = 0.0;
        out += NR;
      }
    }
  }
}

/* c[0:nr*c2:c2] += the first nr lanes of (lo, hi). */
static inline void put_row(double *c, i32 c2, i32 nr, v128_t lo, v128_t hi) {
  c[0] += wasm_f64x2_extract_lane(lo, 0);
  if (nr > 1) c[c2] += wasm_f64x2_extract_lane(lo, 1);
  if (nr > 2) c[2 * c2] += wasm_f64x2_extract_lane(hi, 0);
  if (nr > 3) c[3 * c2] += wasm_f64x2_extract_lane(hi, 1);
}

/*
 * The 4 x 4 register tile: C[0:mr, 0:nr] += Ap-panel * Bp-panel over kc, eight f64x2
 * accumulators (rows of the tile, two vectors per row).
 */
static void micro_4x4(i32 kc, const double *Ap, const double *Bp, double *C, i32 c1, i32 c2,
                      i32 mr, i32 nr) {
  v128_t c00 = wasm_f64x2_splat(0.0), c01 = c00, c10 = c00, c11 = c00;
  v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (i32 p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(Bp);
    v128_t b1 = wasm_v128_load(Bp + 2);
    v128_t a0 = wasm_v128_load64_splat(Ap);
    v128_t a1 = wasm_v128_load64_splat(Ap + 1);
    v128_t a2 = wasm_v128_load64_splat(Ap + 2);
    v128_t a3 = wasm_v128_load64_splat(Ap + 3);
    c00 = wasm_f64x2_add(c00, wasm_f64x2_mul(a0, b0));
    c01 = wasm_f64x2_add(c01, wasm_f64x2_mul(a0, b1));
    c10 = wasm_f64x2_add(c10, wasm_f64x2_mul(a1, b0));
    c11 = wasm_f64x2_add(c11, wasm_f64x2_mul(a1, b1));
    c20 = wasm_f64x2_add(c20, wasm_f64x2_mul(a2, b0));
    c21 = wasm_f64x2_add(c21, wasm_f64x2_mul(a2, b1));
    c30 = wasm_f64x2_add(c30, wasm_f64x2_mul(a3, b0));
    c31 = wasm_f64x2_add(c31, wasm_f64x2_mul(a3, b1));
    Ap += MR;
    Bp += NR;
  }
  if (mr == MR && nr == NR && c2 == 1) {
    double *r0 = C, *r1 = C + c1, *r2 = C + 2 * c1, *r3 = C + 3 * c1;
    wasm_v128_store(r0, wasm_f64x2_add(wasm_v128_load(r0), c00));
    wasm_v128_store(r0 + 2, wasm_f64x2_add(wasm_v128_load(r0 + 2), c01));
    wasm_v128_store(r1, wasm_f64x2_add(wasm_v128_load(r1), c10));
    wasm_v128_store(r1 + 2, wasm_f64x2_add(wasm_v128_load(r1 + 2), c11));
    wasm_v128_store(r2, wasm_f64x2_add(wasm_v128_load(r2), c20));
    wasm_v128_store(r2 + 2, wasm_f64x2_add(wasm_v128_load(r2 + 2), c21));
    wasm_v128_store(r3, wasm_f64x2_add(wasm_v128_load(r3), c30));
    wasm_v128_store(r3 + 2, wasm_f64x2_add(wasm_v128_load(r3 + 2), c31));
    return;
  }
  /* edge tile or strided C: scalar write-back of the valid mr x nr part */
  put_row(C, c2, nr, c00, c01);
  if (mr > 1) put_row(C + c1, c2, nr, c10, c11);
  if (mr > 2) put_row(C + 2 * c1, c2, nr, c20, c21);
  if (mr > 3) put_row(C + 3 * c1, c2, nr, c30, c31);
}

/*
 * C = alpha * op(A) * op(B) + beta * C with op(A) M x K (strides a1, a2), op(B) K x N
 * (strides b1, b2), C M x N (strides c1, c2). work: dgemm_work_doubles() doubles, 16-aligned.
 */
__attribute__((export_name("dgemm"))) void dgemm(i32 M, i32 N, i32 K, double alpha,
                                                 const double *A, i32 a1, i32 a2,
                                                 const double *B, i32 b1, i32 b2, double beta,
                                                 double *C, i32 c1, i32 c2, double *work) {
  scale_c(M, N, beta, C, c1, c2);
  if (alpha == 0.0 || M == 0 || N == 0 || K == 0) return;
  double *Ap = work;
  double *Bp = work + MC * KC;
  for (i32 jc = 0; jc < N; jc += NC) {
    i32 nc = N - jc < NC ? N - jc : NC;
    for (i32 pc = 0; pc < K; pc += KC) {
      i32 kc = K - pc < KC ? K - pc : KC;
      pack_b(kc, nc, B + pc * b1 + jc * b2, b1, b2, Bp);
      for (i32 ic = 0; ic < M; ic += MC) {
        i32 mc = M - ic < MC ? M - ic : MC;
        pack_a(mc, kc, alpha, A + ic * a1 + pc * a2, a1, a2, Ap);
        for (i32 jr = 0; jr < nc; jr += NR) {
          i32 nr = nc - jr < NR ? nc - jr : NR;
          const double *bp = Bp + jr * kc;
          for (i32 ir = 0; ir < mc; ir += MR) {
            i32 mr = mc - ir < MR ? mc - ir : MR;
            micro_4x4(kc, Ap + ir * kc, bp, C + (ic + ir) * c1 + (jc + jr) * c2, c1, c2, mr, nr);
          }
        }
      }
    }
  }
}

/*
 * y = alpha * op(A) * x + beta * y, the stored A M x N (strides a1, a2); op(A) = A
 * (trans = 0: x has N entries, y M) or A^T (trans = 1: x has M entries, y N). x, y contiguous.
 */
__attribute__((export_name("dgemv"))) void dgemv(i32 trans, i32 M, i32 N, double alpha,
                                                 const double *A, i32 a1, i32 a2,
                                                 const double *x, double beta, double *y) {
  i32 ylen = trans ? N : M;
  scale_c(1, ylen, beta, y, 0, 1);
  if (alpha == 0.0 || M == 0 || N == 0) return;
  if (!trans) {
    if (a2 == 1) {
      i32 i = 0;
      for (; i + 2 <= M; i += 2) {
        const double *r0 = A + i * a1, *r1 = r0 + a1;
        v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0, t0 = s0, t1 = s0;
        i32 j = 0;
        for (; j + 4 <= N; j += 4) {
          v128_t x0 = wasm_v128_load(x + j), x1 = wasm_v128_load(x + j + 2);
          s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(r0 + j), x0));
          t0 = wasm_f64x2_add(t0, wasm_f64x2_mul(wasm_v128_load(r0 + j + 2), x1));
          s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_v128_load(r1 + j), x0));
          t1 = wasm_f64x2_add(t1, wasm_f64x2_mul(wasm_v128_load(r1 + j + 2), x1));
        }
        s0 = wasm_f64x2_add(s0, t0);
        s1 = wasm_f64x2_add(s1, t1);
        double d0 = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
        double d1 = wasm_f64x2_extract_lane(s1, 0) + wasm_f64x2_extract_lane(s1, 1);
        for (; j < N; j++) {
          d0 += r0[j] * x[j];
          d1 += r1[j] * x[j];
        }
        y[i] += alpha * d0;
        y[i + 1] += alpha * d1;
      }
      for (; i < M; i++) {
        const double *r0 = A + i * a1;
        v128_t s0 = wasm_f64x2_splat(0.0);
        i32 j = 0;
        for (; j + 2 <= N; j += 2)
          s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(r0 + j), wasm_v128_load(x + j)));
        double d0 = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
        for (; j < N; j++) d0 += r0[j] * x[j];
        y[i] += alpha * d0;
      }
    } else {
      for (i32 i = 0; i < M; i++) {
        double s = 0.0;
        for (i32 j = 0; j < N; j++) s += A[i * a1 + j * a2] * x[j];
        y[i] += alpha * s;
      }
    }
    return;
  }
  /* y_j += alpha * sum_i A_ij x_i: axpy of rows of A into y */
  if (a2 == 1) {
    i32 i = 0;
    for (; i + 2 <= M; i += 2) {
      const double *r0 = A + i * a1, *r1 = r0 + a1;
      double s0 = alpha * x[i], s1 = alpha * x[i + 1];
      v128_t v0 = wasm_f64x2_splat(s0), v1 = wasm_f64x2_splat(s1);
      i32 j = 0;
      for (; j + 2 <= N; j += 2) {
        v128_t acc = wasm_v128_load(y + j);
        acc = wasm_f64x2_add(acc, wasm_f64x2_mul(v0, wasm_v128_load(r0 + j)));
        acc = wasm_f64x2_add(acc, wasm_f64x2_mul(v1, wasm_v128_load(r1 + j)));
        wasm_v128_store(y + j, acc);
      }
      for (; j < N; j++) y[j] = (y[j] + s0 * r0[j]) + s1 * r1[j];
    }
    for (; i < M; i++) {
      const double *r0 = A + i * a1;
      double s0 = alpha * x[i];
      v128_t v0 = wasm_f64x2_splat(s0);
      i32 j = 0;
      for (; j + 2 <= N; j += 2)
        wasm_v128_store(y + j, wasm_f64x2_add(wasm_v128_load(y + j), wasm_f64x2_mul(v0, wasm_v128_load(r0 + j))));
      for (; j < N; j++) y[j] += s0 * r0[j];
    }
  } else {
    for (i32 i = 0; i < M; i++) {
      double s = alpha * x[i];
      for (i32 j = 0; j < N; j++) y[j] += s * A[i * a1 + j * a2];
    }
  }
}

/*
 * C = (D ⊙ T) + beta * C: T compact M x N (row-major), D an M x N byte mask (compact,
 * nonzero keeps), C with strides (c1, c2). beta = 0 overwrites C.
 */
__attribute__((export_name("dmask_combine"))) void dmask_combine(i32 M, i32 N, const double *T,
                                                                 const unsigned char *D,
                                                                 double beta, double *C, i32 c1,
                                                                 i32 c2) {
  for (i32 i = 0; i < M; i++) {
    const double *t = T + i * N;
    const unsigned char *d = D + i * N;
    double *c = C + i * c1;
    if (beta == 0.0) {
      for (i32 j = 0; j < N; j++) c[j * c2] = d[j] ? t[j] : 0.0;
    } else {
      for (i32 j = 0; j < N; j++) c[j * c2] = (d[j] ? t[j] : 0.0) + beta * c[j * c2];
    }
  }
}

/* R = D ⊙ R in place over n compact entries (D a byte mask, nonzero keeps). */
__attribute__((export_name("dmask_inplace"))) void dmask_inplace(i32 n, double *R,
                                                                 const unsigned char *D) {
  for (i32 i = 0; i < n; i++)
    if (!D[i]) R[i] = 0.0;
}

/* y += x over n compact entries (the reduction of a K-split product). */
__attribute__((export_name("daxpy1"))) void daxpy1(i32 n, const double *x, double *y) {
  i32 i = 0;
  for (; i + 2 <= n; i += 2) wasm_v128_store(y + i, wasm_f64x2_add(wasm_v128_load(y + i), wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] += x[i];
}

/*
 * Gated sums (the forward map of a gated design, after T = X Z^T): for every row i < N,
 * y[i*c + l] = sum over blocks t < K with out[t] = l of G[i*P + gate[t]] * T[i*K + t], with T
 * compact N x K, G an N x P byte mask (nonzero: the gate is on, counted as the factor 1), y
 * compact N x c (overwritten). The blocks are added in order t = 0, 1, ... (the same order as
 * the JS kernel, so both give the same bits).
 */
__attribute__((export_name("dgated_sum"))) void dgated_sum(i32 N, i32 K, const double *T,
                                                           const unsigned char *G, i32 P,
                                                           const i32 *gate, const i32 *out, i32 c,
                                                           double *y) {
  for (i32 i = 0; i < N; i++) {
    const double *t = T + i * K;
    const unsigned char *g = G + i * P;
    double *yi = y + i * c;
    if (c == 1) {
      double s = 0.0;
      /* scalar on purpose: vectorized, the gathered mask bytes cost more lane moves than they
         save; the byte (0 or 1: gated designs keep their masks so) converts to the factor without a select, which V8
         compiles to a branch that random gates mispredict */
#pragma clang loop vectorize(disable) interleave(disable)
      for (i32 k = 0; k < K; k++) s += t[k] * (double)g[gate[k]];
      yi[0] = s;
    } else {
      for (i32 l = 0; l < c; l++) yi[l] = 0.0;
#pragma clang loop vectorize(disable) interleave(disable)
      for (i32 k = 0; k < K; k++) yi[out[k]] += t[k] * (double)g[gate[k]];
    }
  }
}

/*
 * Gated residual expansion (the first half of a gated design's adjoint): for every row i < N
 * and block t < K, M[i*K + t] = r[i*c + out[t]] * G[i*P + gate[t]] (mask bytes 0 or 1),
 * with r compact N x c and M compact N x K.
 */
__attribute__((export_name("dgated_expand"))) void dgated_expand(i32 N, i32 K, const double *r,
                                                                 i32 c, const unsigned char *G,
                                                                 i32 P, const i32 *gate,
                                                                 const i32 *out, double *M) {
  for (i32 i = 0; i < N; i++) {
    const double *ri = r + i * c;
    const unsigned char *g = G + i * P;
    double *m = M + i * K;
#pragma clang loop vectorize(disable) interleave(disable)
    for (i32 k = 0; k < K; k++) m[k] = ri[out[k]] * (double)g[gate[k]];
  }
}
