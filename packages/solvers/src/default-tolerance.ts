/**
 * The relative duality gap every layer targets unless told otherwise: the solvers' `tolerance`,
 * `fitConvexAttention`'s `tolerance`, the experiments' and the CLI's `--tolerance`. A result
 * says `"converged"` only when its certified relative gap is at most the tolerance in force.
 *
 * @example
 * ```ts
 * import { DEFAULT_TOLERANCE } from "@convexformer/solvers";
 * DEFAULT_TOLERANCE; // 1e-6
 * ```
 */
export const DEFAULT_TOLERANCE = 1e-6;
