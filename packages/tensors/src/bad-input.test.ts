import { describe, expect, it } from "vitest";
import { jsBackend } from "./backends/js-backend.js";
import { type ConvexformerError, InvalidOptionError } from "./errors.js";
import { matmul } from "./matmul.js";
import { Matrix } from "./matrix.js";

/** Runs `f`, expects a typed error of class `type` naming `argument`. */
function expectTyped(f: () => unknown, type: typeof ConvexformerError, argument: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as ConvexformerError).argument).toBe(argument);
}

describe("bad input (audit)", () => {
  const a = Matrix.fromRows([
    [1, 2],
    [3, 4],
  ]);

  it("matmul rejects non-finite alpha/beta instead of returning NaN", () => {
    expectTyped(() => matmul(a, a, { alpha: Number.NaN }), InvalidOptionError, "options.alpha");
    expectTyped(() => matmul(a, a, { alpha: Infinity }), InvalidOptionError, "options.alpha");
    expectTyped(
      () => matmul(a, a, { beta: Number.NaN, out: Matrix.zeros(2, 2) }),
      InvalidOptionError,
      "options.beta",
    );
  });

  it("matmul rejects wrongly typed transpose flags and non-Matrix operands", () => {
    expectTyped(
      () => matmul(a, a, { transA: "yes" as unknown as boolean }),
      InvalidOptionError,
      "options.transA",
    );
    expectTyped(
      () => matmul(a, a, { transB: 1 as unknown as boolean }),
      InvalidOptionError,
      "options.transB",
    );
    expectTyped(() => matmul({} as Matrix, a), InvalidOptionError, "a");
    expectTyped(() => matmul(a, [1, 2] as unknown as Matrix), InvalidOptionError, "b");
    // valid flags still work: aᵀ·a
    expect(Array.from(matmul(a, a, { transA: true }).data)).toEqual([10, 14, 14, 20]);
  });

  it("the masked adjoint of a backend rejects a wrongly typed transpose flag", () => {
    const mask = new Uint8Array([1, 1, 1, 1]);
    expectTyped(
      () => jsBackend.maskedMatmulAdjoint(a, a, mask, { transA: "yes" as unknown as boolean }),
      InvalidOptionError,
      "options.transA",
    );
    // a valid flag still works: aᵀ·(D ⊙ a) with D all ones is aᵀa
    const g = jsBackend.maskedMatmulAdjoint(a, a, mask, { transA: false }).value;
    expect(Array.from(g.data)).toEqual([10, 14, 14, 20]);
  });

  it("Matrix.identity names its own argument", () => {
    expectTyped(() => Matrix.identity(-1), InvalidOptionError, "n");
    expectTyped(() => Matrix.identity(Number.NaN), InvalidOptionError, "n");
  });
});
