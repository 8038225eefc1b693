/**
 * `@convexformer/experiments/node`: the Node-only part of the experiments package: saving an
 * experiment's result folder with its figures. The file formats it uses (loaders, the
 * result-folder writer, the checkpoint store) are in `@convexformer/io/node`.
 *
 * @packageDocumentation
 */

export { EXPERIMENTS } from "../registry/experiments.js";
export { type FigureMaker, saveExperiment } from "./save-experiment.js";
