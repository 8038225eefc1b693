import { createRng, InvalidOptionError, ShapeMismatchError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { groupL2 } from "./group-l2.js";
import { l1 } from "./l1.js";

const rng = createRng(5);

describe("groupL2 and l1", () => {
  const reg = groupL2({ sizes: [2, 3, 1], weights: [1, 2, 0.5] });

  it("value, prox (block soft-threshold) and polar on exact instances", () => {
    expect(reg.dim).toBe(6);
    expect(reg.value(new Float64Array([3, 4, 0, 0, 0, -2]))).toBe(5 + 1);
    const out = new Float64Array(6);
    reg.prox(new Float64Array([3, 4, 1, 0, 0, -2]), 2.5, out);
    expect(Array.from(out)).toEqual([1.5, 2, 0, 0, 0, -0.75]);
    expect(reg.polar(new Float64Array([3, 4, 0, 0, 6, 1]))).toBe(5);
    expect(l1(3, { weights: [1, 2, 4] }).polar(new Float64Array([1, -4, 2]))).toBe(2);
  });

  it("prox is the minimizer of ½‖z − x‖² + t R(z) (no random perturbation does better)", () => {
    for (let k = 0; k < 20; k++) {
      const x = rng.fillNormal(new Float64Array(6));
      const t = rng.uniform() * 2;
      const z = new Float64Array(6);
      reg.prox(x, t, z);
      const obj = (w: Float64Array) =>
        0.5 * w.reduce((s, v, i) => s + (v - (x[i] as number)) ** 2, 0) + t * reg.value(w);
      const best = obj(z);
      for (let j = 0; j < 20; j++) {
        const w = z.map((v) => v + 1e-3 * rng.normal());
        expect(obj(w)).toBeGreaterThanOrEqual(best - 1e-12);
      }
    }
  });

  it("polar is the dual norm: ⟨v, x⟩ ≤ R(x)·R°(v), with equality at the maximizer", () => {
    for (let k = 0; k < 20; k++) {
      const v = rng.fillNormal(new Float64Array(6));
      const x = rng.fillNormal(new Float64Array(6));
      expect(v.reduce((s, vi, i) => s + vi * (x[i] as number), 0)).toBeLessThanOrEqual(
        reg.value(x) * reg.polar(v) + 1e-12,
      );
    }
    // maximizer: the group attaining max ‖v_g‖/w_g, x_g = v_g / (‖v_g‖ w_g)
    const v = new Float64Array([0, 0, 2, 0, 0, 0]);
    const x = new Float64Array([0, 0, 1 / 2, 0, 0, 0]);
    expect(reg.value(x)).toBe(1);
    expect(v.reduce((s, vi, i) => s + vi * (x[i] as number), 0)).toBe(reg.polar(v));
  });

  it("subgradient residual: exact per-group formula", () => {
    const g = new Float64Array([0, -3, 1, 0, 0, 0.2]);
    const x = new Float64Array([0, 2, 0, 0, 0, 0]);
    // group 0 active: ∇ + λ w x/‖x‖ = (0, −3 + 1·1) → 2; group 1 zero: max(0, 1 − 2)=0; group 2: max(0, 0.2 − 0.5)=0
    expect(reg.subgradientResidual?.(x, g, 1)).toBeCloseTo(2, 15);
    expect(reg.subgradientResidual?.(x, g, 3)).toBeCloseTo(0, 15);
    expect(
      reg.subgradientResidual?.(new Float64Array(6), new Float64Array([3, 4, 0, 0, 0, 1]), 1),
    ).toBeCloseTo(Math.hypot(4, 0.5), 15);
  });

  it("validates groups and weights", () => {
    expect(() => groupL2({})).toThrow(InvalidOptionError);
    expect(() => groupL2({ sizes: [1], ptr: [0, 1] })).toThrow(InvalidOptionError);
    expect(() => groupL2({ sizes: [0] })).toThrow(InvalidOptionError);
    expect(() => groupL2({ ptr: [1, 2] })).toThrow(InvalidOptionError);
    expect(() => groupL2({ ptr: [0, 2, 1] })).toThrow(InvalidOptionError);
    expect(() => groupL2({ sizes: [1, 1], weights: [1] })).toThrow(ShapeMismatchError);
    expect(() => groupL2({ sizes: [1], weights: [0] })).toThrow(InvalidOptionError);
    expect(() => reg.value(new Float64Array(5))).toThrow(ShapeMismatchError);
    expect(groupL2({ ptr: new Int32Array([0, 2, 2, 5]) }).groups?.count).toBe(3);
  });
});
