/**
 * One student's numbers in E1.
 *
 * @example
 * ```ts
 * import type { E1ModelMetrics } from "@convexformer/experiments";
 * const summary = (m: E1ModelMetrics) => `${m.objective} (${m.milliseconds} ms)`;
 * ```
 */
export interface E1ModelMetrics {
  /** Regularized training objective (same loss and `β` for all). */
  readonly objective: number;
  /** Test error (MSE for regression, error rate for classification). */
  readonly testError: number;
  /** Training error, same measure. */
  readonly trainError: number;
  /** Wall time in ms. */
  readonly milliseconds: number;
  /** The best learning rate (Adam runs). */
  readonly learningRate?: number;
  /**
   * Heads of the trained model (Adam runs): the fixed number the nonconvex student was built
   * with (`simplexHeads`, `standardHeads`). The convex model's count is `headsNeeded`.
   */
  readonly heads?: number;
  /** The token map: convex `Σ‖z_k‖`, simplex mean `w_{1j}`, standard mean softmax row of the readout token. */
  readonly tokenMap: readonly number[];
}

/**
 * The numbers E1 reports.
 *
 * @example
 * ```ts
 * import type { E1Metrics } from "@convexformer/experiments";
 * const wins = (m: E1Metrics) => m.convex.objective <= m.standard.objective;
 * ```
 */
export interface E1Metrics {
  /** `β`. */
  readonly beta: number;
  /** `λ_max` of the convex program. */
  readonly lambdaMax: number;
  /** The convex program solved by the first solver, recovered and evaluated as a network. */
  readonly convex: E1ModelMetrics & {
    /** Relative duality gap of the solution. */
    readonly relativeGap: number;
    /** The solver status. */
    readonly status: string;
    /** Iterations. */
    readonly iterations: number;
    /** Heads the recovered network needs. */
    readonly headsNeeded: number;
  };
  /** Every solver's outcome on the convex program. */
  readonly solvers: readonly {
    /** The solver. */
    readonly solver: string;
    /** The solver status. */
    readonly status: string;
    /** Certified objective (`null` on error). */
    readonly objective: number | null;
    /** Relative gap (`null` on error). */
    readonly relativeGap: number | null;
    /** Iterations. */
    readonly iterations: number;
    /** Wall time in ms. */
    readonly milliseconds: number;
    /** Why the solver failed. */
    readonly error?: string;
  }[];
  /** The nonconvex alternative (8)/(11) with Adam (`w_1` on the simplex via softmax). */
  readonly simplex: E1ModelMetrics;
  /** Standard attention (3) with Adam. */
  readonly standard: E1ModelMetrics;
  /** Train / test samples, tokens, features. */
  readonly sizes: {
    /** Training samples. */
    readonly train: number;
    /** Test samples. */
    readonly test: number;
    /** Tokens per sample. */
    readonly tokens: number;
    /** Features per token. */
    readonly features: number;
  };
}
