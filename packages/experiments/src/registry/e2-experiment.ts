import { figureJson, grokkingFigure } from "@convexformer/interpret";
import { type E2Config, type E2Result, runE2 } from "../runners/run-e2.js";
import { defineExperiment } from "./define-experiment.js";
import { formatNumber as num, summaryTable } from "./summary-table.js";

/** The grokking curves (train and validation accuracy against the step, the 99 % line). */
async function grokking(result: E2Result): Promise<Record<string, string>> {
  const curve = result.curves.accuracy;
  if (curve === undefined) return {};
  const value = (v: number | null | undefined): number => (v == null ? Number.NaN : v);
  const points = (curve.step ?? [])
    .map((s, i) => ({
      step: value(s),
      trainAccuracy: value(curve.trainAccuracy?.[i]),
      validationAccuracy: value(curve.validationAccuracy?.[i]),
    }))
    .filter(
      (p) =>
        p.step > 0 && Number.isFinite(p.trainAccuracy) && Number.isFinite(p.validationAccuracy),
    );
  if (points.length === 0) return {};
  const figure = await grokkingFigure([{ kind: result.config.attention, points }]);
  return { "grokking.svg": figure.svg, "grokking.json": figureJson(figure) };
}

/** E2: grokking of x ∘ y mod p with a decoder transformer. */
export const e2Experiment = defineExperiment<E2Config, E2Result>({
  name: "e2",
  description:
    "E2: grokking of x ∘ y mod p with a decoder transformer, softmax or simplex attention",
  options: {
    prime: { kind: "integer", min: 2, flag: "--prime <p>", help: "the modulus p", default: 97 },
    operator: {
      kind: "choice",
      values: ["/", "+", "-", "*"],
      flag: "--op <op>",
      help: "the operation",
      default: "/",
    },
    layers: { kind: "integer", flag: "--layers <L>", help: "decoder blocks", default: 2 },
    width: { kind: "integer", flag: "--width <d>", help: "model width d", default: 128 },
    heads: { kind: "integer", flag: "--heads <h>", help: "attention heads", default: 4 },
    attention: {
      kind: "choice",
      values: ["softmax", "simplex"],
      flag: "--attention <kind>",
      help: "attention kind",
      default: "softmax",
    },
    steps: {
      kind: "integer",
      flag: "--steps <n>",
      help: "training steps (at most)",
      default: 30000,
    },
    trainFraction: {
      kind: "decimal",
      min: 0,
      max: 1,
      flag: "--train-fraction <f>",
      help: "fraction of the pairs used for training",
      default: 0.5,
    },
    weightDecay: {
      kind: "decimal",
      min: 0,
      minInclusive: true,
      flag: "--weight-decay <wd>",
      help: "AdamW weight decay",
      default: 1,
    },
    evaluateEvery: {
      kind: "integer",
      flag: "--evaluate-every <E>",
      help: "evaluate train and validation every E steps",
      default: 250,
    },
    seed: {
      kind: "integer",
      min: 0,
      flag: "--seed <n>",
      help: "seed of the split and the model",
      default: 0,
    },
    stopAtGeneralization: {
      kind: "switch",
      flag: "--no-stop",
      help: "keep training after generalizing",
    },
    learningRate: "hidden",
    batchSize: "hidden",
  },
  run: runE2,
  checkpoints: true,
  summary: (result) => {
    const m = result.metrics;
    return `${result.experiment}: ${result.status}, seed ${result.seed}\n${summaryTable(
      ["attention", "fit step", "generalized step", "steps", "train acc", "val acc", "ms/step"],
      [
        [
          result.config.attention,
          String(m.fitStep ?? "never"),
          String(m.generalizedStep ?? "never"),
          String(m.steps),
          num(m.trainAccuracy),
          num(m.validationAccuracy),
          num(m.msPerStep, 3),
        ],
      ],
    )}\n`;
  },
  figures: { files: ["grokking.svg", "grokking.json"], draw: grokking },
});
