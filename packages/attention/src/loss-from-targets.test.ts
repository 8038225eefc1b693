import { crossEntropyLoss, logisticLoss, squaredLoss } from "@convexformer/solvers";
import { ConvexformerError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { lossFromTargets } from "./loss-from-targets.js";
import { LOSS_NAMES, validateLossName } from "./loss-names.js";

const z = new Float64Array([0.3, -1.2, 2, 0.5, -0.1, 0.7]);

function failure(f: () => unknown): ConvexformerError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvexformerError);
    return e as ConvexformerError;
  }
  throw new Error("did not throw");
}

describe("lossFromTargets", () => {
  it("builds the same losses as the solvers' constructors (value and gradient)", () => {
    const y = new Float64Array([1, -1, 1, 1, -1, -1]);
    const pairs = [
      [lossFromTargets(y, { rows: 3 }), squaredLoss(y, { outputs: 2 })],
      [
        lossFromTargets(y, { loss: "logistic", rows: 6, scaling: "mean" }),
        logisticLoss(y, { scaling: "mean" }),
      ],
      [
        lossFromTargets(new Int32Array([2, 0]), { loss: "cross-entropy", rows: 2, outputs: 3 }),
        crossEntropyLoss(new Int32Array([2, 0]), { classes: 3 }),
      ],
      [
        lossFromTargets(new Float64Array([0, 0, 1, 0.5, 0.5, 0]), {
          loss: "cross-entropy",
          rows: 2,
        }),
        crossEntropyLoss(new Float64Array([0, 0, 1, 0.5, 0.5, 0]), { classes: 3 }),
      ],
    ] as const;
    for (const [a, b] of pairs) {
      expect(a.size).toBe(b.size);
      expect(a.outputs).toBe(b.outputs);
      expect(a.value(z)).toBe(b.value(z));
      const ga = new Float64Array(6);
      const gb = new Float64Array(6);
      a.gradient(z, ga);
      b.gradient(z, gb);
      expect(Array.from(ga)).toEqual(Array.from(gb));
    }
  });

  it("names the targets argument (and options) in its errors", () => {
    const y = new Float64Array(6);
    expect(failure(() => lossFromTargets(y, { rows: 4, argument: "y.npy" }))).toMatchObject({
      code: "shape-mismatch",
      argument: "y.npy",
    });
    expect(
      failure(() =>
        lossFromTargets(new Int32Array([0, 3]), { loss: "cross-entropy", rows: 2, outputs: 3 }),
      ),
    ).toMatchObject({ code: "invalid-option", argument: "targets[1]" });
    expect(
      failure(() => lossFromTargets(new Int32Array([0, 1]), { loss: "cross-entropy", rows: 2 })),
    ).toMatchObject({
      argument: "options.outputs",
    });
    expect(failure(() => lossFromTargets(new Int32Array([0, 1]), { rows: 2 }))).toMatchObject({
      code: "invalid-option",
      argument: "targets",
    });
    expect(
      failure(() => lossFromTargets(y, { rows: 6, loss: "hinge" as "squared" })),
    ).toMatchObject({ argument: "options.loss" });
    expect(
      failure(() => lossFromTargets(new Float64Array([Number.NaN]), { rows: 1 })),
    ).toMatchObject({
      code: "non-finite-input",
      argument: "targets",
    });
    expect(failure(() => lossFromTargets(y, { rows: 0 }))).toMatchObject({
      argument: "options.rows",
    });
    expect(failure(() => lossFromTargets(y, { rows: 6, extra: 1 } as never))).toMatchObject({
      code: "invalid-option",
    });
  });

  it("LOSS_NAMES is the one list, validateLossName checks against it", () => {
    expect([...LOSS_NAMES]).toEqual(["squared", "logistic", "cross-entropy"]);
    for (const name of LOSS_NAMES) expect(() => validateLossName("loss", name)).not.toThrow();
    expect(failure(() => validateLossName("options.loss", "hinge"))).toMatchObject({
      argument: "options.loss",
    });
  });
});
