import type { Certificate, PathResult, SolveResult } from "@convexformer/solvers";
import type { AttentionProblem, SequenceProblem } from "./attention-problem.js";
import type {
  FittedHeadsModel,
  FittedRelaxedSequenceModel,
  FittedSequenceModel,
} from "./fitted-model.js";
import type { GateVectors } from "./gate-vectors.js";
import type { PruneResult } from "./prune-support.js";
import type { SampledGates } from "./sample-gates.js";
import type { TokenImportance } from "./token-importance.js";

/**
 * What every {@link FitResult} holds besides its fitted model: `λ`, the solution, the
 * solver's result and the certificate.
 *
 * @example
 * ```ts
 * import { type FitDetails, fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const details: FitDetails = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * details.certificate.relativeGap <= 1e-6; // true
 * ```
 */
export interface FitDetails {
  /** The final `λ`. */
  readonly lambda: number;
  /** `λ_max`: the smallest `λ` with the zero solution. */
  readonly lambdaMax: number;
  /** The convex solution (pruned when `prune`), laid out as `problem.layout`. */
  readonly solution: Float64Array;
  /** The solver's result (for the final `λ`). */
  readonly solve: SolveResult;
  /** The certificate of `solution` (docs/concepts.md#certificates). */
  readonly certificate: Certificate;
  /** Heads the recovered network needs (nonzero rows, or nonzero blocks for (33)). */
  readonly headsNeeded: number;
  /** The whole path, when `lambdaPath` was given. */
  readonly path: PathResult | undefined;
}

/**
 * The result of fitting (9), (12) or (14): the fitted multi-head model (8)/(11)/(13)
 * (`network`, `predict`), the program, the token-importance profile and the pruning report.
 *
 * @example
 * ```ts
 * import { attentionForward, fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * const y = attentionForward(fit.network, X); // compiles: fit.network is AttentionWeights
 * y[0]; // ≈ 7/8 (the convex optimum z = (7/8, −7/8))
 * fit.tokenImportance.perToken.length; // 2
 * ```
 */
export interface HeadsFitResult<
  M extends "scalar" | "vector" | "gated" = "scalar" | "vector" | "gated",
> extends FittedHeadsModel<M>,
    FitDetails {
  /** The problem (at the final `λ`). */
  readonly problem: AttentionProblem;
  /** The token-importance profile `‖z_{j,l,k}‖`. */
  readonly tokenImportance: TokenImportance;
  /** The gates of (14) (sampled ones carry their training patterns); `undefined` for (9), (12). */
  readonly gates: M extends "gated" ? SampledGates | GateVectors : undefined;
  /** The pruning step's report, when it ran. */
  readonly pruning: PruneResult | undefined;
}

/**
 * The result of fitting the exact sequence program (33): the fitted model (30)
 * (`network`, `predict`) and the program.
 *
 * @example
 * ```ts
 * import { fitConvexAttention, sequenceAttentionForward } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const fit = fitConvexAttention(X, { model: "sequence", targets: new Float64Array([1, 1]), lambda: 1 });
 * sequenceAttentionForward(fit.network, X).length; // 2
 * ```
 */
export interface SequenceFitResult extends FittedSequenceModel, FitDetails {
  /** The problem (at the final `λ`). */
  readonly problem: SequenceProblem;
  /** Not defined for the sequence programs. */
  readonly tokenImportance: undefined;
  /** Not defined for the sequence programs. */
  readonly gates: undefined;
  /** The sequence programs are not pruned. */
  readonly pruning: undefined;
}

/**
 * The result of fitting the max-row-sum relaxation of (33): no network (its solutions are not
 * models (30)); `predict` applies the program's operator to the solution.
 *
 * @example
 * ```ts
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const fit = fitConvexAttention(X, { model: "sequence-relaxed", targets: new Float64Array([1, 1]), lambda: 1 });
 * fit.network; // undefined
 * fit.predict(X).length; // 2
 * ```
 */
export interface RelaxedSequenceFitResult extends FittedRelaxedSequenceModel, FitDetails {
  /** The problem (at the final `λ`). */
  readonly problem: SequenceProblem;
  /** Not defined for the sequence programs. */
  readonly tokenImportance: undefined;
  /** Not defined for the sequence programs. */
  readonly gates: undefined;
  /** The sequence programs are not pruned. */
  readonly pruning: undefined;
}

/**
 * The result of each program, by program name.
 *
 * @example
 * ```ts
 * import type { FitResultByKind } from "@convexformer/attention";
 * type Sequence = FitResultByKind["sequence"]; // SequenceFitResult
 * const kind: Sequence["model"] = "sequence";
 * ```
 */
export interface FitResultByKind {
  /** Program (9). */
  readonly scalar: HeadsFitResult<"scalar">;
  /** Program (12). */
  readonly vector: HeadsFitResult<"vector">;
  /** Program (14). */
  readonly gated: HeadsFitResult<"gated">;
  /** Program (33). */
  readonly sequence: SequenceFitResult;
  /** The relaxation of (33). */
  readonly "sequence-relaxed": RelaxedSequenceFitResult;
}

/**
 * What {@link fitConvexAttention} returns: a union discriminated by `model` (the program
 * asked for), so `fit.network` has the right weights type once `model` is known, either
 * statically (`fitConvexAttention(X, { model: "scalar", … })` returns
 * `FitResult<"scalar">`) or by narrowing. Every result is a {@link FittedModel}: it has
 * `predict(X)` for new token batches and saves with {@link serializeFittedModel}.
 *
 * @example
 * ```ts
 * import { type FitOptions, type FitResult, fitConvexAttention } from "@convexformer/attention";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const options: FitOptions = { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 };
 * const fit: FitResult = fitConvexAttention(X, options);
 * if (fit.model === "scalar") fit.network.w1.length; // 4: two heads on two tokens
 * fit.predict(X).length; // 2
 * ```
 */
export type FitResult<M extends keyof FitResultByKind = keyof FitResultByKind> = FitResultByKind[M];
