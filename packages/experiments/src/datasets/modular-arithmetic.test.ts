import { describe, expect, it } from "vitest";
import { modularArithmetic } from "./modular-arithmetic.js";

describe("modularArithmetic", () => {
  it("lays out [x, op, y, =] with vocabulary p + 2 and correct results for every operator", () => {
    for (const operator of ["+", "-", "*", "/"] as const) {
      const data = modularArithmetic({ prime: 7, operator, trainFraction: 0.5, seed: 3 });
      expect(data.vocabSize).toBe(9);
      const pairs = operator === "/" ? 42 : 49;
      expect(data.train.size + data.validation.size).toBe(pairs);
      const seen = new Set<string>();
      for (const split of [data.train, data.validation]) {
        for (let i = 0; i < split.size; i++) {
          const [x, op, y, eq] = split.tokens.subarray(i * 4, i * 4 + 4);
          expect(op).toBe(7);
          expect(eq).toBe(8);
          const z = split.labels[i] as number;
          const xv = x as number;
          const yv = y as number;
          if (operator === "+") expect(z).toBe((xv + yv) % 7);
          if (operator === "-") expect(z).toBe((xv - yv + 7) % 7);
          if (operator === "*") expect(z).toBe((xv * yv) % 7);
          if (operator === "/") {
            expect(yv).not.toBe(0);
            expect((z * yv) % 7).toBe(xv);
          }
          seen.add(`${xv},${yv}`);
        }
      }
      expect(seen.size).toBe(pairs); // every pair exactly once
    }
  });

  it("splits by fraction, reproducibly per seed", () => {
    const a = modularArithmetic({ prime: 97, trainFraction: 0.3, seed: 1 });
    expect(a.train.size).toBe(Math.round(0.3 * 97 * 96));
    const b = modularArithmetic({ prime: 97, trainFraction: 0.3, seed: 1 });
    expect(b.train.tokens).toEqual(a.train.tokens);
    const c = modularArithmetic({ prime: 97, trainFraction: 0.3, seed: 2 });
    expect(c.train.tokens).not.toEqual(a.train.tokens);
  });

  it("names bad options", () => {
    expect(() => modularArithmetic({ prime: 9 })).toThrow(/prime = 9/);
    expect(() => modularArithmetic({ prime: 7, operator: "%" as never })).toThrow(/operator/);
    expect(() => modularArithmetic({ prime: 7, trainFraction: 1 })).toThrow(/trainFraction/);
    expect(() => modularArithmetic({ prime: 7, extra: 1 } as never)).toThrow(/extra/);
  });
});
