import { createRng } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { nystromPreconditioner } from "./nystrom-preconditioner.js";

/** `H = Q diag(d) Qᵀ` with orthonormal `Q` (n × d.length), as a product. */
function lowRank(n: number, d: number[], seed: number) {
  const rng = createRng(seed);
  const Q: Float64Array[] = [];
  for (let k = 0; k < d.length; k++) {
    const w = rng.fillNormal(new Float64Array(n));
    for (const q of Q) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (q[i] as number) * (w[i] as number);
      for (let i = 0; i < n; i++) w[i] = (w[i] as number) - s * (q[i] as number);
    }
    let nw = 0;
    for (let i = 0; i < n; i++) nw += (w[i] as number) ** 2;
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) / Math.sqrt(nw);
    Q.push(w);
  }
  return (v: Float64Array, out: Float64Array) => {
    out.fill(0);
    Q.forEach((q, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (q[i] as number) * (v[i] as number);
      for (let i = 0; i < n; i++)
        out[i] = (out[i] as number) + (d[k] as number) * s * (q[i] as number);
    });
  };
}

describe("nystromPreconditioner", () => {
  it("recovers the eigenvalues of a low-rank operator exactly when the sketch covers its rank", () => {
    const H = lowRank(30, [9, 4, 1], 2);
    const P = nystromPreconditioner(30, 6, H, () => false);
    expect(P).toBeDefined();
    const ev = Array.from(P?.eigenvalues ?? []).slice(0, 3);
    expect(ev[0]).toBeCloseTo(9, 8);
    expect(ev[1]).toBeCloseTo(4, 8);
    expect(ev[2]).toBeCloseTo(1, 8);
  });

  it("maps an eigenvector u of H + ρI (eigenvalue λ + ρ) to u·(λ_min + ρ)/(λ + ρ)", () => {
    // rank-2 sketch of a rank-2 operator: λ_min = 1; ρ = 0.5, λ = 4 → factor 1.5 / 4.5
    const n = 12;
    const H = lowRank(n, [4, 1], 5);
    const P = nystromPreconditioner(n, 2, H, () => false);
    if (P === undefined) throw new Error("no preconditioner");
    // the top eigenvector by power iteration on H
    let u = new Float64Array(n).fill(1);
    const t = new Float64Array(n);
    for (let it = 0; it < 200; it++) {
      H(u, t);
      const nt = Math.hypot(...t);
      u = t.map((v) => v / nt);
    }
    const out = new Float64Array(n);
    P.apply(u, 0.5, out);
    for (let i = 0; i < n; i++) expect(out[i]).toBeCloseTo(((u[i] as number) * 1.5) / 4.5, 8);
  });

  it("returns undefined when interrupted during the sketch", () => {
    const H = lowRank(10, [1], 1);
    let calls = 0;
    expect(nystromPreconditioner(10, 5, H, () => ++calls > 2)).toBeUndefined();
  });
});
