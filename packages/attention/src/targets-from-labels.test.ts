import { ConvexformerError, ShapeMismatchError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { MAX_INFERRED_CLASSES, targetsFromLabels } from "./targets-from-labels.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvexformerError);
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

describe("targetsFromLabels", () => {
  it("takes squared labels as they are, c per row", () => {
    const y = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = targetsFromLabels(y, { loss: "squared", shape: [3, 2] });
    expect(t).toEqual({ targets: y, outputs: 2, rows: 3, mapping: "as is" });
    expect(targetsFromLabels(y, { loss: "squared", shape: [2, 3], rowAxes: 2 }).rows).toBe(6);
  });

  it("takes logistic labels as -1/1 or 0/1 (0 → -1), never mixed", () => {
    const signs = targetsFromLabels(new Float64Array([1, -1, 1]), { loss: "logistic", shape: [3] });
    expect(signs.mapping).toBe("as is");
    const bits = targetsFromLabels(new Float64Array([0, 1, 1]), { loss: "logistic", shape: [3] });
    expect(Array.from(bits.targets)).toEqual([-1, 1, 1]);
    expect(bits.mapping).toBe("0 → -1, 1 → 1");
    expect(
      message(() =>
        targetsFromLabels(new Float64Array([1, 0.5]), {
          loss: "logistic",
          shape: [2],
          argument: "y.npy",
        }),
      ),
    ).toBe("y.npy: sample 1 is 0.5; logistic labels must be -1/1 or 0/1");
    expect(
      message(() =>
        targetsFromLabels(new Float64Array([1, 0, -1]), { loss: "logistic", shape: [3] }),
      ),
    ).toMatch(/labels: sample 2 is -1, sample 1 is 0; .* not both/);
  });

  it("takes cross-entropy class indices, naming the entry of a bad one", () => {
    const t = targetsFromLabels(new Float64Array([2, 0, 1]), {
      loss: "cross-entropy",
      shape: [3],
    });
    expect(t.targets).toBeInstanceOf(Int32Array);
    expect(t.outputs).toBe(3);
    expect(
      targetsFromLabels(new Float64Array([0, 0]), { loss: "cross-entropy", shape: [2] }).outputs,
    ).toBe(2);
    expect(
      message(() =>
        targetsFromLabels(new Float64Array([0, 1, 2, 3]), {
          loss: "cross-entropy",
          shape: [2, 2],
          rowAxes: 2,
          argument: "y.npy",
          classes: 3,
        }),
      ),
    ).toBe("y.npy: sample 1, token 1 is 3; with classes = 3 labels must be < 3");
    expect(
      message(() =>
        targetsFromLabels(new Float64Array([0, 2.5]), { loss: "cross-entropy", shape: [2] }),
      ),
    ).toBe("labels: sample 1 is 2.5; cross-entropy labels must be integers >= 0");
    expect(
      message(() =>
        targetsFromLabels(new Float64Array([0, MAX_INFERRED_CLASSES]), {
          loss: "cross-entropy",
          shape: [2],
        }),
      ),
    ).toContain(`would mean ${MAX_INFERRED_CLASSES + 1} classes; set "classes"`);
  });

  it("refuses shapes that do not fit the loss", () => {
    const shape = () =>
      targetsFromLabels(new Float64Array(4), { loss: "cross-entropy", shape: [2, 2] });
    expect(shape).toThrow(ShapeMismatchError);
    expect(() =>
      targetsFromLabels(new Float64Array(8), { loss: "squared", shape: [2, 2, 2] }),
    ).toThrow("expected shape [N] or [N, c], got [2, 2, 2]");
    expect(() => targetsFromLabels(new Float64Array(3), { loss: "squared", shape: [2] })).toThrow(
      ShapeMismatchError,
    );
  });
});
