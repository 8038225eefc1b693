import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import { type E2ConvexConfig, type E2ConvexResult, runE2Convex } from "../runners/run-e2-convex.js";
import { defineExperiment } from "./define-experiment.js";
import { formatNumber as num } from "./summary-table.js";

/** E2, fully convex: the gated program (14) with joint cross-entropy on fixed token features. */
export const e2ConvexExperiment = defineExperiment<E2ConvexConfig, E2ConvexResult>({
  name: "e2-convex",
  description:
    "E2, fully convex: the gated program (14) with joint cross-entropy on fixed token features",
  options: {
    prime: { kind: "integer", min: 2, flag: "--prime <p>", help: "the modulus p", default: 23 },
    operator: {
      kind: "choice",
      values: ["/", "+", "-", "*"],
      flag: "--op <op>",
      help: "the operation",
      default: "/",
    },
    trainFraction: {
      kind: "decimal",
      min: 0,
      max: 1,
      flag: "--train-fraction <f>",
      help: "fraction of the pairs used for training",
      default: 0.5,
    },
    features: {
      kind: "choice",
      values: ["one-hot", "random"],
      flag: "--features <kind>",
      help: "token features",
      default: "one-hot",
    },
    gates: { kind: "integer", flag: "--gates <P>", help: "sampled gates", default: 16 },
    lambdaRatio: {
      kind: "decimal",
      min: 0,
      max: 1,
      flag: "--lambda-ratio <r>",
      help: "λ = r · λ_max",
      default: 1e-3,
    },
    seed: { kind: "integer", min: 0, flag: "--seed <n>", help: "seed", default: 0 },
    tolerance: {
      kind: "decimal",
      min: 0,
      flag: "--tolerance <gap>",
      help: "target relative duality gap",
      default: DEFAULT_TOLERANCE,
    },
    maxIterations: {
      kind: "integer",
      flag: "--max-iterations <n>",
      help: "solver iterations (at most)",
      default: 5000,
    },
    embeddingDim: "hidden",
    timeLimitMs: "hidden",
  },
  run: runE2Convex,
  checkpoints: false,
  summary: (result) => {
    const m = result.metrics;
    return `${result.experiment}: ${result.status}, seed ${result.seed}\ntrain accuracy ${num(m.trainAccuracy)}, validation accuracy ${num(m.validationAccuracy)}, relative gap ${num(m.relativeGap, 2)} (${m.status})\n`;
  },
});
