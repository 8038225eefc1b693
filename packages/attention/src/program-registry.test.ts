import { certify, getSolver, squaredLoss } from "@convexformer/solvers";
import { InvalidOptionError, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { ATTENTION_PROGRAM_KINDS } from "./attention-program-kind.js";
import { fittedModel } from "./fitted-model.js";
import { parseFittedModel, serializeFittedModel } from "./fitted-model-json.js";
import { getProgram, listPrograms, registerProgram } from "./program-registry.js";
import { sampleGates } from "./sample-gates.js";
import { scalarProgram } from "./scalar-program.js";

const X = new TokenBatch(
  4,
  3,
  2,
  Float64Array.from({ length: 24 }, (_, i) => Math.sin(1.3 * i + 0.2)),
);

describe("the program table", () => {
  it("holds the paper's programs in its order", () => {
    expect(listPrograms().map((p) => p.kind)).toEqual([...ATTENTION_PROGRAM_KINDS]);
    expect(listPrograms().map((p) => p.equation)).toEqual([
      "(9)",
      "(12)",
      "(14)",
      "(33)",
      "(33), relaxed",
    ]);
  });

  it("names the argument and lists the programs for an unknown name", () => {
    expect(() => getProgram("lasso", "options.model")).toThrow(
      new InvalidOptionError(
        "options.model",
        "lasso",
        "must be one of scalar, vector, gated, sequence, sequence-relaxed",
      ),
    );
  });

  it("refuses a name that is taken or empty", () => {
    expect(() => registerProgram(scalarProgram)).toThrow(/already registered/);
    expect(() => registerProgram({ ...scalarProgram, kind: "" })).toThrow(InvalidOptionError);
  });

  it.each(ATTENTION_PROGRAM_KINDS)(
    "%s: build, solve, recover a model with the program's predictions, save and load it",
    (kind) => {
      const program = getProgram(kind);
      const rows = program.targetsPerToken ? X.samples * X.tokens : X.samples;
      const y = Float64Array.from({ length: rows }, (_, i) => Math.cos(i));
      const gates = program.gated ? sampleGates(X, 3, { seed: 1 }) : undefined;
      const problem = program.build(X, squaredLoss(y), 0.05, gates);
      const result = getSolver("fista").solve(problem, { tolerance: 1e-10 });
      expect(result.status).toBe("converged");
      const recovered = program.recover(problem, result.x, { prune: true });
      expect(certify(problem, recovered.solution).relativeGap).toBeLessThan(1e-8);
      const predictions = new Float64Array(problem.operator.rows);
      problem.operator.apply(recovered.solution, predictions);
      const model = fittedModel(recovered.model);
      const predicted = model.predict(X);
      for (let i = 0; i < predictions.length; i++)
        expect(predicted[i]).toBeCloseTo(predictions[i] as number, 9);
      expect(parseFittedModel(serializeFittedModel(model)).predict(X)).toEqual(predicted);
      expect(recovered.headsNeeded).toBeLessThanOrEqual(
        program.maxHeads({
          samples: X.samples,
          tokens: X.tokens,
          features: X.features,
          outputs: 1,
          gates: gates === undefined ? 1 : 3,
        }),
      );
      const shape = program.solutionShape(problem);
      expect(shape.reduce((a, b) => a * b, 1)).toBe(problem.dim);
    },
  );
});
