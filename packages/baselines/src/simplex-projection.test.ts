import { createRng, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { projectOntoSimplex } from "./simplex-projection.js";

describe("projectOntoSimplex", () => {
  it("matches hand-computed projections", () => {
    expect(Array.from(projectOntoSimplex(new Float64Array([0.5, 1.5, -1])))).toEqual([0, 1, 0]);
    expect(Array.from(projectOntoSimplex(new Float64Array([1, 1])))).toEqual([0.5, 0.5]);
    expect(Array.from(projectOntoSimplex(new Float64Array([0.2, 0.3, 0.5])))).toEqual([
      0.2, 0.3, 0.5,
    ]);
    // theta = (0.9 + 0.6 - 1) / 2 = 0.25
    const p = projectOntoSimplex(new Float64Array([0.9, 0.6, 0.1]));
    expect(p[0]).toBeCloseTo(0.65, 14);
    expect(p[1]).toBeCloseTo(0.35, 14);
    expect(p[2]).toBe(0);
  });

  it("is the Euclidean projection: on the simplex, idempotent, and no feasible point is closer", () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.integer(0, 8);
      const v = rng.fillNormal(new Float64Array(2 * n), 0, 2);
      const p = projectOntoSimplex(Float64Array.from(v), n);
      for (let r = 0; r < 2; r++) {
        const row = p.subarray(r * n, (r + 1) * n);
        expect(row.every((x) => x >= 0)).toBe(true);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        const again = projectOntoSimplex(Float64Array.from(row));
        for (let k = 0; k < n; k++) expect(again[k]).toBeCloseTo(row[k]!, 12);
        const dist = (q: ArrayLike<number>) => {
          let s = 0;
          for (let k = 0; k < n; k++) s += (q[k]! - v[r * n + k]!) ** 2;
          return s;
        };
        // variational inequality: <v - p, q - p> <= 0 for random feasible q
        for (let t = 0; t < 20; t++) {
          const q = projectOntoSimplex(rng.fillUniform(new Float64Array(n), -1, 2));
          expect(dist(q)).toBeGreaterThanOrEqual(dist(row) - 1e-12);
        }
      }
    }
  });

  it("rejects bad row lengths", () => {
    expect(() => projectOntoSimplex(new Float64Array(5), 2)).toThrow(ShapeMismatchError);
    expect(() => projectOntoSimplex(new Float64Array(4), 0)).toThrow(InvalidOptionError);
  });
});
