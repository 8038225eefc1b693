import { InvalidOptionError } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { predictionMetrics } from "./prediction-metrics.js";

describe("predictionMetrics", () => {
  const p = new Float64Array([1, 2, 3, 4, 5, 6]);
  const y = new Float64Array([0, 2, 3, 6, 5, 3]);

  it("averages the squared error over samples or entries, as asked", () => {
    const perSample = predictionMetrics(p, y, { loss: "squared", outputs: 2 });
    expect(perSample).toEqual({ samples: 3, meanSquaredError: 14 / 3, errorRate: null });
    const perEntry = predictionMetrics(p, y, { loss: "squared", outputs: 2, average: "entry" });
    expect(perEntry.meanSquaredError).toBe(14 / 6);
    // the two differ by c exactly
    expect((perSample.meanSquaredError as number) / 2).toBe(perEntry.meanSquaredError);
  });

  it("counts wrong signs over entries (logistic) and wrong arg-max over rows (cross-entropy)", () => {
    const signs = new Float64Array([1, -1, 1, 1]);
    const m = predictionMetrics(new Float64Array([0.5, 0.5, 0, 2]), signs, {
      loss: "logistic",
      outputs: 2,
    });
    expect(m).toEqual({ samples: 2, meanSquaredError: null, errorRate: 0.5 });
    const ce = predictionMetrics(new Float64Array([0, 2, 1, 3, 0, 0]), new Int32Array([1, 1]), {
      loss: "cross-entropy",
      outputs: 3,
    });
    expect(ce.errorRate).toBe(0.5);
  });

  it("returns nulls for no samples and refuses bad options", () => {
    expect(
      predictionMetrics(new Float64Array(0), new Float64Array(0), { loss: "squared", outputs: 1 }),
    ).toEqual({ samples: 0, meanSquaredError: null, errorRate: null });
    expect(() => predictionMetrics(p, y, { loss: "squared", outputs: 0 })).toThrow(
      InvalidOptionError,
    );
    expect(() =>
      predictionMetrics(p, y, { loss: "squared", outputs: 1, average: "all" as "entry" }),
    ).toThrow(InvalidOptionError);
  });
});
