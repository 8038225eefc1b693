import {
  type CompositeProblem,
  createProblem,
  groupL2,
  type SmoothLoss,
} from "@convexformer/solvers";
import { InvalidOptionError, ShapeMismatchError, type TokenBatch } from "@convexformer/tensors";
import { type AttentionOperator, attentionOperator } from "./attention-operator.js";
import { type ConvexAttentionLayout, layoutGroups } from "./convex-attention-layout.js";
import { equalRowSumRegularizer } from "./equal-row-sum-regularizer.js";
import { gatePatterns } from "./gate-patterns.js";
import type { GateVectors } from "./gate-vectors.js";
import { maxRowSumRelaxation } from "./max-row-sum-relaxation.js";
import { validateNonnegative, validateTokenBatch } from "./model-input-validation.js";
import {
  type SequenceLayout,
  type SequenceOperator,
  sequenceOperator,
} from "./sequence-operator.js";

/**
 * A convex attention program (9), (12) or (14): a `CompositeProblem` whose operator is an
 * {@link AttentionOperator}, with the layout of its variable.
 *
 * @example
 * ```ts
 * import { scalarAttentionProblem } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const problem = scalarAttentionProblem(X, squaredLoss(new Float64Array([1, -1])), 1 / 8);
 * problem.layout.tokens; // 2
 * ```
 */
export interface AttentionProblem extends CompositeProblem {
  /** `"scalar"`, `"vector"` or `"gated"`. */
  readonly kind: "scalar" | "vector" | "gated";
  /** The operator (applies through one product with `X_flat`). */
  readonly operator: AttentionOperator;
  /** The variable's layout. */
  readonly layout: ConvexAttentionLayout;
  /** The gate vectors of (14); `undefined` for (9), (12). */
  readonly gates: GateVectors | undefined;
}

/**
 * A sequence program: the exact (33) or its max-row-sum relaxation.
 *
 * @example
 * ```ts
 * import { sequenceAttentionProblem } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const problem = sequenceAttentionProblem(X, squaredLoss(new Float64Array([1, 1])), 1);
 * problem.dim; // 8: C⁺ and C⁻, 2 × 2 each
 * ```
 */
export interface SequenceProblem extends CompositeProblem {
  /** `"sequence"` (exact) or `"sequence-relaxed"` (relaxation). */
  readonly kind: "sequence" | "sequence-relaxed";
  /** The operator. */
  readonly operator: SequenceOperator;
  /** The variable's layout (`signs` 2 exact, 1 relaxed). */
  readonly layout: SequenceLayout;
}

/**
 * Program (9): `min_Z Σ_i L(⟨Z, X_i⟩, y_i) + λ Σ_k ‖z_k‖₂`. The paper prints a ½ on the loss
 * only; that is wrong (docs/concepts.md#convex-programs): the loss here is exactly the one of the model (8).
 *
 * @param X - the `N × n × d` token batch (at least one sample, token and feature; finite entries).
 *   Not copied: the problem's operator reads it, so do not change it while the problem is in use
 * @param loss - a scalar loss over the `N` samples (`loss.outputs = 1`, `loss.samples = N`), e.g.
 *   `squaredLoss` or `logisticLoss` from `@convexformer/solvers` built from the targets
 * @param lambda - `λ = β > 0`, the weight of the group penalty (finite; `InvalidOptionError`
 *   otherwise)
 * @throws `ShapeMismatchError` when the loss does not take `N` predictions; `InvalidOptionError` for `λ ≤ 0`
 *
 * @example
 * ```ts
 * import { scalarAttentionProblem } from "@convexformer/attention";
 * import { certify, squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * // exact instance 1: optimum (7/8, −7/8), value 15/64
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const problem = scalarAttentionProblem(X, squaredLoss(new Float64Array([1, -1])), 1 / 8);
 * certify(problem, new Float64Array([7 / 8, -7 / 8])).objective; // 0.234375
 * ```
 */
export function scalarAttentionProblem(
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
): AttentionProblem {
  if (loss.outputs !== 1) {
    throw new ShapeMismatchError(
      "loss",
      `program (9) takes scalar targets; the loss has ${loss.outputs} outputs (use vectorAttentionProblem)`,
    );
  }
  return build("scalar", X, loss, lambda, undefined);
}

/**
 * Program (12): `c = loss.outputs` matrices `Z_l`, prediction `ŷ_il = ⟨Z_l, X_i⟩`, joint loss
 * (squared, logistic, softmax cross-entropy) and penalty `λ Σ_{l,k} ‖z_{l,k}‖₂`. Written with the
 * joint loss it covers cross-entropy (the paper states separable losses only; docs/concepts.md#convex-programs).
 *
 * @param X - the `N × n × d` token batch (at least one sample, token and feature; finite entries).
 *   Not copied: the problem's operator reads it, so do not change it while the problem is in use
 * @param loss - a loss over the `N` samples with `c = loss.outputs` outputs each (`N·c`
 *   predictions, row-major), e.g. `squaredLoss` of `N × c` targets or `crossEntropyLoss` of `N`
 *   class indices from `@convexformer/solvers`; `c` sets the number of matrices `Z_l`
 * @param lambda - `λ = β > 0`, the weight of the group penalty (finite; `InvalidOptionError`
 *   otherwise)
 *
 * @example
 * ```ts
 * import { vectorAttentionProblem } from "@convexformer/attention";
 * import { crossEntropyLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const problem = vectorAttentionProblem(X, crossEntropyLoss(new Int32Array([0, 2]), { classes: 3 }), 0.1);
 * problem.dim; // 3 outputs × 2 tokens × 1 feature = 6
 * ```
 */
export function vectorAttentionProblem(
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
): AttentionProblem {
  return build("vector", X, loss, lambda, undefined);
}

/**
 * Program (14): one `Z_{j,l}` per gate `j` and output `l`, prediction
 * `ŷ_il = Σ_j D_ij ⟨Z_{j,l}, X_i⟩` with the fixed patterns `D_ij = 1[u_{1j}ᵀ X_i u_{2j} ≥ 0]`,
 * penalty `λ Σ_{j,l,k} ‖z_{j,l,k}‖₂`. With one token it is the convex gated-ReLU network of
 * Pilanci–Ergen / Mishkin et al. (scnn).
 *
 * @param X - the `N × n × d` token batch (at least one sample, token and feature; finite entries).
 *   Not copied: the problem's operator reads it, so do not change it while the problem is in use
 * @param gates - the gate vectors (e.g. from {@link sampleGates}): `u1` is `P × n`, `u2` is
 *   `P × d`; the patterns are computed on `X` and the vectors are copied into the problem
 * @param loss - a loss over the `N` samples with `c = loss.outputs` outputs each, as in
 *   {@link vectorAttentionProblem}
 * @param lambda - `λ = β > 0`, the weight of the group penalty (finite; `InvalidOptionError`
 *   otherwise)
 *
 * @example
 * ```ts
 * import { gatedAttentionProblem, sampleGates } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(3, 2, 2, Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)));
 * const gates = sampleGates(X, 8, { seed: 1 });
 * const problem = gatedAttentionProblem(X, gates, squaredLoss(new Float64Array([1, 0, -1])), 0.1);
 * problem.layout.gates === gates.count; // true
 * ```
 */
export function gatedAttentionProblem(
  X: TokenBatch,
  gates: GateVectors,
  loss: SmoothLoss,
  lambda: number,
): AttentionProblem {
  return build("gated", X, loss, lambda, gates);
}

/**
 * The exact sequence program (33): for each feature `q` and output `l`, nonnegative `n × n`
 * matrices `C⁺_{ql}, C⁻_{ql}` with equal row sums `t^±_{ql}`, prediction
 * `Ŷ_i[:, l] = Σ_q (C⁺_{ql} − C⁻_{ql}) X_i[:, q]`, penalty `λ Σ (t⁺ + t⁻)`. The paper writes an
 * undefined `‖C‖_{1,∞}` and omits the equal-row-sum constraint; this is the corrected, exact
 * form (equivalent to the sequence model (30)). The loss takes `N·n × c` predictions.
 *
 * @param X - the `N × n × d` token batch (at least one sample, token and feature; finite entries).
 *   Not copied: the problem's operator reads it, so do not change it while the problem is in use
 * @param loss - a loss over the `N·n × c` predictions, one row per token (row `i·n + k`), e.g.
 *   `squaredLoss` of `N·n·c` targets or `crossEntropyLoss` of `N·n` class indices;
 *   `ShapeMismatchError` when `loss.size ≠ N·n·c`
 * @param lambda - `λ = β > 0`, the weight of the group penalty (finite; `InvalidOptionError`
 *   otherwise)
 *
 * @example
 * ```ts
 * import { sequenceAttentionProblem } from "@convexformer/attention";
 * import { certify, squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const problem = sequenceAttentionProblem(X, squaredLoss(new Float64Array([1, 1])), 1);
 * certify(problem, new Float64Array([0.5, 0, 0.5, 0, 0, 0, 0, 0])).objective; // 0.75
 * ```
 */
export function sequenceAttentionProblem(
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
): SequenceProblem {
  return buildSequence("sequence", X, loss, lambda);
}

/**
 * The max-row-sum **relaxation** of (33): one signed `n × n` block `C_{ql}` per feature and
 * output, penalty `λ Σ_{q,l} max_k ‖(C_{ql})_k‖₁`, no equal-row-sum constraint. Its optimum is
 * never above that of (33) and is strictly lower on some instances; its solutions are not in
 * general representable by the sequence model (30). Offered for comparison only.
 *
 * @param X - the `N × n × d` token batch (at least one sample, token and feature; finite entries).
 *   Not copied: the problem's operator reads it, so do not change it while the problem is in use
 * @param loss - a loss over the `N·n × c` predictions, as in {@link sequenceAttentionProblem}
 * @param lambda - `λ = β > 0`, the weight of the group penalty (finite; `InvalidOptionError`
 *   otherwise)
 *
 * @example
 * ```ts
 * import { relaxedSequenceAttentionProblem } from "@convexformer/attention";
 * import { squaredLoss } from "@convexformer/solvers";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(1, 2, 1, new Float64Array([1, -1]));
 * const problem = relaxedSequenceAttentionProblem(X, squaredLoss(new Float64Array([1, 1])), 1);
 * problem.dim; // 4: one signed 2 × 2 block
 * ```
 */
export function relaxedSequenceAttentionProblem(
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
): SequenceProblem {
  return buildSequence("sequence-relaxed", X, loss, lambda);
}

function build(
  kind: "scalar" | "vector" | "gated",
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
  gates: GateVectors | undefined,
): AttentionProblem {
  validateTokenBatch("X", X);
  validateNonnegative("lambda", lambda, true);
  if (loss.samples !== X.samples || loss.size !== X.samples * loss.outputs) {
    throw new ShapeMismatchError(
      "loss",
      `the loss has ${loss.samples} samples, X has ${X.samples}`,
    );
  }
  const mask = gates === undefined ? undefined : gatePatterns(gates, X);
  const operator = attentionOperator(X, loss.outputs, mask);
  const layout = operator.layout;
  const groups = { ptr: layoutGroups(layout).ptr };
  const problem = createProblem({ operator, loss, regularizer: groupL2(groups), lambda });
  const copy = gates === undefined ? undefined : { u1: gates.u1.slice(), u2: gates.u2.slice() };
  return Object.freeze({ ...problem, kind, operator, layout, gates: copy });
}

function buildSequence(
  kind: "sequence" | "sequence-relaxed",
  X: TokenBatch,
  loss: SmoothLoss,
  lambda: number,
): SequenceProblem {
  validateTokenBatch("X", X);
  validateNonnegative("lambda", lambda, true);
  const c = loss.outputs;
  if (loss.size !== X.samples * X.tokens * c) {
    throw new ShapeMismatchError(
      "loss",
      `a sequence program needs N·n × c = ${X.samples * X.tokens} × ${c} predictions; the loss takes ${loss.size}`,
    );
  }
  const signs = kind === "sequence" ? 2 : 1;
  const operator = sequenceOperator(X, c, signs);
  const blocks = X.features * c * signs;
  if (X.tokens < 1) throw new InvalidOptionError("X.tokens", X.tokens, "must be >= 1");
  const regularizer =
    kind === "sequence"
      ? equalRowSumRegularizer(blocks, X.tokens)
      : maxRowSumRelaxation(blocks, X.tokens);
  const problem = createProblem({ operator, loss, regularizer, lambda });
  return Object.freeze({ ...problem, kind, operator, layout: operator.layout });
}
