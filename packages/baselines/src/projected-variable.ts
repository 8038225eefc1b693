import type { Variable } from "@tensorflow/tfjs-core";

/**
 * A variable whose rows (of length `rowLength`) are projected onto the simplex after each step.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { projectOntoSimplex, type ProjectedVariable } from "@convexformer/baselines";
 * const p: ProjectedVariable = { variable: tf.variable(tf.tensor([[2, 0], [0.25, 0.25]])), rowLength: 2 };
 * Array.from(projectOntoSimplex(Float64Array.from(p.variable.dataSync()), p.rowLength)); // [1, 0, 0.5, 0.5]
 * p.variable.dispose();
 * ```
 */
export interface ProjectedVariable {
  /** The variable. */
  readonly variable: Variable;
  /** Length of one simplex row. */
  readonly rowLength: number;
}
