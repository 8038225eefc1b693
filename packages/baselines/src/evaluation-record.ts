/**
 * One evaluation of the model during training (full train set, and validation set if given).
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EvaluationRecord } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 1), new Float64Array(8));
 * const records: readonly EvaluationRecord[] = (await train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 4, evaluateEvery: 2 })).evaluations;
 * records.map((r) => r.step); // [0, 2, 4]
 * records[0]?.loss; // 0 (zero inputs and targets)
 * records[0]?.accuracy; // undefined (squared loss)
 * records[0]?.validationLoss; // undefined (no validation set)
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface EvaluationRecord {
  /** Optimizer steps taken before this evaluation. */
  readonly step: number;
  /** Completed epochs (fractional: steps / batches per epoch). */
  readonly epoch: number;
  /** Milliseconds since training started, evaluations included. */
  readonly wallMs: number;
  /** Milliseconds spent in optimizer steps only. */
  readonly trainMs: number;
  /** Training objective on the full train set. */
  readonly objective: number;
  /** Data term on the full train set. */
  readonly loss: number;
  /** Train accuracy (`undefined` for squared loss). */
  readonly accuracy: number | undefined;
  /** Validation objective (`undefined` without a validation set). */
  readonly validationObjective: number | undefined;
  /** Validation data term. */
  readonly validationLoss: number | undefined;
  /** Validation accuracy. */
  readonly validationAccuracy: number | undefined;
}

/**
 * Metrics an early stop can watch: accuracies stop at `≥ target`, objectives and losses at `≤ target`.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EarlyStopMetric } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(8, 2, 1), new Float64Array(8).fill(1));
 * const metric: EarlyStopMetric = "validationLoss";
 * // the loss is 8 · ½ = 4 whatever the weights (zero inputs): a target of 5 holds at step 0
 * const result = await train(model, data, { optimizer: "sgd", learningRate: 0.1, steps: 10, validation: data, earlyStop: { metric, target: 5 } });
 * result.steps; // 0
 * result.reachedTarget?.validationLoss; // 4
 * data.dispose();
 * model.dispose();
 * ```
 */
export type EarlyStopMetric =
  | "accuracy"
  | "validationAccuracy"
  | "objective"
  | "loss"
  | "validationObjective"
  | "validationLoss";

/**
 * An early-stop rule: stop at the first evaluation where `metric` reaches `target`.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, train, type EarlyStop } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
 * const data = model.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4).fill(1));
 * const stop: EarlyStop = { metric: "objective", target: 2 };
 * const result = await train(model, data, { optimizer: "adam", learningRate: 0.1, steps: 5, earlyStop: stop });
 * result.stopReason; // "target" (objective 4 · ½ = 2 at step 0)
 * data.dispose();
 * model.dispose();
 * ```
 */
export interface EarlyStop {
  /** The watched metric (accuracies stop at `≥ target`, objectives and losses at `≤ target`). */
  readonly metric: EarlyStopMetric;
  /** The target value. */
  readonly target: number;
}

/** The metrics an early stop can watch. */
export const EARLY_STOP_METRICS: readonly EarlyStopMetric[] = [
  "accuracy",
  "validationAccuracy",
  "objective",
  "loss",
  "validationObjective",
  "validationLoss",
];

/**
 * Whether an evaluation reaches an early-stop target (accuracies at `≥ target`, objectives
 * and losses at `≤ target`; a missing or NaN value never does).
 *
 * @param record - the evaluation
 * @param stop - the rule
 */
export function reachesTarget(record: EvaluationRecord, stop: EarlyStop): boolean {
  const value = record[stop.metric];
  if (value === undefined || Number.isNaN(value)) return false;
  return stop.metric === "accuracy" || stop.metric === "validationAccuracy"
    ? value >= stop.target
    : value <= stop.target;
}
