import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
import { type E1Config, type E1Result, runE1 } from "../runners/run-e1.js";
import { defineExperiment } from "./define-experiment.js";
import {
  STUDENT_FIGURE_FILES,
  studentFigures,
  studentSummary,
  studentTerminalMaps,
} from "./student-report.js";

/** E1: convex attention vs the nonconvex alternative vs standard attention on student–teacher data. */
export const e1Experiment = defineExperiment<E1Config, E1Result>({
  name: "e1",
  description:
    "E1: convex attention vs the nonconvex alternative vs standard attention on student–teacher data",
  options: {
    scale: {
      kind: "decimal",
      min: 0,
      flag: "--scale <s>",
      help: "multiply the default numbers of samples",
      default: 1,
    },
    steps: {
      kind: "integer",
      flag: "--steps <n>",
      help: "Adam steps of the nonconvex students",
      default: 400,
    },
    lambdaRatio: {
      kind: "decimal",
      min: 0,
      max: 1,
      flag: "--lambda-ratio <r>",
      help: "β = r · λ_max of the convex program",
      default: 0.05,
    },
    solvers: {
      kind: "list",
      flag: "--solvers <list>",
      help: "solvers of the convex program (first one is the model)",
      default: ["fista", "admm", "ipm"],
    },
    data: {
      group: {
        seed: {
          kind: "integer",
          min: 0,
          flag: "--seed <n>",
          help: "seed of the data and the models",
          default: 0,
        },
        target: {
          kind: "choice",
          values: ["scalar", "vector"],
          flag: "--target <kind>",
          help: "teacher output",
          default: "scalar",
        },
        noise: {
          kind: "decimal",
          min: 0,
          minInclusive: true,
          flag: "--noise <std>",
          help: "label noise",
          default: 0,
        },
        samples: "hidden",
        testSamples: "hidden",
        tokens: "hidden",
        features: "hidden",
        vocabulary: "hidden",
        zipfExponent: "hidden",
        teacherHeads: "hidden",
        teacherHidden: "hidden",
        outputs: "hidden",
        classification: "hidden",
        frozenBlock: "hidden",
      },
    },
    beta: "hidden",
    tolerance: {
      kind: "decimal",
      min: 0,
      flag: "--tolerance <gap>",
      help: "target relative duality gap of the convex program",
      default: DEFAULT_TOLERANCE,
    },
    learningRates: "hidden",
    standardHeads: "hidden",
    simplexHeads: "hidden",
    evaluateEvery: "hidden",
  },
  run: runE1,
  checkpoints: true,
  summary: studentSummary,
  figures: { files: STUDENT_FIGURE_FILES, draw: studentFigures, terminal: studentTerminalMaps },
});
