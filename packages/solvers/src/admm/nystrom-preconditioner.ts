import { createRng } from "@convexformer/tensors";

/**
 * A randomized Nyström approximation `Ĥ = U Λ Uᵀ` of a positive semidefinite operator `H`
 * (Tropp, Yurtsever, Udell and Cevher 2017; used as a preconditioner by NysADMM and CRONOS),
 * and the preconditioner of `H + ρI` it defines:
 * `P⁻¹ = U diag((λ_min + ρ)/(λ + ρ)) Uᵀ + (I − UUᵀ)`. Building it costs `rank` products with
 * `H`; applying it `O(n · rank)`. @internal
 */
export interface NystromPreconditioner {
  /** The rank actually kept (eigenvalues above zero). */
  readonly rank: number;
  /** The approximate top eigenvalues, decreasing. */
  readonly eigenvalues: Float64Array;
  /** `out = P⁻¹ v` for the shift `ρ`. */
  apply(v: Float64Array, rho: number, out: Float64Array): void;
}

/**
 * Sketches `H` (given by `product(v, out)`, `out = H v`, on vectors of length `n`) with
 * `rank` Gaussian test vectors (seeded) and returns the preconditioner, or `undefined` when
 * `interrupted()` turns true between products. @internal
 */
export function nystromPreconditioner(
  n: number,
  rank: number,
  product: (v: Float64Array, out: Float64Array) => void,
  interrupted: () => boolean,
  seed = 1,
): NystromPreconditioner | undefined {
  const r = Math.max(1, Math.min(rank, n));
  const rng = createRng(seed);
  // orthonormal test matrix Ω (modified Gram–Schmidt on Gaussian columns)
  const omega: Float64Array[] = [];
  for (let k = 0; k < r; k++) {
    const w = rng.fillNormal(new Float64Array(n));
    for (const q of omega) axpy(-dot(q, w), q, w);
    const nw = Math.sqrt(dot(w, w));
    if (!(nw > 0)) continue;
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) / nw;
    omega.push(w);
  }
  const k = omega.length;
  const Y: Float64Array[] = [];
  let frob = 0;
  for (const w of omega) {
    if (interrupted()) return undefined;
    const y = new Float64Array(n);
    product(w, y);
    frob += dot(y, y);
    Y.push(y);
  }
  // shift ν for stability, Y_ν = Y + νΩ, M = Ωᵀ Y_ν = L Lᵀ, B = Y_ν L⁻ᵀ
  let nu = Math.sqrt(n) * 2.220446049250313e-16 * Math.sqrt(frob);
  if (!(nu > 0)) nu = 1e-300;
  let L: Float64Array | undefined;
  for (let attempt = 0; attempt < 8 && L === undefined; attempt++, nu *= 100) {
    const M = new Float64Array(k * k);
    for (let p = 0; p < k; p++) {
      for (let q = 0; q <= p; q++) {
        const s =
          0.5 *
          (dot(omega[p] as Float64Array, Y[q] as Float64Array) +
            dot(omega[q] as Float64Array, Y[p] as Float64Array));
        M[p * k + q] = s + (p === q ? nu : 0);
      }
    }
    L = choleskyLower(M, k);
  }
  if (L === undefined) return identity(n);
  for (let p = 0; p < k; p++) axpy(nu, omega[p] as Float64Array, Y[p] as Float64Array);
  // rows of B: L b_iᵀ = (Y_ν)_iᵀ, stored column-wise like Y
  const B = Y; // overwritten in place
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      let s = (B[p] as Float64Array)[i] as number;
      for (let q = 0; q < p; q++) s -= (L[p * k + q] as number) * (row[q] as number);
      row[p] = s / (L[p * k + p] as number);
    }
    for (let p = 0; p < k; p++) (B[p] as Float64Array)[i] = row[p] as number;
  }
  // B = U Σ Vᵀ through the eigendecomposition of BᵀB = V Σ² Vᵀ
  const BtB = new Float64Array(k * k);
  for (let p = 0; p < k; p++)
    for (let q = 0; q <= p; q++) {
      const s = dot(B[p] as Float64Array, B[q] as Float64Array);
      BtB[p * k + q] = s;
      BtB[q * k + p] = s;
    }
  const { values, vectors } = jacobiEigen(BtB, k);
  const order = Array.from({ length: k }, (_, i) => i).sort(
    (a, b) => (values[b] as number) - (values[a] as number),
  );
  const U: Float64Array[] = [];
  const lam: number[] = [];
  for (const j of order) {
    const s2 = values[j] as number;
    const l = s2 - nu;
    if (!(s2 > 0) || !(l > 0)) continue;
    const sigma = Math.sqrt(s2);
    const u = new Float64Array(n);
    for (let p = 0; p < k; p++)
      axpy((vectors[p * k + j] as number) / sigma, B[p] as Float64Array, u);
    U.push(u);
    lam.push(l);
  }
  if (U.length === 0) return identity(n);
  const eigenvalues = Float64Array.from(lam);
  const lmin = lam[lam.length - 1] as number;
  const coef = new Float64Array(U.length);
  return {
    rank: U.length,
    eigenvalues,
    apply(v, rho, out) {
      out.set(v);
      for (let p = 0; p < U.length; p++) {
        const c = dot(U[p] as Float64Array, v);
        coef[p] = c * ((lmin + rho) / ((eigenvalues[p] as number) + rho) - 1);
      }
      for (let p = 0; p < U.length; p++) axpy(coef[p] as number, U[p] as Float64Array, out);
    },
  };
}

function identity(n: number): NystromPreconditioner {
  void n;
  return { rank: 0, eigenvalues: new Float64Array(0), apply: (v, _rho, out) => out.set(v) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
  }
  if (i < n) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1;
}

/** `y += a x`. */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}

/** The lower Cholesky factor of the (lower triangle of the) `n × n` matrix, or `undefined`. */
function choleskyLower(m: Float64Array, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = m[j * n + j] as number;
    for (let q = 0; q < j; q++) d -= (L[j * n + q] as number) ** 2;
    if (!(d > 0)) return undefined;
    const l = Math.sqrt(d);
    L[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = m[i * n + j] as number;
      for (let q = 0; q < j; q++) s -= (L[i * n + q] as number) * (L[j * n + q] as number);
      L[i * n + j] = s / l;
    }
  }
  return L;
}

/** Cyclic Jacobi eigendecomposition of a symmetric `n × n` matrix (small `n`): `A = V diag(values) Vᵀ`. */
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += (A[p * n + p] as number) ** 2;
      for (let q = p + 1; q < n; q++) off += (A[p * n + q] as number) ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q] as number;
        if (apq === 0) continue;
        const app = A[p * n + p] as number;
        const aqq = A[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p] as number;
          const akq = A[k * n + q] as number;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k] as number;
          const aqk = A[q * n + k] as number;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p] as number;
          const vkq = V[k * n + q] as number;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i] as number;
  return { values, vectors: V };
}
