import type { Experiment } from "./define-experiment.js";
import { e1Experiment } from "./e1-experiment.js";
import { e2ConvexExperiment } from "./e2-convex-experiment.js";
import { e2Experiment } from "./e2-experiment.js";
import { e3Experiment } from "./e3-experiment.js";
import { textExperiment } from "./text-experiment.js";

/**
 * The registered experiments, in the order `convexformer experiment --help` lists them: E1,
 * E2, E2-convex, E3 and the text task (paper §4, adapted as docs/guide/experiments.md
 * describes). Adding an experiment is one descriptor file (see docs/adding-an-experiment.md)
 * and its line here.
 *
 * @example
 * ```ts
 * import { EXPERIMENTS } from "@convexformer/experiments/node";
 * EXPERIMENTS.map((e) => e.name); // ["e1", "e2", "e2-convex", "e3", "text"]
 * ```
 */
export const EXPERIMENTS: readonly Experiment[] = [
  e1Experiment,
  e2Experiment,
  e2ConvexExperiment,
  e3Experiment,
  textExperiment,
];
