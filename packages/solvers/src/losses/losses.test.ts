import {
  createRng,
  InvalidOptionError,
  Matrix,
  NonFiniteInputError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { SmoothLoss } from "../smooth-loss.js";
import { crossEntropyLoss } from "./cross-entropy-loss.js";
import { logisticLoss } from "./logistic-loss.js";
import { squaredLoss } from "./squared-loss.js";

const rng = createRng(42);
const N = 7;
const c = 3;
const yReal = rng.fillNormal(new Float64Array(N * c));
const signs = Float64Array.from({ length: N }, (_, i) => (i % 3 === 0 ? -1 : 1));
const classes = Int32Array.from({ length: N }, (_, i) => i % c);

const losses: [string, SmoothLoss][] = [];
for (const scaling of ["sum", "mean"] as const) {
  losses.push([`squared/${scaling}`, squaredLoss(yReal, { outputs: c, scaling })]);
  losses.push([`logistic/${scaling}`, logisticLoss(signs, { scaling })]);
  losses.push([`cross-entropy/${scaling}`, crossEntropyLoss(classes, { classes: c, scaling })]);
}

const dotp = (a: Float64Array, b: Float64Array) =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe.each(losses)("%s", (_name, loss) => {
  const z = rng.fillNormal(new Float64Array(loss.size), 0, 2);

  it("gradient matches central differences and returns the value", () => {
    const g = new Float64Array(loss.size);
    expect(loss.gradient(z, g)).toBeCloseTo(loss.value(z), 14);
    const h = 1e-6;
    for (let i = 0; i < loss.size; i++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[i] = (zp[i] as number) + h;
      zm[i] = (zm[i] as number) - h;
      expect(g[i]).toBeCloseTo((loss.value(zp) - loss.value(zm)) / (2 * h), 7);
    }
  });

  it("hessianVector matches differences of the gradient", () => {
    const v = rng.fillNormal(new Float64Array(loss.size));
    const hv = new Float64Array(loss.size);
    loss.hessianVector(z, v, hv);
    const h = 1e-6;
    const gp = new Float64Array(loss.size);
    const gm = new Float64Array(loss.size);
    loss.gradient(
      z.map((zi, i) => zi + h * (v[i] as number)),
      gp,
    );
    loss.gradient(
      z.map((zi, i) => zi - h * (v[i] as number)),
      gm,
    );
    for (let i = 0; i < loss.size; i++)
      expect(hv[i]).toBeCloseTo(((gp[i] as number) - (gm[i] as number)) / (2 * h), 6);
    // the smoothness constant bounds the curvature
    expect(dotp(v, hv)).toBeLessThanOrEqual(loss.smoothness * dotp(v, v) * (1 + 1e-12));
  });

  it("dual value: Fenchel–Young equality at u = −∇F(ŷ), inequality elsewhere", () => {
    const g = new Float64Array(loss.size);
    const f = loss.gradient(z, g);
    const u = g.map((v) => -v);
    // D(u) = −F*(∇F(ŷ)) = F(ŷ) − ⟨∇F(ŷ), ŷ⟩
    expect(loss.dualValue(u)).toBeCloseTo(f - dotp(g, z), 10);
    // weak duality: D(s·u) ≤ F(ŷ') + ⟨s·u, ŷ'⟩ for any ŷ'
    for (const s of [0, 0.3, 1]) {
      const us = u.map((v) => s * v);
      const d = loss.dualValue(us);
      expect(Number.isFinite(d)).toBe(true);
      for (let k = 0; k < 5; k++) {
        const w = rng.fillNormal(new Float64Array(loss.size), 0, 3);
        expect(d).toBeLessThanOrEqual(loss.value(w) + dotp(us, w) + 1e-12);
      }
    }
  });

  it("checks sizes", () => {
    expect(() => loss.value(new Float64Array(loss.size + 1))).toThrow(ShapeMismatchError);
  });
});

describe("loss specifics", () => {
  it("squared: exact values, outputs from a matrix, mean scaling", () => {
    const loss = squaredLoss(
      Matrix.fromRows([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(loss.outputs).toBe(2);
    expect(loss.samples).toBe(2);
    expect(loss.value(new Float64Array(4))).toBe(15);
    expect(loss.dualValue(new Float64Array([1, 0, 0, 0]))).toBe(0.5);
    const mean = squaredLoss(new Float64Array([1, 3]), { scaling: "mean" });
    expect(mean.value(new Float64Array(2))).toBe(2.5);
    expect(mean.smoothness).toBe(0.5);
    expect(() => squaredLoss(new Float64Array([1, Number.NaN]))).toThrow(NonFiniteInputError);
    expect(() => squaredLoss(new Float64Array(3), { outputs: 2 })).toThrow(ShapeMismatchError);
    expect(() => squaredLoss(new Float64Array(3), { scaling: "avg" as "mean" })).toThrow(
      InvalidOptionError,
    );
  });

  it("logistic: validates labels, is stable for large margins, dual is −∞ off [0,1]", () => {
    expect(() => logisticLoss([1, 0])).toThrow(InvalidOptionError);
    const loss = logisticLoss([1, -1]);
    expect(loss.value(new Float64Array(2))).toBeCloseTo(2 * Math.log(2), 15);
    expect(loss.value(new Float64Array([800, -800]))).toBe(0);
    expect(loss.value(new Float64Array([-800, 0]))).toBeCloseTo(800 + Math.log(2), 10);
    expect(loss.dualValue(new Float64Array([0.5, -0.5]))).toBeCloseTo(2 * Math.log(2), 15);
    expect(loss.dualValue(new Float64Array([-0.5, 0]))).toBe(Number.NEGATIVE_INFINITY);
  });

  it("cross-entropy: indices and one-hot agree, labels are validated, dual is −∞ off the simplex", () => {
    const a = crossEntropyLoss(new Int32Array([0, 2]), { classes: 3 });
    const b = crossEntropyLoss(
      Matrix.fromRows([
        [1, 0, 0],
        [0, 0, 1],
      ]),
    );
    const z = new Float64Array([1, 2, 3, -1, 500, 2]);
    expect(a.value(z)).toBe(b.value(z));
    expect(a.value(new Float64Array(6))).toBeCloseTo(2 * Math.log(3), 14);
    expect(Number.isFinite(a.value(new Float64Array([1000, -1000, 0, 0, 0, 1000])))).toBe(true);
    expect(() => crossEntropyLoss(new Int32Array([3]), { classes: 3 })).toThrow(InvalidOptionError);
    expect(() => crossEntropyLoss(new Int32Array([0]))).toThrow(InvalidOptionError);
    expect(() => crossEntropyLoss(new Float64Array([0.5, 0.6]), { classes: 2 })).toThrow(
      InvalidOptionError,
    );
    // p = y − u must lie on the simplex
    expect(a.dualValue(new Float64Array([0.5, 0, 0, 0, 0, 0]))).toBe(Number.NEGATIVE_INFINITY);
    expect(a.dualValue(new Float64Array([0.5, -0.5, 0, 0, 0, 0]))).toBeCloseTo(Math.log(2), 15);
  });
});
